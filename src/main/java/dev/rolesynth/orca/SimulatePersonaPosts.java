package dev.rolesynth.orca;

import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostBatch;
import dev.rolesynth.orca.Orca.SimulatedPosts;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys;
import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;

/**
 * Users with posts pass; personas get {@code --postsPerPersona} posts simulated in batches of ten.
 */
final class SimulatePersonaPosts {
  private SimulatePersonaPosts() {}

  static PCollection<User> expand(PCollection<User> users, OrcaSettings settings, Build b) {
    PCollection<User> real = users.apply("HavePosts", Filter.by(u -> !u.isPersona()));
    PCollection<User> personas = users.apply("ArePersonas", Filter.by(User::isPersona));
    int n = settings.opt.postsPerPersona();
    var batches =
        b.flatMap(
            "BatchPosts",
            personas,
            PostBatch.class,
            u ->
                IntStream.range(0, (n + 9) / 10)
                    .mapToObj(i -> new PostBatch(u, i + 1, Math.min(10, n - i * 10)))
                    .toList());
    var simulated =
        b.call("SimulatePosts", batches, OrcaTasks.simulatePosts(settings), SimulatedPosts.class);
    var attached =
        GroupByKeys.named("JoinPostsToPersonas")
            .with(personas, User::id, User.class)
            .with(simulated, SimulatedPosts::userId, SimulatedPosts.class)
            .group()
            .apply("AttachPosts", EachOrFail.of(User.class, SimulatePersonaPosts::attach));
    return b.flatten("AllUsers", User.class, List.of(real, b.collect(attached)));
  }

  /** A persona with its simulated posts in batch order, or a dead letter when none came back. */
  static void attach(Grouped joined, Void none, EachOrFail.Out<User> out) {
    User u = joined.only(User.class);
    if (u == null) {
      return;
    }
    List<SimulatedPosts> all = new ArrayList<>(joined.all(SimulatedPosts.class));
    all.sort(Comparator.comparingInt(SimulatedPosts::batch));
    List<Post> posts = new ArrayList<>();
    all.forEach(b -> posts.addAll(b.posts()));
    if (posts.isEmpty()) {
      out.fail(
          new Failure(
              u.id(),
              u.id(),
              "orca_posts",
              "no_simulated_posts",
              "no batch of simulated posts came back for this persona",
              u.origin()));
    } else {
      out.output(u.withPosts(posts));
    }
  }
}
