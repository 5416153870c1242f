package dev.rolesynth.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Parses a model's JSON answer and validates it against the stage's JSON Schema. */
public final class JsonAnswers {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();

  private JsonAnswers() {}

  /** Thrown with a message fit to send back to the model. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  /**
   * Reads the JSON object in {@code content}. Models often wrap JSON in a code fence or add a sentence
   * of reasoning first, so the outermost {...} is taken.
   */
  public static JsonNode parse(String content) throws Invalid {
    String text = content == null ? "" : content.trim();
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end <= start) {
      throw new Invalid("the answer contains no JSON object");
    }
    try {
      return MAPPER.readTree(text.substring(start, end + 1));
    } catch (JsonProcessingException e) {
      throw new Invalid("the answer is not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /** @return null when valid, else the first few violations in one line */
  public static String violations(JsonNode schema, JsonNode answer) {
    JsonSchema compiled = COMPILED.computeIfAbsent(schema.toString(), k -> FACTORY.getSchema(schema));
    Set<ValidationMessage> errors = compiled.validate(answer);
    if (errors.isEmpty()) {
      return null;
    }
    return errors.stream().limit(5).map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
  }
}
