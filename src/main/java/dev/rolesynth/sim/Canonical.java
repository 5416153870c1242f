package dev.rolesynth.sim;

import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.prompt.PromptBook;
import dev.rolesynth.prompt.StageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The request as the shipped templates would have rendered it from the same stage input: what the
 * simulator answers in process, so that a --promptDir translation (same variables, other words)
 * changes none of its answers, whichever way a stage's simulation reads them. Served over HTTP a
 * request carries no stage input and is answered as sent, as a provider would.
 */
final class Canonical {
  private static volatile Map<String, PromptBook> books;

  private Canonical() {}

  static ChatRequest of(ChatRequest r) {
    if (r.stageInput().isEmpty()) {
      return r;
    }
    PromptBook book = book(r.schemaName());
    if (book == null) {
      return r;
    }
    StageSpec spec = book.stage(r.schemaName());
    List<ChatMessage> m = new ArrayList<>(r.messages());
    try {
      int i = 0;
      if (spec.system() != null && i < m.size() && m.get(i).role().equals("system")) {
        m.set(i++, ChatMessage.system(book.render(spec.system(), r.stageInput())));
      }
      if (spec.user() != null && i < m.size() && m.get(i).role().equals("user")) {
        m.set(i, ChatMessage.user(book.render(spec.user(), r.stageInput())));
      }
    } catch (IllegalArgumentException e) {
      return r; // the input does not fit the shipped template: answer what was sent
    }
    return new ChatRequest(
        r.schemaName(), m, r.temperature(), r.maxTokens(), r.seed(), r.schema(), r.stageInput());
  }

  /** The shipped prompt book of the pipeline declaring {@code stage}, or null when none does. */
  static PromptBook book(String stage) {
    return books().get(stage);
  }

  /** Stage name to the shipped prompt book of its pipeline. */
  private static Map<String, PromptBook> books() {
    if (books == null) {
      Map<String, PromptBook> out = new HashMap<>();
      List<String> pipelines = new ArrayList<>();
      ServiceLoader.load(StageSimulations.class, Canonical.class.getClassLoader())
          .forEach(s -> pipelines.add(s.pipeline()));
      for (String p : pipelines) {
        PromptBook book = PromptBook.load(p, "");
        book.stageNames().forEach(stage -> out.put(stage, book));
      }
      books = out;
    }
    return books;
  }
}
