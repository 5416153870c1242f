package dev.rolesynth.beyond;

import dev.rolesynth.options.Range;
import dev.rolesynth.options.RolesynthOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Beyond Dialogue's knobs (docs/pipelines/beyond-dialogue.md); defaults are the authors'. */
public interface BeyondDialogueOptions extends RolesynthOptions {
  @Description(
      "Beyond Dialogue: 'source' (dialogues extracted from --sourceTexts, the paper's construction; the "
          + "default) or 'scratch' (partners, scenes and simulated dialogues from profiles alone, the authors' "
          + "evaluation-side generator)")
  @Default.String("source")
  String getMode();

  void setMode(String value);

  @Description(
      "Beyond Dialogue, source mode: text files (one work each) or JSONL {roleId|file, text}, file or glob")
  @Default.String("")
  String getSourceTexts();

  void setSourceTexts(String value);

  @Description(
      "Beyond Dialogue, source mode: role field naming the source file of the role's work "
          + "(the Chinese rows use 文件路径); roles are also matched by id and name")
  @Default.String("sourceFile")
  String getSourceField();

  void setSourceField(String value);

  @Description(
      "Beyond Dialogue: language of the generated text: auto (Chinese for roles with Chinese names, "
          + "else the role's lang), or a code such as en or zh")
  @Default.String("auto")
  String getLanguage();

  void setLanguage(String value);

  @Description(
      "Beyond Dialogue, scratch mode: chat partners created per role, one call each (MaxGenRoleNum)")
  @Default.Integer(10)
  @Range(min = 1, max = 50)
  int getPartnersPerRole();

  void setPartnersPerRole(int value);

  @Description(
      "Beyond Dialogue, scratch mode: dialogue rounds (a partner turn and a role turn each)")
  @Default.Integer(5)
  @Range(min = 1, max = 20)
  int getRounds();

  void setRounds(int value);

  @Description("Beyond Dialogue, scratch mode: most words in a partner turn")
  @Default.Integer(30)
  @Range(min = 5, max = 500)
  int getMaxPartnerWords();

  void setMaxPartnerWords(int value);

  @Description("Beyond Dialogue, source mode: most cl100k tokens in a chunk")
  @Default.Integer(2000)
  @Range(min = 100, max = 100_000)
  int getMaxChunkTokens();

  void setMaxChunkTokens(int value);

  @Description(
      "Beyond Dialogue, source mode: fewest mentions of the role's names for a chunk to be kept")
  @Default.Integer(6)
  @Range(min = 1, max = 1000)
  int getMinNameMentions();

  void setMinNameMentions(int value);

  @Description(
      "Beyond Dialogue, source mode: chapters shorter than this many characters merge into the next")
  @Default.Integer(500)
  @Range(min = 0, max = 1_000_000)
  int getMinChapterChars();

  void setMinChapterChars(int value);

  @Description("Beyond Dialogue, source mode: samples per chunk score; the score is their mean")
  @Default.Integer(5)
  @Range(min = 1, max = 20)
  int getChunkScoreSamples();

  void setChunkScoreSamples(int value);

  @Description("Beyond Dialogue, source mode: best-scored chunks kept per role")
  @Default.Integer(30)
  @Range(min = 1, max = 10_000)
  int getChunksPerRole();

  void setChunksPerRole(int value);
}
