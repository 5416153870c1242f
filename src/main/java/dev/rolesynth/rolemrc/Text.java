package dev.rolesynth.rolemrc;

import java.util.List;
import java.util.regex.Pattern;

/** Stage directions: RoleMRC's tasks come with them ({@code with_narration}) and without. */
final class Text {
  /** A stage direction: a short phrase in parentheses, e.g. (smiles warmly). */
  static final Pattern ACTION = Pattern.compile("\\([^()]{2,80}\\)");

  static final String WITH = "put the role's actions and expressions in parentheses, e.g. (smiles)";
  static final String NONE = "none; write speech only, with nothing in parentheses";

  private Text() {}

  static String narrationProblem(boolean narrated, List<String> lines) {
    boolean any = lines.stream().anyMatch(l -> ACTION.matcher(l).find());
    if (narrated && !any) {
      return "mark the role's actions and expressions in parentheses, e.g. (smiles)";
    }
    return !narrated && any ? "write speech only: no stage directions in parentheses" : null;
  }
}
