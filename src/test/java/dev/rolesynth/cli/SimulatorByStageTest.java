package dev.rolesynth.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The in-process simulator answers from each stage's input, not from the prompt's text: LIMA-Role and
 * RoleMRC with templates translated (same variables, other words) make the same data.
 */
public class SimulatorByStageTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final List<String> LIMA = List.of("--pipeline=lima-role", "--withJudge=true", "--keepRoleNotLosing=true");

  private Map<String, List<String>> run(String name, List<String> pipeline, String... more) throws Exception {
    Path out = tmp.getRoot().toPath().resolve(name);
    List<String> args = new ArrayList<>(pipeline);
    args.addAll(List.of("--runner=FlinkRunner", "--llmEndpoint=sim", "--cacheDir=off", "--output=" + out));
    args.addAll(List.of(more));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    assertEquals(log.toString(), 0, new Launcher(new PrintStream(log), new PrintStream(log)).run(args.toArray(String[]::new)));
    Map<String, List<String>> lines = new TreeMap<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        String dataset = f.getFileName().toString().replaceAll("-\\d{5}-of-\\d{5}\\.jsonl$", "");
        lines.computeIfAbsent(dataset, k -> new ArrayList<>()).addAll(Files.readAllLines(f));
      }
    }
    lines.values().forEach(l -> l.sort(null));
    return lines;
  }

  @Test
  public void aTranslatedTemplateChangesNothingForTheSimulator() throws Exception {
    Path fr = tmp.newFolder("fr").toPath();
    Files.writeString(fr.resolve("annotate.user.mustache"), "La demande :\n«{{question}}»\n\nChoisissez l'expert le plus "
        + "adapté ; « rolePrompt » de {{minChars}} à {{maxChars}} caractères, « feedback » bref. Ne répondez pas à la demande.");
    Files.writeString(fr.resolve("judge.user.mustache"), "La demande :\n«{{question}}»\n\nRéponse A :\n«{{a}}»\n\n"
        + "Réponse B :\n«{{b}}»\n\nLaquelle est la meilleure ? JSON avec « analysis » et « winner ».");
    Map<String, List<String>> shipped = run("shipped", LIMA);
    Map<String, List<String>> translated = run("translated", LIMA, "--promptDir=" + fr);
    assertNotEquals(List.of(), shipped.get("sft.chat"));
    assertEquals(shipped, translated);
  }

  /**
   * Ditto's and Beyond Dialogue's simulations read the prompt, but in process the simulator answers
   * the request as the shipped templates render it from the same stage input, so a translation of the
   * stages that render templates changes nothing either.
   */
  @Test
  public void dittoAndBeyondDialogueAnswerAsIfTheTemplatesWereShipped() throws Exception {
    Path fr = tmp.newFolder("ditto-fr").toPath();
    Files.writeString(fr.resolve("profile.user.mustache"), "Personnage : {{name}} ({{lang}})\n{{#description}}{{description}}\n"
        + "{{/description}}{{#aliases}}Alias : {{aliases}}\n{{/aliases}}{{#fields}}* {{key}} = {{value}}\n{{/fields}}"
        + "Entre {{minFacts}} et {{maxFacts}} faits ; une consigne « You are {{name}} ».");
    Files.writeString(fr.resolve("queries.user.mustache"), "Questions pour {{name}} ({{lang}}) : {{inCount}} sur "
        + "{{#knowledge}}[{{.}}] {{/knowledge}}et {{contrastiveCount}} sur {{#others}}{{name}} : {{#facts}}[{{.}}] {{/facts}}{{/others}}");
    List<String> ditto = List.of("--pipeline=ditto");
    Map<String, List<String>> shipped = run("ditto-shipped", ditto);
    Map<String, List<String>> translated = run("ditto-translated", ditto, "--promptDir=" + fr);
    assertNotEquals(List.of(), shipped.get("dialogues.chat"));
    assertEquals(shipped, translated);

    Path bd = tmp.newFolder("bd-fr").toPath();
    Files.writeString(bd.resolve("scene.user.mustache"), "{{name}} ({{world}} ; {{character}} ; {{style}}) rencontre "
        + "{{partner}} ({{partnerDescription}}). Décrivez la scène en {{language}}.");
    Files.writeString(bd.resolve("emotion.user.mustache"), "Scène : {{scene}}\n{{name}} ({{character}}, {{mbti}}) et {{partner}} "
        + "({{partnerDescription}}). Six émotions de 0 à 10, avec « analysis ».");
    List<String> scratch = List.of("--pipeline=beyond-dialogue", "--mode=scratch", "--limit=2");
    Map<String, List<String>> bdShipped = run("bd-shipped", scratch);
    Map<String, List<String>> bdTranslated = run("bd-translated", scratch, "--promptDir=" + bd);
    bdShipped.keySet().removeIf(k -> k.startsWith("dialogues")); // its provenance names the templates' hashes
    bdTranslated.keySet().removeIf(k -> k.startsWith("dialogues"));
    assertNotEquals(List.of(), bdShipped.get("roleplay.chat"));
    assertEquals(bdShipped, bdTranslated);
  }

  /**
   * Orca's declared answers (OrcaSim) read the stage input and draw from the call's seed; its stages
   * left to the schema filler (Big Five scores, knowledge) still draw on the prompt's words, so their
   * templates stay as shipped here.
   */
  @Test
  public void orcaDeclaredAnswersReadTheStageInput() throws Exception {
    Path fr = tmp.newFolder("orca-fr").toPath();
    Files.writeString(fr.resolve("summary.user.mustache"), "Notes du psychologue :\n{{#explanations}}- {{text}}\n{{/explanations}}\n"
        + "Sommes des traits : {{#traits}}{{trait}} {{score}} ; {{/traits}}\nRésumez sa personnalité à la deuxième personne (\"You are\").");
    Files.writeString(fr.resolve("profile.user.mustache"), "Messages :\n{{#posts}}[{{n}}] {{post}}\n{{/posts}}\nImaginez son profil "
        + "(nom, âge, genre, métier, études, lieu, courriel, loisirs, parcours), sans personnalité ni citation.");
    Files.writeString(fr.resolve("activity.user.mustache"), "Profil : {{profile}}\nPersonnalité : {{summary}}\n"
        + "{{#knowledge}}Sait : {{knowledge}}\n{{/knowledge}}Message : «{{post}}»\nRépondez avec rmr, ept et bpa.");
    List<String> orca = List.of("--pipeline=orca");
    Map<String, List<String>> shipped = run("orca-shipped", orca);
    Map<String, List<String>> translated = run("orca-translated", orca, "--promptDir=" + fr);
    shipped.keySet().removeIf(k -> k.startsWith("users")); // its provenance names the templates' hashes
    translated.keySet().removeIf(k -> k.startsWith("users"));
    assertNotEquals(List.of(), shipped.get("pcip.chat"));
    assertEquals(shipped, translated);
  }

  /** RoleMRC declares its simulated answers beside its stages (RoleMrcSim): they read the stage input too. */
  @Test
  public void rolemrcDeclaredAnswersReadTheStageInput() throws Exception {
    Path fr = tmp.newFolder("rolemrc-fr").toPath();
    Files.writeString(fr.resolve("profile.user.mustache"), "Personnage :\n«{{persona}}»\n\nÉcrivez son profil en sept parties.");
    Files.writeString(fr.resolve("mrc.user.mustache"), "Profil : {{profile}}\nTextes : {{passages}}\nQuestion : {{query}}\n"
        + "Réponse de référence : {{reference}}\nRépondez comme {{name}}, puis refusez parce que {{declineReason}}. "
        + "Didascalies : {{narration}}");
    List<String> rolemrc = List.of("--pipeline=rolemrc");
    Map<String, List<String>> shipped = run("rolemrc-shipped", rolemrc);
    Map<String, List<String>> translated = run("rolemrc-translated", rolemrc, "--promptDir=" + fr);
    shipped.keySet().removeIf(k -> k.startsWith("meta")); // its provenance names the templates' hashes
    translated.keySet().removeIf(k -> k.startsWith("meta"));
    assertNotEquals(List.of(), shipped.get("dpo.trl"));
    assertEquals(shipped, translated);
  }
}
