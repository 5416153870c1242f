package dev.rolesynth.lima;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Annotation;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Judged;
import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.retrieval.Words;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** LIMA-Role's LLM stages: the self-prompt annotation and the optional Jekyll & Hyde comparison. */
final class LimaTasks {
  private LimaTasks() {}

  abstract static class ItemTask<I, O> extends LlmTask<I, O> {
    final LimaRoleSettings settings;

    ItemTask(LimaRoleSettings settings) {
      this.settings = settings;
    }

    abstract Item item(I input);

    @Override
    public String recordId(I input) {
      return item(input).id();
    }

    @Override
    public String callId(I input) {
      return item(input).id() + "/" + stage();
    }

    @Override
    public Origin origin(I input) {
      return item(input).origin();
    }
  }

  /** The one annotation call: the most suitable expert role, its role-setting prompt and its feedback. */
  static final class Annotate extends ItemTask<Item, Annotated> {
    Annotate(LimaRoleSettings settings) {
      super(settings);
    }

    @Override
    Item item(Item input) {
      return input;
    }

    @Override
    public String stage() {
      return "lima_role";
    }

    @Override
    public ChatRequest request(Item item) {
      Map<String, Object> ctx = Map.of("question", item.question(), "minChars", settings.minPromptChars, "maxChars",
          settings.maxPromptChars);
      return settings.request(stage(), ctx, callId(item));
    }

    @Override
    public AnswerCheck check(Item item) {
      return a -> problem(settings, item, a.get("role").asText(), a.get("rolePrompt").asText(), a.get("feedback").asText());
    }

    @Override
    public List<Annotated> parse(Item item, CallOutcome outcome) {
      JsonNode j = outcome.json();
      return List.of(new Annotated(item, new Annotation(j.get("role").asText().strip(), j.get("rolePrompt").asText().strip(),
          j.get("feedback").asText().strip()), null, 1));
    }
  }

  /**
   * Why an annotation is unusable, or null: it must name a role that its prompt casts, stay within
   * the length bounds, not answer the question, and be in the question's language.
   */
  static String problem(LimaRoleSettings s, Item item, String role, String prompt, String feedback) {
    if (role.isBlank() || words(role).isEmpty()) {
      return "\"role\" must name the expert, e.g. \"an experienced tax accountant\"";
    }
    if (words(role).size() > 12) {
      return "\"role\" must be a short name for the expert, at most 12 words";
    }
    Set<String> cast = words(prompt);
    if (words(role).stream().noneMatch(cast::contains) && !prompt.contains(role.strip())) {
      return "the role prompt must cast the assistant as the role it names (\"" + role.strip() + "\")";
    }
    int len = length(prompt.strip());
    if (len < s.minPromptChars || len > s.maxPromptChars) {
      return "the role prompt must be " + s.minPromptChars + " to " + s.maxPromptChars + " characters long, not " + len;
    }
    if (feedback.isBlank() || length(feedback.strip()) > s.maxPromptChars) {
      return "\"feedback\" must be a short in-role acknowledgement";
    }
    String answered = answers(item, prompt + "\n" + feedback);
    if (answered != null) {
      return "the role prompt and feedback must not answer the question (they contain \"" + answered + "\"); only set up the role";
    }
    return LanguageCheck.mismatch(s.languages, item.question(), prompt + " " + feedback);
  }

  /** Characters, with Han, kana and Hangul counted twice: they carry about as much as two Latin letters. */
  static int length(String text) {
    return text.codePoints().map(c -> {
      Character.UnicodeScript sc = Character.UnicodeScript.of(c);
      return sc == Character.UnicodeScript.HAN || sc == Character.UnicodeScript.HIRAGANA
          || sc == Character.UnicodeScript.KATAKANA || sc == Character.UnicodeScript.HANGUL ? 2 : 1;
    }).sum();
  }

