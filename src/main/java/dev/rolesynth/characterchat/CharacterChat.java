package dev.rolesynth.characterchat;

import dev.rolesynth.pool.Counted;
import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.prompt.Resources;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lombok.With;

/** The records that flow between CharacterChat's stages. */
public final class CharacterChat {
  static final String PIPELINE = "characterchat";

  /**
   * The sixteen fields of a profile, in the authors' order and with their names: as the profile
   * stage's schema lists them, declared there once.
   */
  static final List<String> FIELDS = fields();

  private static List<String> fields() {
    List<String> out = new ArrayList<>();
    Resources.schema(CharacterChat.PIPELINE, "profile")
        .get("properties")
        .fieldNames()
        .forEachRemaining(out::add);
    return List.copyOf(out);
  }

  static final String WORRY = "recent_worry_or_anxiety";
  static final String ADDITIONAL = "additional_information";

  /** What a seeker's statement is written from; a supporter's has no worry (the authors'). */
  static final List<String> SEEKER_BASE =
      List.of("name", "gender", "age", "region", "job", "personality", "tone", WORRY);

  static final List<String> SUPPORTER_BASE =
      List.copyOf(SEEKER_BASE.subList(0, SEEKER_BASE.size() - 1));

  /** Fields kept as they are in the second-person profile, however long (the authors'). */
  private static final List<String> KEPT = List.of("name", "gender", "age", "region", "job");

  static final String SEEKER = "seeker";
  static final String SUPPORTER = "supporter";

  private CharacterChat() {}

  /** A line of the pool: an MBTI type and the description its profiles are invented from. */
  public record MbtiType(
      String id, String mbti, String description, Origin origin, List<String> warnings)
      implements PoolRecord {}

  /** The {@code index}-th profile to invent for a type. */
  record Slot(MbtiType type, int index) implements Derived {

    String key() {
      return type.id() + "-" + index;
    }
  }

  /**
   * A person as the authors make one: the profile, then the same chat's expansion of it ({@code
   * filled}); a statement as a seeker and one as a supporter, written from the base fields; the
   * long fields and those naming the person rewritten in the second person one by one ({@code
   * rewritten}); additional information written from the profile, then rewritten.
   */
  @With
  record Person(
      Slot slot,
      Map<String, String> profile,
      Map<String, String> filled,
      String seekerStatement,
      String supporterStatement,
      Map<String, String> rewritten,
      String additional,
      String additionalTrans,
      int llmCalls)
      implements Derived, Counted<Person> {
    static Person invented(Slot slot, Map<String, String> profile) {
      return new Person(slot, profile, Map.of(), "", "", Map.of(), "", "", 0);
    }

    String key() {
      return slot.key();
    }

    String name() {
      return (filled.isEmpty() ? profile : filled).get("name");
    }

    Person rewrote(String field, String text) {
      Map<String, String> r = new LinkedHashMap<>(rewritten);
      r.put(field, text);
      return withRewritten(r);
    }

    /**
     * The fields the authors rewrite, one call each: all but the kept ones that have 20 words or
     * more, or name the person (the full name or any part of it, as text within the field).
     */
    List<String> toRewrite() {
      List<String> parts = List.of(name().split(" "));
      List<String> out = new ArrayList<>();
      filled.forEach(
          (k, v) -> {
            boolean named = parts.stream().anyMatch(p -> !p.isEmpty() && v.contains(p));
            if (!KEPT.contains(k) && (v.split(" ").length >= 20 || named)) {
              out.add(k);
            }
          });
      return out;
    }

    /** The next field to rewrite, or null when all are. */
    String nextRewrite() {
      return toRewrite().stream().filter(f -> !rewritten.containsKey(f)).findFirst().orElse(null);
    }

    /** The profile in the second person: rewritten fields, the others as they are. */
    Map<String, String> trans() {
      Map<String, String> out = new LinkedHashMap<>();
      filled.forEach((k, v) -> out.put(k, rewritten.getOrDefault(k, v)));
      out.put(ADDITIONAL, additionalTrans);
      return out;
    }

    /** The expanded profile with its additional information, as the authors publish it. */
    Map<String, String> published() {
      Map<String, String> out = new LinkedHashMap<>(filled);
      out.put(ADDITIONAL, additional);
      return out;
    }
  }

