package dev.rolesynth.llm;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import de.kherud.llama.args.LogFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * llama.cpp inside this JVM (the java-llama.cpp binding) for {@code
 * --llmEndpoint=gguf:/path/model.gguf}.
 *
 * <p>One model per JVM and file and settings, loaded on first use and shared by every client and
 * thread; closed when the last backend using it closes (the DoFns' teardown). Structured stages are
 * constrained by a grammar built from the stage's JSON Schema; the client still validates the
 * answer, since the grammar does not carry every constraint (numeric ranges, for one), and re-asks.
 *
 * <p>Prompts use the model's own chat template when its GGUF header has one; otherwise ChatML
 * ({@code <|im_start|>role ... <|im_end|>}), the most widely trained format, with generation
 * stopped at {@code <|im_end|>}.
 */
public final class LlamaCppBackend implements LlmBackend {
  private static final Map<LlmConfig.LocalEngine, Engine> ENGINES = new HashMap<>();
  private final LlmConfig.LocalEngine settings;
  private final Engine engine;
  private boolean closed;

  /** A loaded model and the backends using it. */
  private static final class Engine {
    final LlamaModel model;
    final boolean hasTemplate;
    final Map<String, String> grammars = new ConcurrentHashMap<>();
    int users;

    Engine(LlamaModel model, boolean hasTemplate) {
      this.model = model;
      this.hasTemplate = hasTemplate;
    }
  }

  public LlamaCppBackend(LlmConfig.LocalEngine settings) {
    this.settings = settings;
    this.engine = acquire(settings);
  }

  private static synchronized Engine acquire(LlmConfig.LocalEngine s) {
    Engine e = ENGINES.get(s);
    if (e == null) {
      boolean template;
      try {
        template = GgufMetadata.read(Path.of(s.modelPath())).containsKey("tokenizer.chat_template");
      } catch (IOException ex) {
        throw new IllegalStateException(
            "cannot read " + s.modelPath() + ": " + ex.getMessage(), ex);
      }
      LlamaModel.setLogger(
          LogFormat.TEXT, (level, message) -> {}); // llama.cpp's own log is noise here
      ModelParameters p =
          new ModelParameters()
              .setModel(s.modelPath())
              .setCtxSize(s.contextSize() * s.parallel())
              .setThreads(s.threads())
              .setThreadsBatch(s.threads())
              .setParallel(s.parallel())
              .enableContBatching()
              .disableLog();
      e = new Engine(new LlamaModel(p), template);
      ENGINES.put(s, e);
    }
    e.users++;
    return e;
  }

  /** Whether the loaded model formats prompts with its own template (else ChatML). */
  public boolean usesModelTemplate() {
    return engine.hasTemplate;
  }

  @Override
  public String kind() {
    return "llama.cpp";
  }

  private InferenceParameters params(String prompt, ChatRequest request) {
    InferenceParameters p =
        new InferenceParameters(prompt)
            .setNPredict(request.maxTokens())
            .setTemperature((float) request.temperature())
            .setSeed((int) (request.seed() & 0x7fffffff))
            .setCachePrompt(true);
    if (!engine.hasTemplate) {
      p.setStopStrings("<|im_end|>");
    }
    if (request.structured()) {
      p.setGrammar(
          engine.grammars.computeIfAbsent(
              request.schema().toString(), LlamaModel::jsonSchemaToGrammar));
    }
    return p;
  }

  @Override
  public ChatResponse chat(ChatRequest request) throws LlmException {
    String prompt = format(request.messages());
    InferenceParameters p = params(prompt, request);
    try {
      String text = engine.model.complete(p);
      int promptTokens = countTokens(prompt);
      int completionTokens = text.isEmpty() ? 0 : countTokens(text);
      return new ChatResponse(
          text.strip(),
          promptTokens,
          completionTokens,
          completionTokens >= request.maxTokens() ? "length" : "stop");
    } catch (RuntimeException e) {
      // The binding's own exception type is not public; whatever the engine throws ends this
      // attempt.
      String m = String.valueOf(e.getMessage());
      if (m.contains("too big") || m.contains("context")) {
        throw new LlmException(
            LlmException.Kind.PERMANENT,
            "prompt_too_long",
            "llama.cpp: "
                + m
                + " (the prompt does not fit --llamaContextSize="
                + settings.contextSize()
                + ")");
      }
      throw new LlmException(LlmException.Kind.PERMANENT, "engine_error", "llama.cpp: " + m);
    }
  }

  /**
   * The prompt {@link #chat} sends: the conversation in the model's template, or in ChatML when it
   * has none.
   */
  public String format(List<ChatMessage> messages) {
    if (engine.hasTemplate) {
      String system = "";
      List<Pair<String, String>> turns = new ArrayList<>();
      for (ChatMessage m : messages) {
        if (m.role().equals("system") && system.isEmpty() && turns.isEmpty()) {
          system = m.content();
        } else {
          turns.add(new Pair<>(m.role(), m.content()));
        }
      }
      return engine.model.applyTemplate(new InferenceParameters("").setMessages(system, turns));
    }
    return chatMl(messages);
  }

  static String chatMl(List<ChatMessage> messages) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      sb.append("<|im_start|>")
          .append(m.role())
          .append('\n')
          .append(m.content())
          .append("<|im_end|>\n");
    }
    return sb.append("<|im_start|>assistant\n").toString();
  }

  /**
   * The engine alone, for the benchmark: the prompt this request would be given and the same
   * sampling settings, straight to llama.cpp, with no token counting or response object around it.
   */
  public String completeRaw(ChatRequest request, String formattedPrompt) {
    return engine.model.complete(params(formattedPrompt, request));
  }

  public int countTokens(String text) {
    return engine.model.encode(text).length;
  }

  @Override
  public void close() {
    synchronized (LlamaCppBackend.class) {
      if (closed) {
        return;
      }
      closed = true;
      if (--engine.users == 0) {
        ENGINES.remove(settings);
        engine.model.close();
      }
    }
  }
}
