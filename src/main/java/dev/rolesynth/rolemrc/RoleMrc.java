package dev.rolesynth.rolemrc;

import dev.rolesynth.pool.Counted;
import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.pool.TextPersona;
import java.io.Serializable;
import java.util.List;
import lombok.With;

/** The records that flow between RoleMRC's stages. */
public final class RoleMrc {
  private RoleMrc() {}

  /** The seven sections as the profile stage's schema has them. */
  record ProfileAnswer(
      String name,
      String description,
      List<String> skills,
      String speechStyle,
      List<String> personality,
      String background,
      String boundaries,
      List<String> speechExamples)
      implements Serializable {}

  /** The seven-section role profile written for a persona. */
  @With
  record Profile(TextPersona persona, ProfileAnswer sections, int llmCalls)
      implements Derived, Counted<Profile> {
    String name() {
      return sections.name();
    }

    /** The profile as the prompts show it, section by section. */
    String text() {
      ProfileAnswer a = sections;
      return "1. Name and description: "
          + a.name()
          + ". "
          + a.description()
          + "\n2. Skills: "
          + String.join("; ", a.skills())
          + "\n3. Speech style: "
          + a.speechStyle()
          + "\n4. Personality: "
          + String.join("; ", a.personality())
          + "\n5. Background: "
          + a.background()
          + "\n6. Knowledge boundaries: "
          + a.boundaries()
          + "\n7. Speech examples:\n- "
          + String.join("\n- ", a.speechExamples());
    }

    /** What retrieval matches passages against: the role's knowledge, not its limits. */
    String knowledge() {
      ProfileAnswer a = sections;
      return String.join(
          " ",
          a.name(),
          a.description(),
          String.join(" ", a.skills()),
          a.background(),
          String.join(" ", a.personality()));
    }
  }

  record Match(MrcItem item, double score) implements Serializable {}

  /** A profile with its most and least relevant MRC items. */
  record Matched(Profile profile, Match most, Match least) implements Derived {}

  /**
   * One synthesis call for a role: a free or on-scene chat, or the most or least relevant item's
   * question.
   */
  @With
  record Task(Matched m, String kind, boolean narration, boolean roleFirst, int llmCalls)
      implements Derived, Counted<Task> {

    Match match() {
      return kind.equals("least") ? m.least() : m.most();
    }
  }

  record Turn(String speaker, String text) implements Serializable {}

  /**
   * What one call made: a chat's turns, or an MRC answer and refusal, or a reply rewritten under a
   * rule.
   */
  @With
  record Made(Task task, String kind, List<Turn> turns, String answer, String refusal, int llmCalls)
      implements Derived, Counted<Made> {}
}
