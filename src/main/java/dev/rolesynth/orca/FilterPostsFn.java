package dev.rolesynth.orca;

import dev.rolesynth.orca.Orca.KeptUser;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The authors' filters; a user left with too few posts (or none) is a dead letter that says which
 * rule.
 */
final class FilterPostsFn implements EachOrFail.Fn<User, Void, KeptUser> {
  static final String STAGE_FILTER = "orca_filter";
  private final OrcaSettings settings;
  private final Counter shortPosts = Metrics.counter(CallLlm.METRICS, "orca.postsFilteredShort");
  private final Counter replies = Metrics.counter(CallLlm.METRICS, "orca.postsFilteredReplies");

  FilterPostsFn(OrcaSettings settings) {
    this.settings = settings;
  }

  @Override
  public void apply(User u, Void none, EachOrFail.Out<KeptUser> out) {
    boolean simulated = u.posts().stream().allMatch(Post::simulated);
    if (!simulated && u.posts().size() < settings.minPostsPerUser) {
      out.fail(
          new Failure(
              u.id(),
              u.id(),
              STAGE_FILTER,
              "too_few_posts",
              "the user has "
                  + u.posts().size()
                  + " posts; --minPostsPerUser is "
                  + settings.minPostsPerUser,
              u.origin()));
      return;
    }
    List<Post> keep = new ArrayList<>();
    int shortN = 0;
    int replyN = 0;
    for (Post p : u.posts()) {
      String why = PostFilter.drop(p, u.id(), settings);
      if (why == null) {
        keep.add(p);
      } else if (why.equals("short")) {
        shortN++;
      } else {
        replyN++;
      }
    }
    shortPosts.inc(shortN);
    replies.inc(replyN);
    if (keep.isEmpty()) {
      out.fail(
          new Failure(
              u.id(),
              u.id(),
              STAGE_FILTER,
              "no_posts_left",
              "all "
                  + u.posts().size()
                  + " posts were filtered out ("
                  + shortN
                  + " short, "
                  + replyN
                  + " replies without a usable upstream post)",
              u.origin()));
      return;
    }
    out.output(new KeptUser(u, keep, shortN, replyN));
  }
}
