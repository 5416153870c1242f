package dev.rolesynth.lima;

import dev.rolesynth.options.RolesynthOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** LIMA-Role's knobs (docs/pipelines/lima-role.md). */
public interface LimaRoleOptions extends RolesynthOptions {
  @Description(
      "LIMA-Role: shortest role-setting prompt, in characters (Chinese, Japanese and Korean ones count twice)")
  @Default.Integer(40)
  int getMinPromptChars();

  void setMinPromptChars(int value);

  @Description(
      "LIMA-Role: longest role-setting prompt and feedback, in characters (CJK ones count twice)")
  @Default.Integer(1200)
  int getMaxPromptChars();

  void setMaxPromptChars(int value);

  @Description(
      "LIMA-Role: languages the language check tells apart (ISO 639-1 codes); the role prompt must be "
          + "in the question's language")
  @Default.String("en,zh,ja,ko,fr,de,es,pt,it,ru,ar,nl")
  String getLanguages();

  void setLanguages(String value);

  @Description(
      "LIMA-Role (Jekyll & Hyde): answer with the role prompt and with a neutral one, and let a judge "
          + "compare them in both orders")
  @Default.Boolean(false)
  boolean getWithJudge();

  void setWithJudge(boolean value);

  @Description(
      "LIMA-Role (Jekyll & Hyde): keep only items whose role answer does not lose (needs --withJudge)")
  @Default.Boolean(false)
  boolean getKeepRoleNotLosing();

  void setKeepRoleNotLosing(boolean value);
}
