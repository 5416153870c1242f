package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.prompt.PromptBook;
import dev.rolesynth.prompt.StageSpec;
import dev.rolesynth.prompt.TemplateReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The simulated answers pipelines declare beside their stages ({@link StageSimulations}), by stage.
 */
final class Declared {
  private static final Map<String, StageSimulations.Answer> STAGES = new HashMap<>();

  static {
    for (StageSimulations s :
        ServiceLoader.load(StageSimulations.class, Declared.class.getClassLoader())) {
      STAGES.putAll(s.answers());
      Map<String, StageSimulations.Answer.Vars> vars = new HashMap<>(s.vars());
      SimData.of(s.pipeline())
          .answers()
          .forEach(
              (stage, answer) -> {
                StageSimulations.Answer.Vars more = vars.remove(stage);
                StageSimulations.Answer a =
                    more == null ? answer : in -> answer.answer(in.with(more.of(in)));
                if (STAGES.putIfAbsent(stage, a) != null) {
                  throw new IllegalStateException(
                      stage
                          + " is answered both in code and in "
                          + s.pipeline()
                          + "'s simulated.yaml");
                }
              });
      if (!vars.isEmpty()) {
        throw new IllegalStateException(
            s.pipeline() + "'s simulated.yaml declares no answer for " + vars.keySet());
      }
    }
  }

  private Declared() {}

  /** The declared answer for the request's stage, or null when no pipeline declares one. */
  static JsonNode answer(ChatRequest request) {
    StageSimulations.Answer answer = STAGES.get(request.schemaName());
    if (answer == null) {
      return null;
    }
    Map<String, String> vars = new LinkedHashMap<>();
    request.stageInput().forEach((k, v) -> vars.put(k, String.valueOf(v)));
    if (vars.isEmpty()) {
      PromptBook book = Canonical.book(request.schemaName());
      StageSpec spec = book.stage(request.schemaName());
      String firstUser =
          request.messages().stream()
              .filter(m -> m.role().equals("user"))
              .map(m -> m.content())
              .findFirst()
              .orElse("");
      if (spec.user() != null) {
        vars.putAll(TemplateReader.read(book.template(spec.user()), firstUser));
      }
    }
    Map<String, ?> values = request.stageInput().isEmpty() ? vars : request.stageInput();
    // A re-ask after a rejected answer is the same call with more turns: it gets other randomness.
    long seed = request.seed() * 1_000_003L + request.messages().size();
    return answerFor(
        request.schemaName(),
        new StageSimulations.Input(vars, values, request.messages(), request.schema(), seed));
  }

  /** The declared answer of {@code stage} to {@code in}. */
  static JsonNode answerFor(String stage, StageSimulations.Input in) {
    return STAGES.get(stage).answer(in);
  }
}
