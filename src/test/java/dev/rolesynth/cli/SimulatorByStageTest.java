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
 * The in-process simulator answers from each stage's input, not from the prompt's text: LIMA-Role
 * and RoleMRC with templates translated (same variables, other words) make the same data.
 */
public class SimulatorByStageTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final List<String> LIMA =
      List.of("--pipeline=lima-role", "--withJudge=true", "--keepRoleNotLosing=true");

  private Map<String, List<String>> run(String name, List<String> pipeline, String... more)
      throws Exception {
    Path out = tmp.getRoot().toPath().resolve(name);
    List<String> args = new ArrayList<>(pipeline);
    args.addAll(
        List.of("--runner=FlinkRunner", "--llmEndpoint=sim", "--cacheDir=off", "--output=" + out));
    args.addAll(List.of(more));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    assertEquals(
        log.toString(),
        0,
        new Launcher(new PrintStream(log), new PrintStream(log)).run(args.toArray(String[]::new)));
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

  /**
   * Runs the pipeline with its shipped templates and with {@code translated}, and asserts the same
   * data: every dataset but those whose records carry provenance (which names the templates'
   * hashes).
   */
  private void assertSameData(
      String name, List<String> pipeline, Path translated, String withProvenance, String nonEmpty)
      throws Exception {
    Map<String, List<String>> shipped = run(name + "-shipped", pipeline);
    Map<String, List<String>> other =
        run(name + "-translated", pipeline, "--promptDir=" + translated);
    shipped.keySet().removeIf(k -> k.startsWith(withProvenance + "."));
    other.keySet().removeIf(k -> k.startsWith(withProvenance + "."));
    assertNotEquals(List.of(), shipped.get(nonEmpty));
    assertEquals(shipped, other);
  }

  @Test
  public void aTranslatedTemplateChangesNothingForTheSimulator() throws Exception {
    Path fr = tmp.newFolder("fr").toPath();
    Files.writeString(
        fr.resolve("annotate.user.mustache"),
        "La demande :\n«{{question}}»\n\nChoisissez l'expert le plus "
            + "adapté ; « rolePrompt » de {{minChars}} à {{maxChars}} caractères, « feedback » bref. Ne répondez pas à la demande.");
    Files.writeString(
        fr.resolve("judge.user.mustache"),
        "La demande :\n«{{question}}»\n\nRéponse A :\n«{{a}}»\n\n"
            + "Réponse B :\n«{{b}}»\n\nLaquelle est la meilleure ? JSON avec « analysis » et « winner ».");
    assertSameData("lima", LIMA, fr, "none", "sft.chat");
  }

  /**
   * Ditto's and Beyond Dialogue's simulations read the prompt, but in process the simulator answers
   * the request as the shipped templates render it from the same stage input, so a translation of
   * the stages that render templates changes nothing either.
   */
  @Test
  public void dittoAndBeyondDialogueAnswerAsIfTheTemplatesWereShipped() throws Exception {
    Path fr = tmp.newFolder("ditto-fr").toPath();
    Files.writeString(
        fr.resolve("profile.user.mustache"),
        "Personnage : {{name}} ({{lang}})\n{{#description}}{{description}}\n"
            + "{{/description}}{{#aliases}}Alias : {{aliases}}\n{{/aliases}}{{#fields}}* {{key}} = {{value}}\n{{/fields}}"
            + "Entre {{minFacts}} et {{maxFacts}} faits ; une consigne « You are {{name}} ».");
    Files.writeString(
        fr.resolve("queries.user.mustache"),
        "Questions pour {{name}} ({{lang}}) : {{inCount}} sur "
            + "{{#knowledge}}[{{.}}] {{/knowledge}}et {{contrastiveCount}} sur {{#others}}{{name}} : {{#facts}}[{{.}}] {{/facts}}{{/others}}");
    assertSameData("ditto", List.of("--pipeline=ditto"), fr, "none", "dialogues.chat");

    Path bd = tmp.newFolder("bd-fr").toPath();
    Files.writeString(
        bd.resolve("scene.user.mustache"),
        "{{name}} ({{world}} ; {{character}} ; {{style}}) rencontre "
            + "{{partner}} ({{partnerDescription}}). Décrivez la scène en {{language}}.");
    Files.writeString(
        bd.resolve("emotion.user.mustache"),
        "Scène : {{scene}}\n{{name}} ({{character}}, {{mbti}}) et {{partner}} "
            + "({{partnerDescription}}). Six émotions de 0 à 10, avec « analysis ».");
    assertSameData(
        "bd",
        List.of("--pipeline=beyond-dialogue", "--mode=scratch", "--limit=2"),
        bd,
        "dialogues",
        "roleplay.chat");
  }

  /**
   * Orca's declared answers (OrcaSim) read the stage input and draw from the call's seed; its
   * stages left to the schema filler (Big Five scores, knowledge) still draw on the prompt's words,
   * so their templates stay as shipped here.
   */
  @Test
  public void orcaDeclaredAnswersReadTheStageInput() throws Exception {
    Path fr = tmp.newFolder("orca-fr").toPath();
    Files.writeString(
        fr.resolve("summary.user.mustache"),
        "Notes du psychologue :\n{{#explanations}}- {{text}}\n{{/explanations}}\n"
            + "Sommes des traits : {{#traits}}{{trait}} {{score}} ; {{/traits}}\nRésumez sa personnalité à la deuxième personne (\"You are\").");
    Files.writeString(
        fr.resolve("profile.user.mustache"),
        "Messages :\n{{#posts}}[{{n}}] {{post}}\n{{/posts}}\nImaginez son profil "
            + "(nom, âge, genre, métier, études, lieu, courriel, loisirs, parcours), sans personnalité ni citation.");
    Files.writeString(
        fr.resolve("activity.user.mustache"),
        "Profil : {{profile}}\nPersonnalité : {{summary}}\n"
            + "{{#knowledge}}Sait : {{knowledge}}\n{{/knowledge}}Message : «{{post}}»\nRépondez avec rmr, ept et bpa.");
    assertSameData("orca", List.of("--pipeline=orca"), fr, "users", "pcip.chat");
  }

  /**
   * RoleMRC declares its simulated answers beside its stages (RoleMrcSim): they read the stage
   * input too.
   */
  @Test
  public void rolemrcDeclaredAnswersReadTheStageInput() throws Exception {
    Path fr = tmp.newFolder("rolemrc-fr").toPath();
    Files.writeString(
        fr.resolve("profile.user.mustache"),
        "Personnage :\n«{{persona}}»\n\nÉcrivez son profil en sept parties.");
    Files.writeString(
        fr.resolve("mrc.user.mustache"),
        "Profil : {{profile}}\nTextes : {{passages}}\nQuestion : {{query}}\n"
            + "Réponse de référence : {{reference}}\nRépondez comme {{name}}, puis refusez parce que {{declineReason}}. "
            + "Didascalies : {{narration}}");
    assertSameData("rolemrc", List.of("--pipeline=rolemrc"), fr, "meta", "dpo.trl");
  }

  /**
   * CharacterChat declares its simulated answers beside its stages (CharacterChatSim): they read
   * the stage input.
   */
  @Test
  public void characterchatDeclaredAnswersReadTheStageInput() throws Exception {
    Path fr = tmp.newFolder("characterchat-fr").toPath();
    Files.writeString(
        fr.resolve("reply.user.mustache"),
        "Conversation de {{utterances}} messages :\n{{#history}}{{speaker}} : {{utterance}}\n{{/history}}"
            + "{{^closing}}{{#aspect}}Votre message s'appuie sur ({{aspect}}) : {{content}}\n{{/aspect}}{{/closing}}"
            + "{{#closing}}Dites au revoir.\n{{/closing}}Répondez avec \"utterance\".");
    Files.writeString(
        fr.resolve("sentiment.user.mustache"),
        "Notez de 0 à 5 le sentiment de cette phrase : {{sentence}}\nNote et raison.");
    assertSameData(
        "characterchat",
        List.of("--pipeline=characterchat", "--limit=3", "--supportersPerSeeker=1"),
        fr,
        "profiles",
        "dialogues.characterchat");
  }

  /**
   * SimsChat declares its simulated answers beside its stages (SimsChatSim): they read the stage
   * input.
   */
  @Test
  public void simschatDeclaredAnswersReadTheStageInput() throws Exception {
    Path fr = tmp.newFolder("simschat-fr").toPath();
    Files.writeString(
        fr.resolve("dialogue.user.mustache"),
        "{{profile}}\n\nScène ({{type}}) à {{location}} : {{background}}\n"
            + "Sujet : {{topic}}. {{name}} se sent {{emotion}}.\nÉcrivez de {{minLines}} à {{maxLines}} répliques, (speaking) ou (thinking).");
    assertSameData(
        "simschat",
        List.of("--pipeline=simschat", "--limit=2"),
        fr,
        "characters",
        "dialogues.simschat");
  }
}
