package dev.rolesynth.simschat;

import dev.rolesynth.core.Draws;
import dev.rolesynth.pipeline.EachWithEveryone;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.simschat.SimsChat.Character;
import dev.rolesynth.simschat.SimsChat.Partner;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Each character with the others of the run it meets in its scenes, one per scene drawn by the seed
 * (taken in turn when there are fewer others than scenes): in the authors' data the other speakers
 * are their other customised characters. A run of one character has nobody to meet; its scenes then
 * bring in people the model invents.
 */
final class MeetOthers
    extends PTransform<
        PCollection<Character>, WithFailures.Result<PCollection<Character>, Failure>> {
  private final int scenes;
  private final long seed;

  MeetOthers(int scenes, long seed) {
    this.scenes = scenes;
    this.seed = seed;
  }

  @Override
  public WithFailures.Result<PCollection<Character>, Failure> expand(PCollection<Character> in) {
    int n = scenes;
    long seed = this.seed;
    return in.apply(
        "DrawPartners",
        EachWithEveryone.of(
            Character.class,
            (c, all, out) -> out.output(c.withPartners(partners(c, all, n, seed)))));
  }

  static List<Partner> partners(Character c, List<Character> all, int n, long seed) {
    return Draws.others(all, c.id(), Character::id, n, seed).stream()
        .map(o -> new Partner(o.name(), o.about()))
        .toList();
  }
}
