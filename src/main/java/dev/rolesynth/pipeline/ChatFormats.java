package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.avro.ChatTurn;
import java.util.List;

/**
 * The JSONL forms trainers read, from a record's turns: OpenAI chat, and preference pairs for TRL
 * and LLaMA-Factory.
 */
public final class ChatFormats {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ChatFormats() {}

  /** Turns as OpenAI chat messages ({@code role}, {@code content}). */
  public static ArrayNode messages(List<ChatTurn> turns) {
    ArrayNode a = MAPPER.createArrayNode();
    turns.forEach(t -> a.addObject().put("role", t.getRole()).put("content", t.getContent()));
    return a;
  }

  /** {@code {"messages": [...]}}. */
  public static String chat(List<ChatTurn> turns) {
    return MAPPER.createObjectNode().set("messages", messages(turns)).toString();
  }

  /**
   * TRL's conversational preference format: the prompt's messages, chosen and rejected as assistant
   * messages.
   */
  public static String trl(List<ChatTurn> prompt, String chosen, String rejected) {
    ObjectNode o = MAPPER.createObjectNode();
    o.set("prompt", messages(prompt));
    o.putArray("chosen").addObject().put("role", "assistant").put("content", chosen);
    o.putArray("rejected").addObject().put("role", "assistant").put("content", rejected);
    return o.toString();
  }

  /**
   * LLaMA-Factory's ShareGPT preference format: the system turn apart, chosen and rejected as gpt
   * turns.
   */
  public static String shareGptPreference(List<ChatTurn> prompt, String chosen, String rejected) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode c = o.putArray("conversations");
    for (ChatTurn t : prompt) {
      if (t.getRole().equals("system")) {
        o.put("system", t.getContent());
      } else {
        c.addObject()
            .put("from", t.getRole().equals("user") ? "human" : "gpt")
            .put("value", t.getContent());
      }
    }
    o.putObject("chosen").put("from", "gpt").put("value", chosen);
    o.putObject("rejected").put("from", "gpt").put("value", rejected);
    return o.toString();
  }
}
