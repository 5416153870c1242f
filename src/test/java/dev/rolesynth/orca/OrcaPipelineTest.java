package dev.rolesynth.orca;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.avro.OrcaUser;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class OrcaPipelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /**
   * The fixture's well-formed users: ana (19 posts, 4 filtered), ben (11), cy (3), dee (a persona).
   */
  static List<User> users() throws Exception {
    UserMapper m = new UserMapper(Map.of(), 20_000);
    List<User> out = new ArrayList<>();
    String[] lines =
        new String(
                OrcaPipelineTest.class.getResourceAsStream("/orca/users.jsonl").readAllBytes(),
                StandardCharsets.UTF_8)
            .split("\n");
    for (int i = 0; i < lines.length; i++) {
      try {
        out.add(m.map(new ObjectMapper().readTree(lines[i]), new Origin("users.jsonl", i + 1)));
      } catch (BadRecordException | com.fasterxml.jackson.core.JsonProcessingException e) {
        // the fixture's bad lines are the reader's business, tested elsewhere
      }
    }
    return out;
  }

  @Test
  public void postsBecomePcipRecordsAndTheHeldOutUserGoesToTheBenchmark() throws Exception {
    // Every kept post makes a record here (the authors' selection is OrcaEndToEndTest's).
    OrcaSettings s =
        OrcaRulesTest.settings(
            "--minPostsPerUser=10",
            "--postsPerPersona=10",
            "--benchmarkUsers=1",
            "--benchmarkMinPosts=15",
            "--pcipAllPosts=true");
    RunInfo run =
        new RunInfo("orca", "1.0.0", "t", 42, LlmConfig.sim(), "sim", s.templateHashes(), 3);
    Outputs out =
        new OrcaPipeline()
            .outputs(
                p.apply(Create.of(users()).withCoder(SerializableCoder.of(User.class))), s, run);
    PAssert.that(
            out.failures()
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Failure f) -> f.recordId() + ":" + f.reason())))
        .containsInAnyOrder("cy:too_few_posts");
    PAssert.that(out.<PcipRecord>get("benchmark"))
        .satisfies(
            all -> {
              int n = 0;
              for (PcipRecord r : all) {
                n++;
                assertEquals("ana", r.getUserId());
                assertEquals("benchmark", r.getSplit());
              }
              assertEquals(
                  15, n); // 19 posts less 1 short, 1 self-reply, 1 without upstream, 1 in a thread
              return null;
            });
    PAssert.that(out.<OrcaUser>get("users"))
        .satisfies(
            all -> {
              Map<String, OrcaUser> byId = new HashMap<>();
              all.forEach(u -> byId.put(u.getId(), u));
              assertEquals(List.of("ana", "ben", "dee"), byId.keySet().stream().sorted().toList());
              OrcaUser ana = byId.get("ana");
              assertEquals(19, ana.getPostsTotal());
              assertEquals(15, ana.getPostsKept());
              assertEquals(1, ana.getPostsFilteredShort());
              assertEquals(3, ana.getPostsFilteredReplies());
              assertEquals(
                  2, ana.getExplanations().size()); // 15 kept posts: two chunks of up to ten
              assertTrue(byId.get("dee").getPersona());
              for (OrcaUser u : all) {
                assertEquals(35, u.getScore().size());
                for (int t = 0; t < 5; t++) {
                  double sum = 0;
                  for (int f = 1; f <= 6; f++) {
                    sum += u.getScore().get(t * 7 + f);
                  }
                  assertEquals(
                      u.getScore().get(t * 7),
                      sum,
                      0.01); // each trait's sum is its six sub-scores'
                }
                assertTrue(u.getTraitSummary().startsWith("You"));
              }
              return null;
            });
    PAssert.that(out.<PcipRecord>get("pcip"))
        .satisfies(
            all -> {
              Map<String, Integer> perUser = new HashMap<>();
              for (PcipRecord r : all) {
                perUser.merge(r.getUserId(), 1, Integer::sum);
                assertEquals(r.getProfileRelated(), r.getInstruction().contains("## Profile"));
                assertEquals(
                    r.getPersonalityRelated(), r.getInstruction().contains("## Personality"));
                assertEquals(
                    r.getKnowledgeRelated(), r.getInstruction().contains("## Potential Knowledge"));
                assertEquals(
                    r.getIsReply(), r.getInstruction().contains("## Post you are replying to"));
                assertTrue(r.getOutput().startsWith("{\"Psychological Activities\":"));
                assertEquals(r.getUserId().equals("dee"), r.getSimulatedPost());
                assertEquals(35, r.getScore().size());
              }
              assertEquals(Map.of("ben", 11, "dee", 10), perUser);
              return null;
            });
    p.run().waitUntilFinish();
  }
}
