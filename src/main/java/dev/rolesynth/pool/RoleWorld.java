package dev.rolesynth.pool;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and when a role lives, as far as its pool record says: the years of its life, the work it
 * comes from, its language, whether it is fictional (read off Wikidata-style fields such as "date
 * of birth" and "present in work"): what a method needs to ask a role about what lies outside its
 * knowledge, since a role that lived before this one is not outside it.
 */
public record RoleWorld(Integer born, Integer died, String work, String lang, boolean fictional)
    implements Serializable {
  public static final RoleWorld UNKNOWN = new RoleWorld(null, null, "", "", false);

  private static final Pattern BORN =
      Pattern.compile(
          "(?i)(?:date of birth|born|birth(?:_| )?year|inception|publication date)\\s*[:=,]?\\s*(-?\\d{1,4})(?:\\s*(BCE?))?");
  private static final Pattern DIED =
      Pattern.compile(
          "(?i)(?:date of death|died|death(?:_| )?year)\\s*[:=,]?\\s*(-?\\d{1,4})(?:\\s*(BCE?))?");
  private static final Pattern WORK =
      Pattern.compile("(?i)(?:present in work|from narrative universe)\\s*:\\s*([^;\\n]+)");
  private static final Pattern FICTIONAL =
      Pattern.compile(
          "(?i)(?:instance of|category)\\s*:\\s*(?:fictional|literary|mythical|legendary)");

  /** How another role stands to this one's knowledge. */
  public enum Relation {
    /** Provably outside: it lived later, or it belongs to another fiction. */
    OUTSIDE,
    /** The pool does not say. */
    UNKNOWN,
    /** It could be known: an earlier or contemporary life, or the same work. */
    KNOWABLE
  }

  public static RoleWorld of(Role role) {
    StringBuilder text = new StringBuilder();
    String work = "";
    for (Role.Field f : role.profile()) {
      text.append(f.key()).append(": ").append(f.value()).append('\n');
      if (work.isEmpty() && RecordIds.WORK_FIELDS.contains(f.key())) {
        work = f.value().strip();
      }
    }
    Matcher w = WORK.matcher(text);
    if (work.isEmpty() && w.find()) {
      work = w.group(1).strip();
    }
    Integer born = year(BORN.matcher(text));
    Integer died = year(DIED.matcher(text));
    return new RoleWorld(born, died, work, role.lang(), FICTIONAL.matcher(text).find());
  }

  private static Integer year(Matcher m) {
    if (!m.find()) {
      return null;
    }
    int y = Integer.parseInt(m.group(1));
    return m.group(2) != null ? -Math.abs(y) : y;
  }

  /** The last year this role could have learnt anything in; null when the pool gives no dates. */
  Integer horizon() {
    return died != null ? died : born != null ? born + 80 : null;
  }

  /** How {@code other} stands to what this role could know. */
  public Relation relationTo(RoleWorld other) {
    Integer until = horizon();
    if (until != null && other.born != null) {
      return other.born > until ? Relation.OUTSIDE : Relation.KNOWABLE;
    }
    if (!work.isEmpty() && !other.work.isEmpty()) {
      return work.toLowerCase(Locale.ROOT).equals(other.work.toLowerCase(Locale.ROOT))
          ? Relation.KNOWABLE
          : fictional || other.fictional ? Relation.OUTSIDE : Relation.UNKNOWN;
    }
    return Relation.UNKNOWN;
  }
}
