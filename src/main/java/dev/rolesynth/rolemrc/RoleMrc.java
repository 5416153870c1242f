package dev.rolesynth.rolemrc;

import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.pool.TextPersona;
import java.io.Serializable;
import java.util.List;

/** The records that flow between RoleMRC's stages. */
public final class RoleMrc {
  private RoleMrc() {}

  /** The seven-section role profile. */
  record Profile(
      TextPersona persona,
      String name,
      String description,
      List<String> skills,
      String speechStyle,
      List<String> personality,
      String background,
      String boundaries,
      List<String> examples)
      implements Derived {

    /** The profile as the prompts show it, section by section. */
    String text() {
      return "1. Name and description: "
          + name
          + ". "
          + description
          + "\n2. Skills: "
          + String.join("; ", skills)
          + "\n3. Speech style: "
          + speechStyle
          + "\n4. Personality: "
          + String.join("; ", personality)
          + "\n5. Background: "
          + background
          + "\n6. Knowledge boundaries: "
          + boundaries
          + "\n7. Speech examples:\n- "
          + String.join("\n- ", examples);
    }

    /** What retrieval matches passages against: the role's knowledge, not its limits. */
    String knowledge() {
      return String.join(
          " ",
          name,
          description,
          String.join(" ", skills),
          background,
          String.join(" ", personality));
    }
  }

  record Match(MrcItem item, double score) implements Serializable {}

  /** A profile with its most and least relevant MRC items. */
  record Matched(Profile profile, Match most, Match least) implements Derived {}

  /**
   * One synthesis call for a role: a free or on-scene chat, or the most or least relevant item's
   * question.
   */
  record Task(Matched m, String kind, boolean narration, boolean roleFirst) implements Derived {

    Match match() {
      return kind.equals("least") ? m.least() : m.most();
    }
  }

  record Turn(String speaker, String text) implements Serializable {}

  /**
   * What one call made: a chat's turns, or an MRC answer and refusal, or a reply rewritten under a
   * rule.
   */
  record Made(Task task, String kind, List<Turn> turns, String answer, String refusal)
      implements Derived {}
}
