package dev.rolesynth.lima;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.auto.service.AutoService;
import dev.rolesynth.sim.PromptText;
import dev.rolesynth.sim.StageSimulations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Simulated answers for LIMA-Role, read from the stage's input (the question, answers A and B), not
 * from the prompt's text: an expert role picked from the question's words (in Chinese for Chinese
 * questions), and a judge that, like real judges, leans towards the answer shown first when the two
 * are close, so that the order swap has something to cancel.
 */
@AutoService(StageSimulations.class)
public final class LimaSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern HAN = Pattern.compile("\\p{IsHan}");
  private static final List<String[]> FIELDS =
      List.of(
          new String[] {
            "code|program|function|python|java|sql|bug", "senior software engineer", "资深软件工程师"
          },
          new String[] {
            "poem|story|write|essay|letter", "published author and writing coach", "资深作家"
          },
          new String[] {
            "math|equation|calculate|number|sum", "patient mathematics teacher", "耐心的数学老师"
          },
          new String[] {
            "health|sleep|diet|exercise|doctor", "experienced family doctor", "经验丰富的家庭医生"
          },
          new String[] {"money|budget|tax|invest|price", "certified financial planner", "注册理财规划师"},
          new String[] {"recipe|cook|bake|food|dinner", "professional chef", "专业厨师"});

  @Override
  public String pipeline() {
    return LimaRoleSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    Map<String, Answer> m = new LinkedHashMap<>();
    m.put("lima_judge_role_first", LimaSim::judge);
    m.put("lima_judge_neutral_first", LimaSim::judge);
    return m;
  }

  /** The choices behind the answer declared in simulated.yaml. */
  @Override
  public Map<String, Answer.Vars> vars() {
    return Map.of("lima_role", LimaSim::annotate);
  }

  private static Map<String, ?> annotate(Input call) {
    String question = call.get("question");
    String[] field = {"", "knowledgeable expert in this subject", "该领域的资深专家"};
    for (String[] f : FIELDS) {
      if (Pattern.compile("(?i)\\b(" + f[0] + ")").matcher(question).find()) {
        field = f;
        break;
      }
    }
    boolean zh = HAN.matcher(question).find();
    return Map.of("simExpert", zh ? field[2] : field[1], "simZh", zh ? "yes" : "");
  }

  /**
   * The answer sharing more words with the question wins; within two words of each other, answer A
   * does.
   */
  private static JsonNode judge(Input call) {
    String question = call.get("question");
    int da = score(question, call.get("a"));
    int db = score(question, call.get("b"));
    String winner = Math.abs(da - db) <= 2 ? "A" : da > db ? "A" : "B";
    return NODES
        .objectNode()
        .put("analysis", "Answer A scores " + da + ", answer B scores " + db + ".")
        .put("winner", winner);
  }

  private static int score(String question, String answer) {
    return PromptText.overlap(question, answer) + answer.length() / 200;
  }
}
