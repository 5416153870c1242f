package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.LlmClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/**
 * How the built-in simulator answers one pipeline's stages, declared by the pipeline beside its
 * stages and found through {@link ServiceLoader}: a new pipeline edits no simulator file. An answer
 * reads the stage's input (the variables its templates were rendered with), never the prompt's
 * wording; served over HTTP, where a request carries no input, the variables are read back from the
 * prompt with the stage's shipped user template.
 */
public interface StageSimulations {
  /** The pipeline whose {@code pipeline.yaml} declares these stages. */
  String pipeline();

  /** Simulated answers by stage name. */
  Map<String, Answer> answers();

  /**
   * Variables that a stage's answer in {@code simulated.yaml} may use besides the stage's own (a
   * name drawn, a number worked out), by stage: the choices in code, the answer's shape as data.
   */
  default Map<String, Answer.Vars> vars() {
    return Map.of();
  }

  /** One stage's simulated answer; it must be valid under the stage's schema. */
  interface Answer {
    JsonNode answer(Input input);

    /** What a stage's declared answer may use besides the stage's variables. */
    interface Vars {
      Map<String, ?> of(Input input);
    }
  }

  /**
   * What an answer may read: the stage's variables as text, and as the values the stage rendered
   * (lists and maps too; only in process: read back from a prompt they are text, and sections are
   * not read back); the turns as the shipped templates render them from that input (in process;
   * served over HTTP, as sent), for stages whose turns the code builds (a dialogue so far) or whose
   * answer reads rendered text; the request's schema (which a stage may narrow per record); and the
   * call's seed, which comes from the run's seed and the call, not from the prompt's wording.
   */
  record Input(
      Map<String, String> vars,
      Map<String, ?> values,
      List<ChatMessage> messages,
      JsonNode schema,
      long seed) {
    /** This input with {@code more} variables (as text, and as values) beside the stage's. */
    public Input with(Map<String, ?> more) {
      Map<String, String> all = new LinkedHashMap<>(vars);
      Map<String, Object> allValues = new LinkedHashMap<>(values);
      more.forEach((k, v) -> all.put(k, String.valueOf(v)));
      allValues.putAll(more);
      return new Input(all, allValues, messages, schema, seed);
    }

    /** A variable, or "" when the stage has none of that name. */
    public String get(String name) {
      return vars.getOrDefault(name, "");
    }

    /** Randomness for this call: the same for the same call, whatever its prompt says. */
    public SplittableRandom random() {
      return new SplittableRandom(seed);
    }

    /** The system turn, or "". */
    public String system() {
      return messages.stream()
          .filter(m -> m.role().equals("system"))
          .map(ChatMessage::content)
          .findFirst()
          .orElse("");
    }

    /** The first user turn, or "". */
    public String firstUser() {
      return messages.stream()
          .filter(m -> m.role().equals("user"))
          .map(ChatMessage::content)
          .findFirst()
          .orElse("");
    }

    /** The last user turn that is not a re-ask after a rejected answer, or "". */
    public String lastUser() {
      String last = "";
      for (ChatMessage m : messages) {
        if (m.role().equals("user") && !m.content().startsWith(LlmClient.REASK)) {
          last = m.content();
        }
      }
      return last;
    }

    /**
     * An answer valid under the stage's schema, its text taken from the turns: for stages that need
     * nothing better.
     */
    public JsonNode fill(SplittableRandom random) {
      StringBuilder all = new StringBuilder();
      messages.forEach(m -> all.append(m.content()).append('\n'));
      return new SchemaFiller(random, all.toString()).fill(schema);
    }
  }
}
