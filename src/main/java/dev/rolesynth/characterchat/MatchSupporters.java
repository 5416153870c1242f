package dev.rolesynth.characterchat;

import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.core.Draws;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import java.util.List;

/**
 * Each person as a seeker, with supporters drawn from the other people by the seed (the authors:
 * ten each, seed 0): the same pairs for the same pool and seed, whatever the runner's order.
 */
final class MatchSupporters {
  private MatchSupporters() {}

  /**
   * The supporters of one seeker: the others ordered by a hash of the seed and both keys, the first
   * n.
   */
  static List<Person> draw(Person seeker, List<Person> everyone, int n, long seed) {
    return Draws.others(everyone, seeker.key(), Person::key, n, seed);
  }

  /** One seeker's talks, one a supporter, or a dead letter when there is nobody else. */
  static void draw(
      Person seeker, List<Person> everyone, int n, long seed, EachOrFail.Out<Talk> out) {
    List<Person> drawn = draw(seeker, everyone, n, seed);
    if (drawn.isEmpty()) {
      out.fail(
          new Failure(
              seeker.id(),
              seeker.key() + "/match",
              "match",
              "no_supporter",
              "only one profile was made: a seeker needs at least one other person as a supporter",
              seeker.origin()));
    }
    for (Person supporter : drawn) {
      out.output(Talk.between(seeker, supporter));
    }
  }
}
