package dev.rolesynth.rolemrc;

import dev.rolesynth.core.Draws;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which of RoleMRC's tasks a role gets, drawn by the seed. The authors' 10.2k profiles yield about
 * 5k free chats, 5k on-scene chats, 4k most relevant and 4k least relevant MRC items (their dataset
 * card), so a role gets each family with that share, not every task. The card gives no count for
 * the ruled tasks we could read: they are drawn on a subset of the roles whose item fits them
 * ({@link #RULED}, ours). {@code all} gives every task that fits, as earlier versions did.
 */
final class TaskMix {
  static final double FREE = 5.0 / 10.2;
  static final double SCENE = 5.0 / 10.2;
  static final double MOST = 4.0 / 10.2;
  static final double LEAST = 4.0 / 10.2;
  static final double RULED = 0.2;

  enum Kind {
    /** A free chat about the role's life. */
    FREE,
    /** An on-scene chat about the most relevant item's passages. */
    SCENE,
    /** The most relevant item answered, or declined when its passages hold no answer. */
    MOST,
    /** The least relevant item declined (beyond what the role knows). */
    LEAST_REFUSED,
    /** The least relevant item attempted all the same, as a system rule asks. */
    LEAST_ATTEMPT,
    /** The answer rewritten under a content or format rule (answerable most relevant item). */
    NESTED,
    /** Declined, then declined again when the user insists (unanswerable most relevant item). */
    SECOND_REFUSED,
    /** Declined as beyond the role, then attempted when the user asks again (least relevant). */
    SECOND_ANSWER,
    /** The system forbids the question and outranks the user (answerable most relevant item). */
    PRIORITY
  }

  private TaskMix() {}

  static Set<Kind> draw(RoleMrcSettings s, Matched m) {
    String id = m.id();
    boolean all = s.opt.taskMix().equals("all");
    boolean answerable = m.most().item().answerable();
    Set<Kind> out = EnumSet.noneOf(Kind.class);
    if (all || Draws.chance(FREE, s.seed, id, "task", "free")) {
      out.add(Kind.FREE);
    }
    if (all || Draws.chance(SCENE, s.seed, id, "task", "scene")) {
      out.add(Kind.SCENE);
    }
    if (all || Draws.chance(MOST, s.seed, id, "task", "most")) {
      out.add(Kind.MOST);
    }
    if (all) {
      out.add(Kind.LEAST_REFUSED);
      out.add(Kind.LEAST_ATTEMPT);
    } else if (Draws.chance(LEAST, s.seed, id, "task", "least")) {
      out.add(Draws.coin(s.seed, id, "task", "attempt") ? Kind.LEAST_ATTEMPT : Kind.LEAST_REFUSED);
    }
    if (s.opt.ruledTasks()) {
      ruled(out, Kind.NESTED, answerable, s, id);
      ruled(out, Kind.PRIORITY, answerable, s, id);
      ruled(out, Kind.SECOND_REFUSED, !answerable, s, id);
      ruled(out, Kind.SECOND_ANSWER, true, s, id);
    }
    return out;
  }

  private static void ruled(Set<Kind> out, Kind k, boolean fits, RoleMrcSettings s, String id) {
    if (fits
        && (s.opt.taskMix().equals("all") || Draws.chance(RULED, s.seed, id, "task", k.name()))) {
      out.add(k);
    }
  }

  /** Whether the role's tasks need the most relevant item answered and declined. */
  static boolean needsMost(Set<Kind> k) {
    return k.contains(Kind.MOST)
        || k.contains(Kind.NESTED)
        || k.contains(Kind.PRIORITY)
        || k.contains(Kind.SECOND_REFUSED);
  }

  /** Whether the role's tasks need the least relevant item declined and attempted. */
  static boolean needsLeast(Set<Kind> k) {
    return k.contains(Kind.LEAST_REFUSED)
        || k.contains(Kind.LEAST_ATTEMPT)
        || k.contains(Kind.SECOND_ANSWER);
  }
}
