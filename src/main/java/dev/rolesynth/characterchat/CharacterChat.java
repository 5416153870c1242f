package dev.rolesynth.characterchat;

import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.Traced;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The records that flow between CharacterChat's stages. */
public final class CharacterChat {
  /** The sixteen fields of a profile, in the authors' order. */
  static final List<String> FIELDS =
      List.of(
          "name",
          "gender",
          "age",
          "region",
          "tone",
          "job",
          "personality",
          "hobby",
          "family",
          "work",
          "social",
          "emotional_state",
          "living_conditions",
          "recent_worry",
          "strengths",
          "habits");

  static final String SEEKER = "seeker";
  static final String SUPPORTER = "supporter";

  private CharacterChat() {}

  /** A line of the pool: an MBTI type. */
  public record MbtiType(String id, String mbti, Origin origin, List<String> warnings)
      implements PoolRecord {}

  /** The {@code index}-th profile to invent for a type. */
  record Slot(MbtiType type, int index) implements Derived {
    @Override
    public Traced from() {
      return type;
    }

    String key() {
      return type.id() + "-" + index;
    }
  }

  /**
   * A person: the short profile, then expanded, then in the second person, then with tone examples.
   */
  record Person(
      Slot slot,
      Map<String, String> profile,
      Map<String, String> filled,
      Map<String, String> second,
      String seekerInfo,
      String supporterInfo,
      String additional,
      List<String> seekerTone,
      List<String> supporterTone)
      implements Derived {
    @Override
    public Traced from() {
      return slot;
    }

    String key() {
      return slot.key();
    }

    String name() {
      return profile.get("name");
    }

    Person expanded(Map<String, String> f) {
      return new Person(
          slot,
          profile,
          f,
          second,
          seekerInfo,
          supporterInfo,
          additional,
          seekerTone,
          supporterTone);
    }

    Person inSecondPerson(Map<String, String> s, String seeker, String supporter, String more) {
      return new Person(
          slot, profile, filled, s, seeker, supporter, more, seekerTone, supporterTone);
    }

    Person withTone(List<String> seeker, List<String> supporter) {
      return new Person(
          slot, profile, filled, second, seekerInfo, supporterInfo, additional, seeker, supporter);
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
  record Talk(
      Person seeker,
      Person supporter,
      List<Utterance> dial,
      List<Integer> sentiments,
      String aspect,
      String content,
      boolean stopRule,
      boolean closing,
      int farewells)
      implements Derived {
    static final String HELLO = "Hello";

    static Talk between(Person seeker, Person supporter) {
      return new Talk(seeker, supporter, List.of(), List.of(), "", "", false, false, 0);
    }

    @Override
    public Traced from() {
      return seeker;
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
      return new Talk(seeker, supporter, dial, sentiments, a, c, stopRule, closing, farewells);
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
      return new Talk(
          seeker,
          supporter,
          d,
          sentiments,
          "",
          "",
          stopRule,
          closing || d.size() >= maxUtterances - 2,
          closing ? farewells + 1 : farewells);
    }

    /**
     * The seeker's sentiment after their utterance; the authors' stop rule: five scores, the last
     * two at least 4.
     */
    Talk felt(int score) {
      List<Integer> s = new ArrayList<>(sentiments);
      s.add(score);
      boolean stop = s.size() >= 5 && s.get(s.size() - 1) >= 4 && s.get(s.size() - 2) >= 4;
      return new Talk(
          seeker,
          supporter,
          dial,
          s,
          aspect,
          content,
          stopRule || stop,
          closing || stop,
          farewells);
    }
  }

  /** A finished dialogue with its scores (all 0 when scoring is off). */
  record Scored(Talk talk, int mood, int usefulness, int engagement, String reason)
      implements Derived {
    @Override
    public Traced from() {
      return talk;
    }
  }
}
