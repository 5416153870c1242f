package dev.rolesynth.characterchat;

import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.core.Ids;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.HoldUntilComplete;
import dev.rolesynth.pipeline.KryoCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Each person as a seeker, with supporters drawn from the other people by the seed (the authors:
 * ten each, seed 0): the same pairs for the same pool and seed, whatever the runner's order.
 */
final class MatchSupporters
    extends PTransform<PCollection<Person>, WithFailures.Result<PCollection<Talk>, Failure>> {
  private final int supporters;
  private final long seed;

  MatchSupporters(int supporters, long seed) {
    this.supporters = supporters;
    this.seed = seed;
  }

  @Override
  public WithFailures.Result<PCollection<Talk>, Failure> expand(PCollection<Person> people) {
    PCollectionView<List<Person>> everyone = people.apply("EveryoneAsSideInput", View.asList());
    TupleTag<Talk> talks = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    PCollectionTuple out =
        people
            .apply("WaitForEveryone", HoldUntilComplete.of())
            .apply(
                "DrawSupporters",
                ParDo.of(new DrawFn(everyone, supporters, seed, failures))
                    .withSideInputs(everyone)
                    .withOutputTags(talks, TupleTagList.of(failures)));
    return WithFailures.Result.of(
        out.get(talks).setCoder(KryoCoder.of(Talk.class)),
        out.get(failures).setCoder(KryoCoder.of(Failure.class)));
  }

  /**
   * The supporters of one seeker: the others ordered by a hash of the seed and both keys, the first
   * n.
   */
  static List<Person> draw(Person seeker, List<Person> everyone, int n, long seed) {
    List<Person> others =
        new ArrayList<>(everyone.stream().filter(p -> !p.key().equals(seeker.key())).toList());
    others.sort(
        Comparator.comparingLong((Person p) -> Ids.seed(seed, seeker.key(), p.key()))
            .thenComparing(Person::key));
    return others.subList(0, Math.min(n, others.size()));
  }

  static final class DrawFn extends DoFn<Person, Talk> {
    private final PCollectionView<List<Person>> everyone;
    private final int n;
    private final long seed;
    private final TupleTag<Failure> failures;

    DrawFn(PCollectionView<List<Person>> everyone, int n, long seed, TupleTag<Failure> failures) {
      this.everyone = everyone;
      this.n = n;
      this.seed = seed;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element Person seeker, ProcessContext c) {
      List<Person> drawn = draw(seeker, c.sideInput(everyone), n, seed);
      if (drawn.isEmpty()) {
        c.output(
            failures,
            new Failure(
                seeker.id(),
                seeker.key() + "/match",
                "match",
                "no_supporter",
                "only one profile was made: a seeker needs at least one other person as a supporter",
                seeker.origin()));
      }
      for (Person supporter : drawn) {
        c.output(new Talk(seeker, supporter, List.of(), List.of(), "", "", false, false));
      }
    }
  }
}
