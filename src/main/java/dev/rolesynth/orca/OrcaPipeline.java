package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.OrcaUser;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.pool.RoleMapper;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/** Registers Orca with the launcher and names its datasets. */
@AutoService(RolePipeline.class)
public final class OrcaPipeline implements RolePipeline<User> {
  /**
   * The shipped sample has 30-40 posts a user; the paper's 200-post minimum would drop every one.
   */
  static final int SAMPLE_MIN_POSTS = 30;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final Renderings<PcipRecord> PCIP =
      new Renderings<>(
          PcipRecord.class, Map.of("alpaca", OrcaPipeline::alpaca, "chat", OrcaPipeline::chat));
  static final Renderings<OrcaUser> USERS =
      new Renderings<>(OrcaUser.class, Map.of("review", OrcaUser::toString));

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("pcip", PCIP, "benchmark", PCIP, "users", USERS);
  }

  @Override
  public String name() {
    return OrcaSettings.PIPELINE;
  }

  @Override
  public Class<? extends RolesynthOptions> optionsType() {
    return OrcaOptions.class;
  }

  @Override
  public String samplePool() {
    return "pipelines/orca/sample/users.jsonl";
  }

  @Override
  public RecordMapper<User> mapper(RolesynthOptions options) {
    return new UserMapper(
        RoleMapper.parseFieldMap(options.getFieldMap(), UserMapper.CANONICAL),
        options.getMaxFieldChars());
  }

  @Override
  public Plan<User> plan(RolesynthOptions options) {
    OrcaOptions o = options.as(OrcaOptions.class);
    int minPosts = o.getMinPostsPerUser();
    if (o.getInput().isBlank() && minPosts == 200) {
      minPosts = SAMPLE_MIN_POSTS;
      System.err.println(
          "rolesynth: NOTICE: the shipped sample pool has "
              + SAMPLE_MIN_POSTS
              + "+ posts a user; "
              + "--minPostsPerUser lowered from 200 to "
              + SAMPLE_MIN_POSTS
              + " for it");
    }
    OrcaSettings settings = new OrcaSettings(o, minPosts);
    return Plan.of(
        settings,
        (users, run) -> {
          PCollectionTuple out = users.apply("Orca", new SynthesizePcipRecords(settings, run));
          PCollection<PcipRecord> train = out.get(SynthesizePcipRecords.TRAIN);
          PCollection<PcipRecord> bench = out.get(SynthesizePcipRecords.BENCHMARK);
          PCollection<OrcaUser> userRecords = out.get(SynthesizePcipRecords.USERS);
          return new Outputs(
              List.of(
                  new Dataset<>("pcip", train, PCIP),
                  new Dataset<>("benchmark", bench, PCIP),
                  new Dataset<>("users", userRecords, USERS)),
              out.get(SynthesizePcipRecords.FAILURES));
        });
  }

  /**
   * Alpaca with the authors' meta_data: {id, user, is_reply, profile_related, personality_related,
   * score[35]}.
   */
  static String alpaca(PcipRecord r) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode meta = o.putObject("meta_data");
    meta.put("id", r.getId())
        .put("user", r.getUserId())
        .put("is_reply", r.getIsReply())
        .put("profile_related", r.getProfileRelated())
        .put("personality_related", r.getPersonalityRelated())
        .put("knowledge_related", r.getKnowledgeRelated())
        .put("split", r.getSplit())
        .put("variant", r.getVariant());
    ArrayNode score = meta.putArray("score");
    r.getScore().forEach(score::add);
    o.put("instruction", r.getInstruction()).put("input", "").put("output", r.getOutput());
    return o.toString();
  }

  /**
   * OpenAI chat fine-tuning format: the instruction as the user turn, the target as the
   * assistant's.
   */
  static String chat(PcipRecord r) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode m = o.putArray("messages");
    m.addObject().put("role", "user").put("content", r.getInstruction());
    m.addObject().put("role", "assistant").put("content", r.getOutput());
    return o.toString();
  }
}
