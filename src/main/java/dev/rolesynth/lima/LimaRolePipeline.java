package dev.rolesynth.lima;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.avro.SelfPromptTuningSample;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pool.RecordMapper;
import java.util.Map;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/** LIMA-Role as a recipe: its datasets, its graph, and their renderings. */
@AutoService(RolePipeline.class)
public final class LimaRolePipeline extends Recipe<Item, LimaRoleSettings> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final Renderings<SelfPromptTuningSample> SELF_TUNING =
      new Renderings<>(
          SelfPromptTuningSample.class,
          Map.of("chat", LimaRolePipeline::chat, "alpaca", LimaRolePipeline::alpaca));
  static final Renderings<LimaRoleSample> SFT =
      new Renderings<>(
          LimaRoleSample.class,
          Map.of("chat", LimaRolePipeline::chat, "alpaca", LimaRolePipeline::alpaca));
  static final Renderings<SelfPromptSample> SELF_PROMPT =
      new Renderings<>(
          SelfPromptSample.class,
          Map.of("chat", LimaRolePipeline::chat, "alpaca", LimaRolePipeline::alpaca));

  public LimaRolePipeline() {
    super(LimaRoleSettings.PIPELINE, LimaRoleOptions.class, "instructions.jsonl");
    refusesFieldMap("its formats are recognised per record");
    dataset("selftuning", SELF_TUNING);
    dataset("sft", SFT);
    dataset("selfprompt", SELF_PROMPT);
  }

  @Override
  protected LimaRoleSettings settings(RolesynthOptions options) {
    return new LimaRoleSettings(options.as(LimaRoleOptions.class));
  }

  @Override
  protected RecordMapper<Item> pool(RolesynthOptions options) {
    return new InstructionMapper(options.getMaxFieldChars());
  }

  /**
   * LIMA-Role (docs/pipelines/lima-role.md): for each instruction item, one call writes the most
   * suitable expert role (a role-setting prompt and an in-role feedback turn), checked and re-asked
   * until usable; optionally the Jekyll & Hyde comparison (answer with the role and without, a
   * judge in both orders, a winner only when the orders agree) and its filter.
   */
  @Override
  protected void build(PCollection<Item> items, LimaRoleSettings s, Build b) {
    var done = b.call("WriteRolePrompts", items, LimaTasks.annotate(s), Annotated.class);
    if (s.withJudge) {
      var role = b.call("AnswerInRole", done, LimaTasks.answerInRole(s), Annotated.class);
      var neutral = b.call("AnswerNeutrally", role, LimaTasks.answerNeutrally(s), Annotated.class);
      var first = b.call("JudgeRoleFirst", neutral, LimaTasks.compare(s, true), Annotated.class);
      done = b.call("JudgeNeutralFirst", first, LimaTasks.compare(s, false), Annotated.class);
    }
    if (s.keepRoleNotLosing) {
      done = b.keepIf("KeepRoleNotLosing", done, BuildRecords::neutralWon);
    }
    PCollectionTuple out =
        done.apply(
            "BuildRecords",
            ParDo.of(new BuildRecords(b.run()))
                .withOutputTags(BuildRecords.SFT, TupleTagList.of(BuildRecords.SELF_PROMPT)));
    var sft = out.get(BuildRecords.SFT).setCoder(AvroRecordCoder.of(LimaRoleSample.class));
    b.write("selftuning", sft, LimaRolePipeline::tuning);
    b.write("sft", sft);
    b.write(
        "selfprompt",
        out.get(BuildRecords.SELF_PROMPT).setCoder(AvroRecordCoder.of(SelfPromptSample.class)));
  }

  /** Self-Prompt Tuning's target: the model writes its own role-play prompt, then answers. */
  static SelfPromptTuningSample tuning(LimaRoleSample r) {
    return new SelfPromptTuningSample(
        r.getId(),
        r.getFormat(),
        r.getRole(),
        r.getQuestion(),
        r.getRolePrompt(),
        r.getAnswer(),
        r.getRolePrompt() + "\n\n" + r.getAnswer(),
        r.getRest(),
        r.getSystem(),
        r.getJudge(),
        r.getProvenance());
  }

  /** Given the question, the target; then the rest of the conversation. */
  static String chat(SelfPromptTuningSample r) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode m = o.putArray("messages");
    if (!r.getSystem().isBlank()) {
      m.addObject().put("role", "system").put("content", r.getSystem());
    }
    m.addObject().put("role", "user").put("content", r.getQuestion());
    m.addObject().put("role", "assistant").put("content", r.getTarget());
    for (ChatTurn t : r.getRest()) {
      m.addObject().put("role", t.getRole()).put("content", t.getContent());
    }
    return o.toString();
  }

  static String alpaca(SelfPromptTuningSample r) {
    return MAPPER
        .createObjectNode()
        .put("instruction", r.getQuestion())
        .put("input", "")
        .put("output", r.getTarget())
        .put("system", r.getSystem())
        .toString();
  }

  /**
   * The two-turn role-play prompt, then the question and its answer, then the rest of the
   * conversation.
   */
  static String chat(LimaRoleSample r) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode m = o.putArray("messages");
    if (!r.getSystem().isBlank()) {
      m.addObject().put("role", "system").put("content", r.getSystem());
    }
    m.addObject().put("role", "user").put("content", r.getRolePrompt());
    m.addObject().put("role", "assistant").put("content", r.getFeedback());
    m.addObject().put("role", "user").put("content", r.getQuestion());
    m.addObject().put("role", "assistant").put("content", r.getAnswer());
    for (ChatTurn t : r.getRest()) {
      m.addObject().put("role", t.getRole()).put("content", t.getContent());
    }
    return o.toString();
  }

  /**
   * Alpaca with history: the role-setting exchange is the history; a multi-turn item's later turns
   * have no place in a single instruction/output pair, so the chat form is the one that keeps them.
   */
  static String alpaca(LimaRoleSample r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("instruction", r.getQuestion())
        .put("input", "")
        .put("output", r.getAnswer())
        .put("system", r.getSystem());
    o.putArray("history").addArray().add(r.getRolePrompt()).add(r.getFeedback());
    return o.toString();
  }

  /** What a self-prompt-tuned model learns: given the question, write the role-setting prompt. */
  static String chat(SelfPromptSample r) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode m = o.putArray("messages");
    m.addObject().put("role", "user").put("content", r.getQuestion());
    m.addObject().put("role", "assistant").put("content", r.getRolePrompt());
    return o.toString();
  }

  static String alpaca(SelfPromptSample r) {
    return MAPPER
        .createObjectNode()
        .put("instruction", r.getQuestion())
        .put("input", "")
        .put("output", r.getRolePrompt())
        .toString();
  }
}
