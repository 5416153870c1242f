package dev.rolesynth.orca;

import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostBatch;
import dev.rolesynth.orca.Orca.SimulatedPosts;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.KryoCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Users with posts pass; personas get {@code --postsPerPersona} posts simulated in batches of ten.
 */
final class SimulatePersonaPosts extends PTransform<PCollection<User>, PCollection<User>> {
  private final OrcaSettings settings;
  private final transient Build b;

  /**
   * @param b where the simulation's calls go and its dead letters are collected
   */
  SimulatePersonaPosts(OrcaSettings settings, Build b) {
    this.settings = settings;
    this.b = b;
  }

  @Override
  public PCollection<User> expand(PCollection<User> users) {
    PCollection<User> real = users.apply("HavePosts", Filter.by(u -> !u.isPersona()));
    PCollection<User> personas = users.apply("ArePersonas", Filter.by(User::isPersona));
    var batches =
        personas
            .apply("BatchPosts", ParDo.of(new BatchFn(settings.postsPerPersona)))
            .setCoder(KryoCoder.of(PostBatch.class));
    var simulated =
        b.call("SimulatePosts", batches, OrcaTasks.simulatePosts(settings), SimulatedPosts.class);
    TupleTag<User> u = new TupleTag<>();
    TupleTag<SimulatedPosts> s = new TupleTag<>();
    TupleTag<User> ok = new TupleTag<>();
    TupleTag<Failure> none = new TupleTag<>();
    PCollectionTuple attached =
        KeyedPCollectionTuple.of(
                u,
                personas
                    .apply("KeyPersonas", WithKeys.of((User x) -> x.id()))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(User.class))))
            .and(
                s,
                simulated
                    .apply("KeyBatches", WithKeys.of((SimulatedPosts x) -> x.userId()))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(SimulatedPosts.class))))
            .apply("JoinPostsToPersonas", CoGroupByKey.create())
            .apply(
                "AttachPosts",
                ParDo.of(new AttachFn(u, s, ok, none)).withOutputTags(ok, TupleTagList.of(none)));
    b.failures(attached.get(none).setCoder(KryoCoder.of(Failure.class)));
    return PCollectionList.of(real)
        .and(attached.get(ok).setCoder(KryoCoder.of(User.class)))
        .apply("AllUsers", Flatten.pCollections())
        .setCoder(KryoCoder.of(User.class));
  }

  static final class BatchFn extends DoFn<User, PostBatch> {
    private final int posts;

    BatchFn(int posts) {
      this.posts = posts;
    }

    @ProcessElement
    public void process(@Element User u, OutputReceiver<PostBatch> out) {
      for (int b = 0; b * 10 < posts; b++) {
        out.output(new PostBatch(u, b + 1, Math.min(10, posts - b * 10)));
      }
    }
  }

  static final class AttachFn extends DoFn<KV<String, CoGbkResult>, User> {
    private final TupleTag<User> users;
    private final TupleTag<SimulatedPosts> batches;
    private final TupleTag<User> ok;
    private final TupleTag<Failure> none;

    AttachFn(
        TupleTag<User> users,
        TupleTag<SimulatedPosts> batches,
        TupleTag<User> ok,
        TupleTag<Failure> none) {
      this.users = users;
      this.batches = batches;
      this.ok = ok;
      this.none = none;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
      User u = joined.getValue().getOnly(users, null);
      if (u == null) {
        return;
      }
      List<SimulatedPosts> all = new ArrayList<>();
      joined.getValue().getAll(batches).forEach(all::add);
      all.sort(Comparator.comparingInt(SimulatedPosts::batch));
      List<Post> posts = new ArrayList<>();
      all.forEach(b -> posts.addAll(b.posts()));
      if (posts.isEmpty()) {
        out.get(none)
            .output(
                new Failure(
                    u.id(),
                    u.id(),
                    "orca_posts",
                    "no_simulated_posts",
                    "no batch of simulated posts came back for this persona",
                    u.origin()));
      } else {
        out.get(ok).output(u.withPosts(posts));
      }
    }
  }
}
