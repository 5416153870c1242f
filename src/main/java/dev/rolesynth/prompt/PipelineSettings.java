package dev.rolesynth.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.core.Ids;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every pipeline's settings share: its prompt book, its declared stages, and range checks that
 * name the option.
 */
public abstract class PipelineSettings implements Serializable {
  private final PromptBook prompts;

  /** The run's seed, from which every call's sampling seed is derived. */
  public final long seed;

  protected PipelineSettings(PromptBook prompts, long seed) {
    this.prompts = prompts;
    this.seed = seed;
  }

  /** The declared stage {@code name}. */
  public StageSpec stage(String name) {
    return prompts.stage(name);
  }

  /**
   * The request of a declared stage: its system and user templates rendered with {@code context},
   * its schema, temperature and {@code max_tokens}, and a seed from the run's seed and the call.
   */
  public ChatRequest request(String stage, Map<String, ?> context, String callId) {
    StageSpec s = stage(stage);
    List<ChatMessage> messages = new ArrayList<>();
    if (s.system() != null) {
      messages.add(ChatMessage.system(render(s.system(), context)));
    }
    if (s.user() != null) {
      messages.add(ChatMessage.user(render(s.user(), context)));
    }
    return request(stage, messages, callId).withStageInput(context);
  }

  /**
   * The request of a declared stage whose turns the stage builds itself (a dialogue so far, say).
   */
  public ChatRequest request(String stage, List<ChatMessage> messages, String callId) {
    StageSpec s = stage(stage);
    return new ChatRequest(
        stage,
        messages,
        s.temperature(),
        s.maxTokens(),
        Ids.seed(seed, stage, callId),
        schema(s.schema()));
  }

  /** The declared system template of {@code stage}, rendered. */
  public String system(String stage, Map<String, ?> context) {
    return render(stage(stage).system(), context);
  }

  public String render(String template, Map<String, ?> context) {
    return prompts.render(template, context);
  }

  public JsonNode schema(String name) {
    return prompts.schema(name);
  }

  public Map<String, String> templateHashes() {
    return prompts.templateHashes();
  }

  /** {@code value}, or a ConfigException naming {@code --option} and its range. */
  protected static int range(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(
          "--" + option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
