package dev.rolesynth.ditto;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.DittoDialogue;
import dev.rolesynth.avro.DittoQueryType;
import dev.rolesynth.avro.DittoTurnInfo;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;

public class DittoPipelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  static List<Role> roles() {
    return List.of(
        DittoTasksTest.role(
            "nemo",
            "Captain Nemo",
            "Nemo built the submarine Nautilus. He plays the organ in his salon. He hunts in undersea forests."),
        DittoTasksTest.role(
            "mulan",
            "Hua Mulan",
            "Mulan took her father's place in the army. She served for twelve years. She asked for a swift camel."),
        DittoTasksTest.role(
            "tesla",
            "Nikola Tesla",
            "Tesla developed the induction motor. He built the Wardenclyffe tower. He fed pigeons in New York."),
        DittoTasksTest.role(
            "ada",
            "Ada Lovelace",
            "Ada wrote notes on the Analytical Engine. She imagined machines composing music. She studied with Mary Somerville."),
        DittoTasksTest.role(
            "odysseus",
            "Odysseus",
            "Odysseus devised the wooden horse. He blinded the Cyclops Polyphemus. He sailed for ten years."));
  }

  static RunInfo run(boolean judge) {
    return new RunInfo(
        "ditto",
        "1.0.0",
        "test-run",
        42,
        LlmConfig.sim(),
        "sim",
        DittoTasksTest.settings(42, 6, 0.34, 2, judge, 5, 1).templateHashes(),
        4);
  }

  @Test
  public void everyRoleBecomesAKnowledgeFreeDialogueWithLabelledTurns() {
    DittoSettings settings = DittoTasksTest.settings(42, 6, 0.34, 2, true, 5, 1);
    var result =
        new DittoPipeline()
            .outputs(
                p.apply(Create.of(roles()).withCoder(SerializableCoder.of(Role.class))),
                settings,
                run(true));
    PAssert.that(result.failures()).empty();
    PAssert.that(result.<DittoDialogue>get("dialogues"))
        .satisfies(
            all -> {
              Set<String> ids = new HashSet<>();
              for (DittoDialogue d : all) {
                ids.add(d.getId());
                List<ChatTurn> m = d.getMessages();
                assertEquals("system", m.get(0).getRole());
                assertTrue(m.get(0).getContent().startsWith("You are " + d.getRoleName()));
                assertEquals(1 + 2 * d.getTurns().size(), m.size());
                assertEquals(6, d.getTurns().size() + d.getDroppedTurns() + d.getKnowableDropped());
                for (DittoTurnInfo t : d.getTurns()) {
                  assertEquals("user", m.get(2 * t.getIndex() + 1).getRole());
                  assertEquals("assistant", m.get(2 * t.getIndex() + 2).getRole());
                  // The judges kept only turns that behave as Ditto wants: refuse exactly the
                  // contrastive ones.
                  assertEquals(
                      t.getExpectRefusal(), t.getQueryType() == DittoQueryType.CONTRASTIVE);
                  assertEquals(t.getExpectRefusal(), t.getDeclined());
                  assertTrue(t.getJudge().getIdentityCorrect());
                  if (t.getQueryType() == DittoQueryType.IN_KNOWLEDGE) {
                    assertTrue(t.getJudge().getKnowledgeScore() >= 5);
                    assertTrue(t.getEvidence() != null && !t.getEvidence().isEmpty());
                  } else {
                    assertTrue(
                        List.of("nemo", "mulan", "tesla", "ada", "odysseus")
                            .contains(t.getSourceRoleId()));
                    assertTrue(!t.getSourceRoleId().equals(d.getRoleId()));
                  }
                }
                // Knowledge is stripped: the system turn is the short role prompt, not the card.
                assertTrue(m.get(0).getContent().length() < 800);
                assertEquals(true, d.getProvenance().getSimulated());
                assertEquals("test-run", d.getProvenance().getRunId());
                assertEquals(11, d.getProvenance().getPromptTemplateHashes().size());
                // profile, queries, the contrastive check; per turn one answer and three samples of
                // each judge
                // (no knowledge judge on contrastive turns); one call per dropped turn
                long contrastive =
                    d.getTurns().stream()
                        .filter(t -> t.getQueryType() == DittoQueryType.CONTRASTIVE)
                        .count();
                assertEquals(
                    3 + 10 * d.getTurns().size() - 3 * (int) contrastive + d.getDroppedTurns(),
                    (int) d.getProvenance().getLlmCalls());
                // Asked in order, each answer having seen the ones before: indices are the
                // conversation's.
                for (int i = 0; i < d.getTurns().size(); i++) {
                  assertEquals(i, d.getTurns().get(i).getIndex());
                  assertEquals(3, d.getTurns().get(i).getJudge().getSamples());
                }
              }
              assertEquals(Set.of("nemo", "mulan", "tesla", "ada", "odysseus"), ids);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void withoutJudgesEveryQuestionBecomesATurnAndOrderIsSeeded() {
    DittoSettings settings = DittoTasksTest.settings(42, 4, 0.5, 1, false, 5, 1);
    var result =
        new DittoPipeline()
            .outputs(
                p.apply(Create.of(roles()).withCoder(SerializableCoder.of(Role.class))),
                settings,
                run(false));
    PAssert.that(result.<DittoDialogue>get("dialogues"))
        .satisfies(
            all -> {
              int n = 0;
              for (DittoDialogue d : all) {
                n++;
                // Every question becomes a turn, but for contrastive ones the check found the role
                // could know.
                assertEquals(4 - d.getKnowableDropped(), d.getTurns().size());
                assertEquals(0, d.getDroppedTurns());
                List<DittoQueryType> types = new ArrayList<>();
                d.getTurns().forEach(t -> types.add(t.getQueryType()));
                assertEquals(
                    2 - d.getKnowableDropped(),
                    types.stream().filter(t -> t == DittoQueryType.CONTRASTIVE).count());
                d.getTurns().forEach(t -> assertEquals(null, t.getJudge()));
              }
              assertEquals(5, n);
              return null;
            });
    p.run().waitUntilFinish();
  }
}