  record Utterance(int turn, String speaker, String aspect, String content, String utterance)
      implements Serializable {}

  /**
   * A dialogue in progress: the seeker opens with "Hello"; {@code aspect} and {@code content} are
   * what the next utterance draws on. Once the stop rule holds ({@code stopRule}), or two
   * utterances before the limit, the dialogue is {@code closing}: the next speaker says goodbye,
   * then the other, and after those two {@code farewells} it is done.
   */
  @With
  record Talk(
      Person seeker,
      Person supporter,
      String seekerTone,
      String supporterTone,
      List<Utterance> dial,
      List<Integer> sentiments,
      String aspect,
      String content,
      boolean stopRule,
      boolean closing,
      int farewells,
      int llmCalls)
      implements Derived, Counted<Talk> {
    static final String HELLO = "Hello";

    /** A dialogue not begun: the calls that made both people. */
    static Talk between(Person seeker, Person supporter) {
      int calls = seeker.llmCalls() + supporter.llmCalls();
      return new Talk(
          seeker, supporter, "", "", List.of(), List.of(), "", "", false, false, 0, calls);
    }

    String key() {
      return seeker.key() + "~" + supporter.key();
    }

    boolean seekersTurn() {
      return dial.size() % 2 == 0;
    }

    Person speaker() {
      return seekersTurn() ? seeker : supporter;
    }

    Person listener() {
      return seekersTurn() ? supporter : seeker;
    }

    boolean done() {
      return farewells >= 2;
    }

    /** The last utterance said, or "" before the first. */
    String lastUtterance() {
      return dial.isEmpty() ? "" : dial.get(dial.size() - 1).utterance();
    }

    Talk choosing(String a, String c) {
      return withAspect(a).withContent(c);
    }

    /** The tone examples of the seeker, then of the supporter (two calls of the same stage). */
    Talk toned(String examples) {
      return seekerTone.isEmpty() ? withSeekerTone(examples) : withSupporterTone(examples);
    }

    /** Whose tone examples are written next: the seeker's, then the supporter's. */
    Person toneOf() {
      return seekerTone.isEmpty() ? seeker : supporter;
    }

    /**
     * The next utterance said (turns from 0, the seeker's "Hello"); a goodbye draws on no aspect.
     * Two utterances before {@code maxUtterances} the dialogue closes, so that it ends in goodbyes,
     * never cut mid-way.
     */
    Talk said(String utterance, int maxUtterances) {
      List<Utterance> d = new ArrayList<>(dial);
      String speaker = seekersTurn() ? SEEKER : SUPPORTER;
      d.add(
          new Utterance(
              d.size(), speaker, closing ? "" : aspect, closing ? "" : content, utterance));
      return withDial(d)
          .choosing("", "")
          .withClosing(closing || d.size() >= maxUtterances - 2)
          .withFarewells(closing ? farewells + 1 : farewells);
    }

    /**
     * The seeker's sentiment after their utterance; the authors' stop rule: five scores, the last
     * two at least 4.
     */
    Talk felt(int score) {
      List<Integer> s = new ArrayList<>(sentiments);
      s.add(score);
      boolean stop = s.size() >= 5 && s.get(s.size() - 1) >= 4 && s.get(s.size() - 2) >= 4;
      return withSentiments(s).withStopRule(stopRule || stop).withClosing(closing || stop);
    }
  }

  /** A finished dialogue with its scores (all 0 when scoring is off). */
  @With
  record Scored(Talk talk, int mood, int usefulness, int engagement, String reason, int llmCalls)
      implements Derived, Counted<Scored> {}
}
