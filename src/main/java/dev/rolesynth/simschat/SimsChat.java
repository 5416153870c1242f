package dev.rolesynth.simschat;

import dev.rolesynth.pool.Counted;
import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolRecord;
import java.io.Serializable;
import java.util.List;
import lombok.With;

/** The records that flow between SimsChat's stages. */
public final class SimsChat {
  static final String PIPELINE = "simschat";
  static final String SPEAKING = "(speaking)";
  static final String THINKING = "(thinking)";

  private SimsChat() {}

  /** A pool line: the Sims-style elements of a character. */
  public record Elements(
      String id,
      String career,
      String aspiration,
      List<String> traits,
      String skill,
      Origin origin,
      List<String> warnings)
      implements PoolRecord {}

  /** A character: its elements, then its aspects, then its profile, then who it meets. */
  @With
  record Character(
      Elements elements,
      String name,
      int age,
      Personal personal,
      Social social,
      String profile,
      List<Partner> partners,
      int llmCalls)
      implements Derived, Counted<Character> {

    /** How a scene introduces the character to others: name, career and traits. */
    String about() {
      return name + ", " + elements.career() + " (" + String.join(", ", elements.traits()) + ")";
    }

    /** Who the character meets in scene {@code i} (from 1), or null when nobody else was made. */
    Partner partner(int i) {
      return partners.isEmpty() ? null : partners.get((i - 1) % partners.size());
    }
  }

  /** The personal aspects, as the authors' characters have them. */
  record Personal(
      String gender,
      String tone,
      String personality,
      String advantagesAndDisadvantages,
      String hobby)
      implements Serializable {}

  /** The social aspects, as the authors' characters have them. */
  record Social(String familyRelationship, String socialRelationship, String livingConditions)
      implements Serializable {}

  /** Another character of the run, as a scene introduces it. */
  record Partner(String name, String about) implements Serializable {}

  /** One scene of a character's life, with the emotion the character is in. */
  @With
  record Scene(
      Character character,
      int index,
      SceneIdea idea,
      String topic,
      String emotion,
      Partner partner,
      int llmCalls)
      implements Derived, Counted<Scene> {}

  /** A scene as the model proposed it (its topic is the run's draw, not this one). */
  record SceneIdea(String type, String location, String background, String topic)
      implements Serializable {}

  record Line(String role, String action, String content) implements Serializable {}

  @With
  record Dialogue(Scene scene, String setting, List<Line> dialogue, int llmCalls)
      implements Derived, Counted<Dialogue> {}
}
