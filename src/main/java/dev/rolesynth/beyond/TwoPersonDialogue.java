package dev.rolesynth.beyond;

import dev.rolesynth.beyond.Bd.Line;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns extracted rows into an alternating dialogue between the role and one partner
 * (docs/pipelines/beyond-dialogue.md; the authors describe this step but did not publish its code):
 * aliases become the canonical name, narration is dropped, the partner is whoever speaks most
 * besides the role, other speakers are dropped, consecutive lines of one speaker merge, and the
 * dialogue starts with the partner and ends with the role, since the role's last line is the
 * training target.
 */
final class TwoPersonDialogue {
  private static final Set<String> NARRATION =
      Set.of("scene", "narrator", "narration", "旁白", "场景", "");

  record Result(String partner, List<Line> lines, String problem) {}

  private TwoPersonDialogue() {}

  static Result of(List<Line> rows, String roleName, List<String> aliases) {
    List<Line> canon = new ArrayList<>();
    for (Line r : rows) {
      String speaker = r.speaker().strip();
      if (NARRATION.contains(speaker.toLowerCase(Locale.ROOT)) || r.text().isBlank()) {
        continue;
      }
      if (isRole(speaker, roleName, aliases)) {
        speaker = roleName;
      }
      canon.add(new Line(speaker, r.text().strip(), r.action().strip()));
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Line l : canon) {
      if (!l.speaker().equals(roleName)) {
        counts.merge(l.speaker(), 1, Integer::sum);
      }
    }
    if (canon.stream().noneMatch(l -> l.speaker().equals(roleName))) {
      return new Result(null, List.of(), roleName + " does not speak in the extracted dialogue");
    }
    String partner =
        counts.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse(null);
    if (partner == null) {
      return new Result(
          null, List.of(), "nobody but " + roleName + " speaks in the extracted dialogue");
    }
    List<Line> merged = new ArrayList<>();
    for (Line l : canon) {
      if (!l.speaker().equals(roleName) && !l.speaker().equals(partner)) {
        continue;
      }
      Line last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && last.speaker().equals(l.speaker())) {
        String action =
            last.action().isBlank()
                ? l.action()
                : l.action().isBlank() ? last.action() : last.action() + "; " + l.action();
        merged.set(merged.size() - 1, new Line(l.speaker(), last.text() + " " + l.text(), action));
      } else {
        merged.add(l);
      }
    }
    while (!merged.isEmpty() && merged.get(0).speaker().equals(roleName)) {
      merged.remove(0);
    }
    while (!merged.isEmpty() && !merged.get(merged.size() - 1).speaker().equals(roleName)) {
      merged.remove(merged.size() - 1);
    }
    if (merged.size() < 2) {
      return new Result(
          partner,
          List.of(),
          "no exchange in which " + partner + " speaks and " + roleName + " answers");
    }
    return new Result(partner, merged, null);
  }

  static boolean isRole(String speaker, String roleName, List<String> aliases) {
    String s = speaker.strip().toLowerCase(Locale.ROOT);
    if (s.equals(roleName.toLowerCase(Locale.ROOT))) {
      return true;
    }
    for (String a : aliases) {
      if (s.equals(a.strip().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
