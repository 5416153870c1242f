package dev.rolesynth.rolemrc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.TaskMix.Kind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** The tasks a role draws: the shares of the authors' data over a seeded pool of 200 roles. */
public class TaskMixTest {
  private static final Origin AT = new Origin("personas.jsonl", 1);

  private static Matched role(int i, boolean answerable) {
    Profile p = Fixtures.baker("persona-" + i);
    MrcItem most =
        new MrcItem("m", "why a starter", List.of("p"), answerable ? "Yeast." : "", AT, List.of());
    MrcItem least = new MrcItem("l", "tax", List.of("p"), "Rates.", AT, List.of());
    return new Matched(p, new Match(most, 3), new Match(least, 0));
  }

  /**
   * A pool of 200 (run seed 3) within five points of the authors' shares. Each role draws on its
   * own, so a pool of 200 varies by about 3.5 points (one standard deviation) from seed to seed;
   * 20,000 roles must come within one point.
   */
  @Test
  public void twoHundredRolesDrawTheAuthorsSharesWithinFivePoints() {
    assertShares(RoleMrcPipelineTest.settings("--seed=3"), 200, 0.05);
    assertShares(RoleMrcPipelineTest.settings("--seed=42"), 20_000, 0.01);
  }

  private static void assertShares(RoleMrcSettings s, int roles, double within) {
    Map<Kind, Integer> n = new EnumMap<>(Kind.class);
    for (int i = 0; i < roles; i++) {
      for (Kind k : TaskMix.draw(s, role(i, i % 2 == 0))) {
        n.merge(k, 1, Integer::sum);
      }
    }
    double r = roles;
    double least = (n.get(Kind.LEAST_REFUSED) + n.get(Kind.LEAST_ATTEMPT)) / r;
    assertEquals("free chats (5k of 10.2k)", 5 / 10.2, n.get(Kind.FREE) / r, within);
    assertEquals("on-scene chats (5k of 10.2k)", 5 / 10.2, n.get(Kind.SCENE) / r, within);
    assertEquals("most relevant MRC (4k of 10.2k)", 4 / 10.2, n.get(Kind.MOST) / r, within);
    assertEquals("least relevant MRC (4k of 10.2k)", 4 / 10.2, least, within);
    // a least relevant item is declined or attempted, never both for one role
    assertEquals(0.5, n.get(Kind.LEAST_ATTEMPT) / (least * r), 2 * within);
    // ruled tasks: a fifth of the roles whose item fits (half the pool answerable)
    assertEquals(0.2, n.get(Kind.NESTED) / (r / 2), 2 * within);
    assertEquals(0.2, n.get(Kind.SECOND_REFUSED) / (r / 2), 2 * within);
    assertEquals(0.2, n.get(Kind.SECOND_ANSWER) / r, within);
  }

  @Test
  public void ruledTasksOnlyWhereTheItemFitsAndAllGivesEveryTask() {
    RoleMrcSettings all = RoleMrcPipelineTest.settings("--taskMix=all");
    Set<Kind> answerable = TaskMix.draw(all, role(1, true));
    assertEquals(Set.of(Kind.values()).size() - 1, answerable.size());
    assertFalse(answerable.contains(Kind.SECOND_REFUSED));
    Set<Kind> none = TaskMix.draw(all, role(1, false));
    assertTrue(none.contains(Kind.SECOND_REFUSED));
    assertFalse(none.contains(Kind.NESTED) || none.contains(Kind.PRIORITY));
    RoleMrcSettings unruled = RoleMrcPipelineTest.settings("--taskMix=all", "--ruledTasks=false");
    assertEquals(5, TaskMix.draw(unruled, role(1, true)).size());
    // the same role draws the same tasks every time
    RoleMrcSettings s = RoleMrcPipelineTest.settings();
    assertEquals(TaskMix.draw(s, role(7, true)), TaskMix.draw(s, role(7, true)));
  }
}
