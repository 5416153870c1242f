package dev.rolesynth.characterchat;

import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.core.Draws;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which aspect of a speaker's profile the next utterance may draw on, as the authors choose it: not
 * the base fields (and never the recent worry for the supporter), not an aspect drawn on three
 * times in the last five, "NONE" allowed; after "NONE" the additional information half the time,
 * else nothing. What the utterance draws on is the profile's field word for word.
 */
final class Choosing {
  static final String NONE = "NONE";
  static final String ADDITIONAL = CharacterChat.ADDITIONAL;
  private static final Set<String> BASE =
      Set.of("name", "gender", "age", "region", "tone", "job", "personality", ADDITIONAL);

  private Choosing() {}

  /** The aspects the speaker may choose from now, in their profile's order. */
  static List<String> choosable(Talk t) {
    List<String> out = candidates(Stages.aspects(t.speaker()).keySet(), t.seekersTurn());
    out.removeAll(blocked(t));
    return out;
  }

  /** A speaker's aspects but the base fields (and the worry for a supporter), in their order. */
  static List<String> candidates(Iterable<String> aspects, boolean seeker) {
    List<String> out = new ArrayList<>();
    for (String k : aspects) {
      if (!BASE.contains(k) && (seeker || !k.equals(CharacterChat.WORRY))) {
        out.add(k);
      }
    }
    return out;
  }

  /** Aspects drawn on three times or more in the last five that drew on one (both speakers). */
  static List<String> blocked(Talk t) {
    List<String> drawn = new ArrayList<>();
    t.dial()
        .forEach(
            u -> {
              if (!u.aspect().isEmpty()) {
                drawn.add(u.aspect());
              }
            });
    Map<String, Integer> n = new HashMap<>();
    drawn
        .subList(Math.max(0, drawn.size() - 5), drawn.size())
        .forEach(a -> n.merge(a, 1, Integer::sum));
    List<String> out = new ArrayList<>();
    n.forEach(
        (a, c) -> {
          if (c >= 3) {
            out.add(a);
          }
        });
    return out;
  }

  /** The talk with the chosen aspect and its field, or after "NONE" a coin's choice. */
  static Talk chosen(Talk t, String aspect, long seed) {
    Map<String, String> fields = Stages.aspects(t.speaker());
    if (aspect.equals(NONE) || !fields.containsKey(aspect)) {
      boolean more = Draws.coin(seed, t.key(), "none", Integer.toString(t.dial().size()));
      return more ? t.choosing(ADDITIONAL, fields.get(ADDITIONAL)) : t.choosing("", "");
    }
    return t.choosing(aspect, fields.get(aspect));
  }
}
