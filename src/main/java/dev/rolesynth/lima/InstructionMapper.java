package dev.rolesynth.lima;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Turn;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolMapper;
import dev.rolesynth.pool.RoleMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads instruction datasets, recognising each record's format: LIMA ({@code conversations} as a
 * list of strings, user first), ShareGPT ({@code conversations} of {@code {from, value}}), OpenAI
 * chat ({@code messages} of {@code {role, content}}), self-instruct ({@code instruction} with
 * {@code instances} of {@code {input, output}}) and Alpaca ({@code instruction}, {@code input},
 * {@code output}). The first user turn is the question; what follows its answer is kept as it is.
 */
public final class InstructionMapper extends PoolMapper<Item> {
  private final int maxFieldChars;

  public InstructionMapper(int maxFieldChars) {
    super(Item.class);
    this.maxFieldChars = maxFieldChars;
  }

  @Override
  public Item map(JsonNode r, Origin origin) throws BadRecordException {
    List<String> warnings = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    String system = "";
    String format;
    JsonNode conv = r.has("conversations") ? r.get("conversations") : r.get("messages");
    if (conv != null) {
      if (!conv.isArray() || conv.isEmpty()) {
        throw new BadRecordException(
            "wrong_type",
            "field '"
                + (r.has("conversations") ? "conversations" : "messages")
                + "' must be a non-empty list of turns");
      }
      if (conv.get(0).isTextual()) {
        format = "lima";
        for (int i = 0; i < conv.size(); i++) {
          turns.add(new Turn(i % 2 == 0 ? "user" : "assistant", conv.get(i).asText()));
        }
      } else {
        format = r.has("conversations") ? "sharegpt" : "chat";
        for (JsonNode t : conv) {
          String role = normRole(t.path("from").asText(t.path("role").asText("")));
          String text = t.path("value").asText(t.path("content").asText(""));
          if (role == null) {
            throw new BadRecordException(
                "wrong_type",
                "a turn of '"
                    + (r.has("conversations") ? "conversations" : "messages")
                    + "' has no known speaker (from/role: human, user, gpt, assistant, system)");
          }
          if (role.equals("system")) {
            system = text;
          } else {
            turns.add(new Turn(role, text));
          }
        }
      }
    } else if (r.path("instruction").isTextual()) {
      String instruction = r.get("instruction").asText();
      String input;
      String output;
      if (r.path("instances").isArray() && !r.get("instances").isEmpty()) {
        format = "self-instruct";
        JsonNode first = r.get("instances").get(0);
        input = first.path("input").asText("");
        output = first.path("output").asText("");
        if (r.get("instances").size() > 1) {
          warnings.add("only the first of " + r.get("instances").size() + " instances was used");
        }
      } else {
        format = "alpaca";
        input = r.path("input").asText("");
        output = r.path("output").asText("");
      }
      turns.add(
          new Turn(
              "user",
              input.isBlank() ? instruction : instruction.strip() + "\n\n" + input.strip()));
      if (!output.isBlank()) {
        turns.add(new Turn("assistant", output));
      }
    } else {
      throw new BadRecordException(
          "unknown_format",
          "the record is none of LIMA/ShareGPT ('conversations'), chat "
              + "('messages'), self-instruct ('instruction' + 'instances') or Alpaca ('instruction', 'input', 'output')");
    }
    while (!turns.isEmpty() && !turns.get(0).role().equals("user")) {
      warnings.add(
          "a leading "
              + turns.get(0).role()
              + " turn was dropped: the question is the first user turn");
      turns.remove(0);
    }
    if (turns.isEmpty() || turns.get(0).content().isBlank()) {
      throw new BadRecordException("missing_field", "the record has no user turn to annotate");
    }
    String question =
        capped(turns.get(0).content().strip(), "the question", maxFieldChars, warnings);
    String answer =
        turns.size() > 1 && turns.get(1).role().equals("assistant")
            ? turns.get(1).content().strip()
            : "";
    List<Turn> rest = new ArrayList<>(turns.subList(answer.isEmpty() ? 1 : 2, turns.size()));
    String given = givenId(r);
    String id = given.isEmpty() ? "i-" + RoleMapper.shortHash(question) : given;
    return new Item(id, format, question, answer, rest, system, origin, warnings);
  }

  /**
   * An item's id is given, or the hash of its question: items that share it are told apart by
   * ReadPool.
   */
  @Override
  public Map<String, String> identity(JsonNode r, Item mapped) {
    return !givenId(r).isEmpty()
        ? Map.of("id", mapped.id())
        : Map.of("question", mapped.question());
  }

  private static String normRole(String from) {
    return switch (from.toLowerCase(Locale.ROOT)) {
      case "human", "user" -> "user";
      case "gpt", "assistant", "chatgpt", "bing", "bard", "model" -> "assistant";
      case "system" -> "system";
      default -> null;
    };
  }
}
