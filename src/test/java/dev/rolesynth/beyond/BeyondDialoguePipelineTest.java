package dev.rolesynth.beyond;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.beyond.Bd.Chunk;
import dev.rolesynth.beyond.Bd.ScoredChunk;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class BeyondDialoguePipelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  static RunInfo run(BeyondDialogueSettings s) {
    return new RunInfo(
        "beyond-dialogue", "1.0.0", "test-run", 42, LlmConfig.sim(), "sim", s.templateHashes(), 3);
  }

  static List<Role> roles() {
    return List.of(
        ProfilesTest.role(
            "mira",
            "Mira Okonkwo",
            List.of("Mira"),
            "character",
            "patient,stubborn,observant",
            "style",
            "dry,laconic",
            "personality",
            "ISTJ",
            "world",
            "a lighthouse coast"),
        ProfilesTest.role(
            "zhu",
            "朱小满",
            List.of("小满"),
            "character",
            "泼辣，热心，精明",
            "style",
            "爽快、俏皮",
            "personality",
            "ESFJ",
            "world",
            "民国江南小镇"));
  }

  @Test
  public void scratchModeMakesEveryRecordKindPerDialogue() {
    BeyondDialogueSettings s = BdTasksTest.settings("--partnersPerRole=2", "--rounds=3");
    Outputs out =
        new BeyondDialoguePipeline()
            .outputs(
                p.apply(Create.of(roles()).withCoder(SerializableCoder.of(Role.class))), s, run(s));
    PAssert.that(out.failures()).empty();
    PAssert.that(out.<ProfileDialogue>get("dialogues"))
        .satisfies(
            all -> {
              Map<String, Set<String>> partners = new HashMap<>();
              int n = 0;
              for (ProfileDialogue d : all) {
                n++;
                partners.computeIfAbsent(d.getRoleId(), k -> new HashSet<>()).add(d.getChatRole());
                assertEquals(6, d.getLines().size());
                assertEquals(d.getRoleId() + "/p0" + (d.getId().endsWith("1") ? 1 : 2), d.getId());
                assertEquals(d.getRoleId().equals("zhu") ? "zh" : "en", d.getLanguage());
                assertTrue(d.getProvenance().getSimulated());
                assertEquals(4 + 6 + 5, d.getProvenance().getLlmCalls());
              }
              assertEquals(4, n);
              partners.values().forEach(v -> assertEquals(2, v.size()));
              return null;
            });
    PAssert.that(
            out.<RolePlaySample>get("roleplay")
                .apply(
                    "Variants",
                    MapElements.into(TypeDescriptors.strings()).via(RolePlaySample::getId)))
        .satisfies(
            ids -> {
              List<String> list = new ArrayList<>();
              ids.forEach(list::add);
              assertEquals(8, list.size());
              assertEquals(4, list.stream().filter(i -> i.endsWith("/aligned")).count());
              return null;
            });
    PAssert.that(
            out.<AlignmentSample>get("alignment")
                .apply(
                    "Tasks",
                    MapElements.into(TypeDescriptors.strings()).via(AlignmentSample::getTask)))
        .satisfies(
            tasks -> {
              Map<String, Integer> count = new HashMap<>();
              tasks.forEach(t -> count.merge(t, 1, Integer::sum));
              assertEquals(
                  Map.of(
                      "character",
                      4,
                      "style",
                      4,
                      "emotion",
                      4,
                      "relationship",
                      4,
                      "personality",
                      4),
                  count);
              return null;
            });
    p.run().waitUntilFinish();
  }

  static ScoredChunk scored(String id, double score) {
    Chunk c = new Chunk(BdTasksTest.mira(), id, 1, "text", 10, 6);
    return new ScoredChunk(c, score, 1, null);
  }

  @Test
  public void chunkScoreIsTheMeanOfItsSamplesAndTheBestKAreKept() {
    List<KV<String, ScoredChunk>> samples =
        List.of(
            KV.of("a", scored("a", 2)),
            KV.of("a", scored("a", 4)),
            KV.of("a", scored("a", 9)), // mean 5
            KV.of("b", scored("b", 8)),
            KV.of("b", scored("b", 8)), // mean 8
            KV.of("c", scored("c", 5)), // mean 5, ties with a: chunk id decides
            KV.of("d", scored("d", 1)));
    var kept =
        p.apply(
                Create.of(samples)
                    .withCoder(
                        KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(ScoredChunk.class))))
            .apply(GroupByKey.create())
            .apply(
                "Mean",
                MapElements.into(TypeDescriptor.of(ScoredChunk.class))
                    .via(ExtractSourceDialogues::mean))
            .setCoder(SerializableCoder.of(ScoredChunk.class))
            .apply(WithKeys.of((ScoredChunk c) -> c.chunk().profile().id()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(ScoredChunk.class)))
            .apply("ByRole", GroupByKey.create())
            .apply(ParDo.of(new ExtractSourceDialogues.TopFn(2)))
            .setCoder(SerializableCoder.of(ScoredChunk.class))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(c -> c.chunk().id() + "=" + c.score() + "/" + c.samples()));
    PAssert.that(kept).containsInAnyOrder("b=8.0/2", "a=5.0/3");
    p.run().waitUntilFinish();
  }
}
