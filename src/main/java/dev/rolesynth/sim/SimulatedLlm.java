package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Hashes;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.ChatResponse;
import dev.rolesynth.llm.LlmBackend;
import dev.rolesynth.llm.SimulatorProvider;
import java.util.SplittableRandom;

/**
 * A deterministic stand-in for a model: no network, no weights. The same request always gets the
 * same answer; a stage whose answers must be plausible (Ditto's questions, in-role answers and
 * refusals, judges...) is answered as its pipeline declares beside it ({@link StageSimulations}),
 * any other structured stage by a schema-driven filler from the prompt's own material.
 */
public final class SimulatedLlm implements LlmBackend {
  /** Registers the simulator for {@code --llmEndpoint=sim}. */
  @AutoService(SimulatorProvider.class)
  public static final class Provider implements SimulatorProvider {
    @Override
    public LlmBackend create() {
      return new SimulatedLlm();
    }
  }

  @Override
  public String kind() {
    return "sim";
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    String content = answer(request);
    return new ChatResponse(
        content, request.estimatePromptTokens(), Math.max(1, content.length() / 4), "stop");
  }

  /** The simulated answer text for a request. */
  public static String answer(ChatRequest sent) {
    ChatRequest request = Canonical.of(sent);
    SplittableRandom random = new SplittableRandom(seedOf(request));
    if (!request.structured()) {
      return new SchemaFiller(random, text(request))
          .text(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                  .objectNode()
                  .put("maxLength", 600));
    }
    JsonNode declared = Declared.answer(request);
    return (declared != null
            ? declared
            : new SchemaFiller(random, text(request)).fill(request.schema()))
        .toString();
  }

  private static String text(ChatRequest request) {
    StringBuilder all = new StringBuilder();
    request.messages().forEach(m -> all.append(m.content()).append('\n'));
    return all.toString();
  }

  private static long seedOf(ChatRequest request) {
    StringBuilder all = new StringBuilder().append(request.seed()).append(request.schemaName());
    for (ChatMessage m : request.messages()) {
      all.append(m.role()).append(m.content());
    }
    return Hashes.first64(all.toString()); // the same bytes as hashed part by part
  }
}
