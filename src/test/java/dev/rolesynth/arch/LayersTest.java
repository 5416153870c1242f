package dev.rolesynth.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import java.util.Arrays;
import org.junit.Test;

/**
 * Which package may use which: checked on the compiled classes, so a change that crosses a layer
 * fails the build.
 */
public class LayersTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.rolesynth");
  private static final String[] METHODS = {
    "ditto", "beyond", "orca", "lima", "rolemrc", "characterchat", "simschat"
  };

  @Test
  public void theLlmPlumbingPromptsPoolsAndCoreAreFreeOfBeam() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.rolesynth.llm..",
            "dev.rolesynth.prompt..",
            "dev.rolesynth.pool..",
            "dev.rolesynth.core..",
            "dev.rolesynth.retrieval..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.beam..")
        .because(
            "they are used outside a pipeline (the simulator, the launcher's preflight) and tested without one")
        .check(CLASSES);
  }

  @Test
  public void noMethodUsesAnother() {
    for (String m : METHODS) {
      String[] others =
          Arrays.stream(METHODS)
              .filter(o -> !o.equals(m))
              .map(o -> "dev.rolesynth." + o + "..")
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage("dev.rolesynth." + m + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others)
          .because("a method is its own folder: changing one must not change another")
          .check(CLASSES);
    }
  }

  @Test
  public void theCoreUsesNothingOfTheProject() {
    noClasses()
        .that()
        .resideInAPackage("dev.rolesynth.core..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("dev.rolesynth.core..", "java..")
        .because("ids and the hash are what every layer may use")
        .check(CLASSES);
  }

  @Test
  public void theSharedLayersHaveNoCycles() {
    slices()
        .matching("dev.rolesynth.(core|llm|prompt|pool|retrieval)..")
        .should()
        .beFreeOfCycles()
        .check(CLASSES);
  }

  @Test
  public void theSharedLayersUseNoMethod() {
    String[] methods =
        Arrays.stream(METHODS).map(m -> "dev.rolesynth." + m + "..").toArray(String[]::new);
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.rolesynth.cli..",
            "dev.rolesynth.pipeline..",
            "dev.rolesynth.pool..",
            "dev.rolesynth.prompt..",
            "dev.rolesynth.review..",
            "dev.rolesynth.sim..",
            "dev.rolesynth.options..",
            "dev.rolesynth.llm..",
            "dev.rolesynth.core..",
            "dev.rolesynth.retrieval..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(methods)
        .because("methods are found by registration, so adding one edits no shared code")
        .check(CLASSES);
  }

  @Test
  public void everyMethodIsARecipe() {
    classes()
        .that()
        .implement(RolePipeline.class)
        .and()
        .areNotInterfaces()
        .and()
        .doNotHaveFullyQualifiedName(Recipe.class.getName())
        .should()
        .beAssignableTo(Recipe.class)
        .because(
            "the recipe contract registers a method, collects its dead letters and writes its datasets")
        .check(CLASSES);
  }

  @Test
  public void noMethodFlattensItsOwnDeadLettersIntoTheRunsFailures() {
    String[] methods =
        Arrays.stream(METHODS).map(m -> "dev.rolesynth." + m + "..").toArray(String[]::new);
    noClasses()
        .that()
        .resideInAnyPackage(methods)
        .should()
        .callConstructor(
            RolePipeline.Outputs.class,
            java.util.List.class,
            org.apache.beam.sdk.values.PCollection.class)
        .because("Build gathers every step's dead letters, so none can be forgotten")
        .check(CLASSES);
  }

  @Test
  public void noMethodTagsItsOutputsOrItsJoins() {
    String[] methods =
        Arrays.stream(METHODS).map(m -> "dev.rolesynth." + m + "..").toArray(String[]::new);
    noClasses()
        .that()
        .resideInAnyPackage(methods)
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName(org.apache.beam.sdk.values.TupleTag.class.getName())
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(org.apache.beam.sdk.transforms.join.CoGbkResult.class.getName())
        .because(
            "Build.writeEach writes several datasets from one collection and GroupByKeys groups are"
                + " read by record type")
        .check(CLASSES);
  }
}
