package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.ChatResponse;
import dev.rolesynth.llm.LlmBackend;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic stand-in for a model: no network, no weights. The same request always gets the
 * same answer; structured stages get schema-valid JSON built from the prompt's own material, with
 * dedicated simulations for stages whose answers must be plausible (Ditto's questions, in-role
 * answers and refusals, judges), and a schema-driven filler for any other stage.
 */
public final class SimulatedLlm implements LlmBackend {
  /** Registers the simulator for {@code --llmEndpoint=sim} (META-INF/services). */
  public static final class Provider implements dev.rolesynth.llm.SimulatorProvider {
    @Override
    public LlmBackend create() {
      return new SimulatedLlm();
    }
  }

  /** Answers one stage, keyed by the schema name the request carries. */
  interface StageSim {
    JsonNode answer(SimCall call);
  }

  /**
   * What a stage simulation may read: {@code input}, the variables the stage's templates were rendered
   * with (read these rather than the prompt's text); {@code user}, the first user turn, and
   * {@code question}, the last one that is not a re-ask, for stages whose turns are data.
   */
  record SimCall(ChatRequest request, String system, String user, String question, SplittableRandom random,
      SchemaFiller filler) {
    /**
     * The stage input {@code name}; served over HTTP, where a request carries none (a provider sees
     * only the prompt), the {@code nth} match of {@code inPrompt} in the first user turn, or {@code otherwise}.
     */
    String input(String name, java.util.regex.Pattern inPrompt, int group, int nth, String otherwise) {
      Object v = request.stageInput().get(name);
      if (v != null) {
        return v.toString();
      }
      java.util.regex.Matcher m = inPrompt.matcher(user);
      for (int i = 0; i < nth; i++) {
        if (!m.find()) {
          return otherwise;
        }
      }
      return m.group(group);
    }
  }

  private static final Map<String, StageSim> STAGES = new java.util.HashMap<>();

  static {
    STAGES.putAll(DittoSim.stages());
    STAGES.putAll(BeyondDialogueSim.stages());
    STAGES.putAll(LimaSim.stages());
  }

  /** The stages simulated in this package (the others are declared by their pipelines). */
  static java.util.Set<String> builtInStages() {
    return java.util.Collections.unmodifiableSet(STAGES.keySet());
  }

  @Override
  public String kind() {
    return "sim";
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    String content = answer(request);
    return new ChatResponse(content, request.estimatePromptTokens(), Math.max(1, content.length() / 4), "stop");
  }

  /** The simulated answer text for a request. */
  public static String answer(ChatRequest sent) {
    ChatRequest request = Canonical.of(sent);
    SplittableRandom random = new SplittableRandom(seedOf(request));
    String system = "";
    String user = "";
    StringBuilder all = new StringBuilder();
    List<ChatMessage> messages = request.messages();
    for (ChatMessage m : messages) {
      all.append(m.content()).append('\n');
      if (m.role().equals("system") && system.isEmpty()) {
        system = m.content();
      }
    }
    // The first user turn; later ones are conversation history, or re-asks after a rejected answer.
    String question = "";
    for (ChatMessage m : messages) {
      if (m.role().equals("user") && user.isEmpty()) {
        user = m.content();
      }
      if (m.role().equals("user") && !m.content().startsWith(dev.rolesynth.llm.LlmClient.REASK)) {
        question = m.content();
      }
    }
    SchemaFiller filler = new SchemaFiller(random, all.toString());
    if (!request.structured()) {
      return filler.text(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("maxLength", 600));
    }
    SimCall call = new SimCall(request, system, user, question, random, filler);
    StageSim stage = STAGES.get(request.schemaName());
    if (stage != null) {
      return stage.answer(call).toString();
    }
    JsonNode declared = Declared.answer(request, user, question);
    return (declared != null ? declared : filler.fill(request.schema())).toString();
  }

  private static long seedOf(ChatRequest request) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Long.toString(request.seed()).getBytes(StandardCharsets.UTF_8));
      sha.update(String.valueOf(request.schemaName()).getBytes(StandardCharsets.UTF_8));
      for (ChatMessage m : request.messages()) {
        sha.update(m.role().getBytes(StandardCharsets.UTF_8));
        sha.update(m.content().getBytes(StandardCharsets.UTF_8));
      }
      byte[] d = sha.digest();
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
