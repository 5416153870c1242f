package dev.rolesynth.lima;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.avro.SelfPromptTuningSample;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pool.RecordMapper;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Registers LIMA-Role with the launcher and names its datasets. */
@AutoService(RolePipeline.class)
public final class LimaRolePipeline implements RolePipeline<Item> {
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

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("selftuning", SELF_TUNING, "sft", SFT, "selfprompt", SELF_PROMPT);
  }

  @Override
  public String name() {
    return LimaRoleSettings.PIPELINE;
  }

  @Override
  public Class<? extends RolesynthOptions> optionsType() {
    return LimaRoleOptions.class;
  }

  @Override
  public String samplePool() {
    return "pipelines/lima-role/sample/instructions.jsonl";
  }

  @Override
  public RecordMapper<Item> mapper(RolesynthOptions options) {
    if (!options.getFieldMap().isBlank()) {
      throw new dev.rolesynth.ConfigException(
          "--fieldMap is not used by lima-role: its formats are recognised per record");
    }
    return new InstructionMapper(options.getMaxFieldChars());
  }

  @Override
  public Plan<Item> plan(RolesynthOptions options) {
    LimaRoleSettings settings = new LimaRoleSettings(options.as(LimaRoleOptions.class));
    return Plan.of(
        settings,
        (items, run) -> {
          PCollectionTuple out = items.apply("LimaRole", new AnnotateSelfPrompts(settings, run));
          PCollection<LimaRoleSample> sft = out.get(AnnotateSelfPrompts.SFT);
          PCollection<SelfPromptSample> self = out.get(AnnotateSelfPrompts.SELF_PROMPT);
          PCollection<SelfPromptTuningSample> tuning =
              sft.apply(
                      "ToSelfPromptTuning",
                      MapElements.into(TypeDescriptor.of(SelfPromptTuningSample.class))
                          .via(LimaRolePipeline::tuning))
                  .setCoder(AvroRecordCoder.of(SelfPromptTuningSample.class));
          return new Outputs(
              List.of(
                  new Dataset<>("selftuning", tuning, SELF_TUNING),
                  new Dataset<>("sft", sft, SFT),
                  new Dataset<>("selfprompt", self, SELF_PROMPT)),
              out.get(AnnotateSelfPrompts.FAILURES));
        });
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