  /** A run of eight words from the reference answer, or a short answer given verbatim; null if neither. */
  static String answers(Item item, String text) {
    String answer = item.answer().strip();
    if (answer.isEmpty()) {
      return null;
    }
    if (Words.of(answer).size() >= 2 && answer.length() <= 60 && text.toLowerCase(Locale.ROOT).contains(answer.toLowerCase(Locale.ROOT))) {
      return answer;
    }
    return Words.sharedRun(answer, text, 8);
  }

  /** Content words (and, for scripts without spaces, the characters) of a text. */
  private static Set<String> words(String s) {
    Set<String> out = new HashSet<>();
    for (String w : Words.of(s)) {
      if (w.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
        w.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
      } else if (w.length() > 2 && !Set.of("the", "and", "who", "with", "for", "you", "are", "from", "now").contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Jekyll: the answer given with the role-setting prompt and its feedback before the question. */
  static final class AnswerInRole extends ItemTask<Annotated, Annotated> {
    AnswerInRole(LimaRoleSettings settings) {
      super(settings);
    }

    @Override
    Item item(Annotated input) {
      return input.item();
    }

    @Override
    public String stage() {
      return "lima_answer_role";
    }

    @Override
    public ChatRequest request(Annotated a) {
      return settings.request(stage(), List.of(ChatMessage.user(a.annotation().rolePrompt()),
          ChatMessage.assistant(a.annotation().feedback()), ChatMessage.user(a.item().question())), callId(a));
    }

    @Override
    public List<Annotated> parse(Annotated a, CallOutcome outcome) {
      return List.of(a.withJudged(new Judged(outcome.json().get("answer").asText().strip(), null, null, null)));
    }
  }

  /** Hyde: the answer given with a neutral system prompt. */
  static final class AnswerNeutral extends ItemTask<Annotated, Annotated> {
    AnswerNeutral(LimaRoleSettings settings) {
      super(settings);
    }

    @Override
    Item item(Annotated input) {
      return input.item();
    }

    @Override
    public String stage() {
      return "lima_answer_neutral";
    }

    @Override
    public ChatRequest request(Annotated a) {
      return settings.request(stage(), List.of(ChatMessage.system(settings.system(stage(), Map.of())),
          ChatMessage.user(a.item().question())), callId(a));
    }

    @Override
    public List<Annotated> parse(Annotated a, CallOutcome outcome) {
      Judged j = a.judged();
      return List.of(a.withJudged(new Judged(j.roleAnswer(), outcome.json().get("answer").asText().strip(), null, null)));
    }
  }

  /**
   * The judge, once per order: with {@code roleFirst} the role answer is A, otherwise B, so that a
   * judge who prefers a position cannot make a winner on its own.
   */
  static final class Compare extends ItemTask<Annotated, Annotated> {
    private final boolean roleFirst;

    Compare(LimaRoleSettings settings, boolean roleFirst) {
      super(settings);
      this.roleFirst = roleFirst;
    }

    @Override
    Item item(Annotated input) {
      return input.item();
    }

    @Override
    public String stage() {
      return roleFirst ? "lima_judge_role_first" : "lima_judge_neutral_first";
    }

    @Override
    public ChatRequest request(Annotated a) {
      Judged j = a.judged();
      Map<String, Object> ctx = Map.of("question", a.item().question(), "a", roleFirst ? j.roleAnswer() : j.neutralAnswer(),
          "b", roleFirst ? j.neutralAnswer() : j.roleAnswer());
      return settings.request(stage(), ctx, callId(a));
    }

    /** The verdict in terms of the answers: A or B mapped back to role or neutral. */
    String verdict(String winner) {
      return switch (winner) {
        case "A" -> roleFirst ? "role" : "neutral";
        case "B" -> roleFirst ? "neutral" : "role";
        default -> "tie";
      };
    }

    @Override
    public List<Annotated> parse(Annotated a, CallOutcome outcome) {
      Judged j = a.judged();
      String v = verdict(outcome.json().get("winner").asText());
      Judged next = roleFirst ? new Judged(j.roleAnswer(), j.neutralAnswer(), v, j.neutralFirst())
          : new Judged(j.roleAnswer(), j.neutralAnswer(), j.roleFirst(), v);
      return List.of(a.withJudged(next));
    }
  }
}
