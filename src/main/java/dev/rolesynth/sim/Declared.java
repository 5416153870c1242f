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

/** The simulated answers pipelines declare beside their stages ({@link StageSimulations}), by stage. */
final class Declared {
  private record Entry(String pipeline, StageSimulations.Answer answer) {}

  private static final Map<String, Entry> STAGES = new HashMap<>();
  private static final Map<String, PromptBook> BOOKS = new java.util.concurrent.ConcurrentHashMap<>();

  static {
    for (StageSimulations s : ServiceLoader.load(StageSimulations.class, Declared.class.getClassLoader())) {
      s.answers().forEach((stage, a) -> STAGES.put(stage, new Entry(s.pipeline(), a)));
    }
  }

  private Declared() {}

  /** The declared answer for the request's stage, or null when no pipeline declares one. */
  static JsonNode answer(ChatRequest request, String firstUser, String lastUser) {
    Entry e = STAGES.get(request.schemaName());
    if (e == null) {
      return null;
    }
    Map<String, String> vars = new LinkedHashMap<>();
    request.stageInput().forEach((k, v) -> vars.put(k, String.valueOf(v)));
    if (vars.isEmpty()) {
      StageSpec spec = BOOKS.computeIfAbsent(e.pipeline(), p -> PromptBook.load(p, "")).stage(request.schemaName());
      if (spec.user() != null) {
        vars.putAll(TemplateReader.read(BOOKS.get(e.pipeline()).template(spec.user()), firstUser));
      }
    }
    Map<String, ?> values = request.stageInput().isEmpty() ? vars : request.stageInput();
    return e.answer().answer(new StageSimulations.Input(vars, values, lastUser, request.schema(), request.seed()));
  }
}
