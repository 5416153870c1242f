package dev.rolesynth.orca;

import dev.rolesynth.avro.OrcaUser;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.orca.Orca.ChunkScore;
import dev.rolesynth.orca.Orca.KeptUser;
import dev.rolesynth.orca.Orca.Persona;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostBatch;
import dev.rolesynth.orca.Orca.PostTask;
import dev.rolesynth.orca.Orca.ScoreChunk;
import dev.rolesynth.orca.Orca.SimulatedPosts;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.HoldUntilComplete;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.core.Ids;
import dev.rolesynth.pipeline.RunInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import dev.rolesynth.pipeline.KryoCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Orca (docs/pipelines/orca.md): users with posts in, personality-conditioned PCIP records out.
 *
 * <ol>
 *   <li>persona mode: records without posts get posts simulated in their voice;
 *   <li>the authors' filters: enough posts, no short posts without a quote, replies only to another
 *       user's unthreaded, present upstream post;
 *   <li>Big Five scoring of ten posts a call, aggregated into each user's 35-value vector;
 *   <li>per user: trait summary, simulated profile, and (PSIT) the score interpretation;
 *   <li>per post: potential knowledge, then psychological activity;
 *   <li>PCIP records without an LLM, the held-out benchmark users written apart.
 * </ol>
 */
public final class SynthesizePcipRecords extends PTransform<PCollection<User>, PCollectionTuple> {
  public static final TupleTag<PcipRecord> TRAIN = new TupleTag<>("pcip");
  public static final TupleTag<PcipRecord> BENCHMARK = new TupleTag<>("benchmark");
  public static final TupleTag<OrcaUser> USERS = new TupleTag<>("users");
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");
  static final String STAGE_FILTER = "orca_filter";

  private final OrcaSettings settings;
  private final RunInfo run;

  public SynthesizePcipRecords(OrcaSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public PCollectionTuple expand(PCollection<User> users) {
    List<PCollection<Failure>> failures = new ArrayList<>();
    PCollection<User> withPosts = users.apply("GivePersonasPosts", new SimulatePersonaPosts(failures));

    TupleTag<KeptUser> keptTag = new TupleTag<>();
    TupleTag<Failure> filteredOut = new TupleTag<>();
    PCollectionTuple filtered = withPosts.apply("FilterPosts", ParDo.of(new FilterPostsFn(settings, keptTag, filteredOut))
        .withOutputTags(keptTag, TupleTagList.of(filteredOut)));
    PCollection<KeptUser> kept = filtered.get(keptTag).setCoder(KryoCoder.of(KeptUser.class));
    failures.add(filtered.get(filteredOut).setCoder(KryoCoder.of(Failure.class)));

    PCollectionView<List<String>> heldOut = kept.apply("HoldOutBenchmarkUsers", new PickBenchmarkUsers());

    var scored = kept.apply("ChunkPosts", ParDo.of(new ChunkFn(settings.postsPerScoreChunk)))
        .setCoder(KryoCoder.of(ScoreChunk.class))
        .apply("ScoreBigFive", run.call(OrcaTasks.scoreBigFive(settings), ChunkScore.class));
    failures.add(scored.failures());
    TupleTag<Persona> personaTag = new TupleTag<>();
    TupleTag<Failure> unscored = new TupleTag<>();
    PCollectionTuple aggregated = joinById(kept, scored.output())
        .apply("AggregateScores", ParDo.of(new AggregateFn(personaTag, unscored))
            .withOutputTags(personaTag, TupleTagList.of(unscored)));
    failures.add(aggregated.get(unscored).setCoder(KryoCoder.of(Failure.class)));

    var summarised = aggregated.get(personaTag).setCoder(KryoCoder.of(Persona.class))
        .apply("SummariseTraits", run.call(OrcaTasks.summariseTraits(settings), Persona.class));
    var profiled = summarised.output().apply("SimulateProfiles", run.call(OrcaTasks.simulateProfile(settings), Persona.class));
    failures.addAll(List.of(summarised.failures(), profiled.failures()));
    PCollection<Persona> personas = profiled.output();
    if (settings.psit) {
      var interpreted = personas.apply("InterpretScores", run.call(OrcaTasks.interpretScores(settings), Persona.class));
      failures.add(interpreted.failures());
      personas = interpreted.output();
    }

    // The authors make records of original (non-quote) posts whose knowledge call found knowledge
    // (the posts their "deduce queries" step selects); calls are made only where they lead to a record.
    var knowledge = personas.apply("FanOutPosts", ParDo.of(new FanOutFn(settings.allPosts)))
        .setCoder(KryoCoder.of(PostTask.class))
        .apply("FindPotentialKnowledge", run.call(OrcaTasks.findKnowledge(settings), PostTask.class));
    PCollection<PostTask> used = settings.allPosts ? knowledge.output()
        : knowledge.output().apply("PostsWithKnowledge", ParDo.of(new WithKnowledgeFn())).setCoder(KryoCoder.of(PostTask.class));
    var activity = used.apply("InferPsychologicalActivity", run.call(OrcaTasks.inferActivity(settings), PostTask.class));
    failures.addAll(List.of(knowledge.failures(), activity.failures()));

    PCollectionTuple records = activity.output().apply("WaitForHeldOutUsers", HoldUntilComplete.of()).apply("BuildPcipRecords",
        ParDo.of(new BuildFn(settings, run, heldOut)).withSideInputs(heldOut)
            .withOutputTags(TRAIN, TupleTagList.of(BENCHMARK)));
    PCollection<OrcaUser> userRecords = personas.apply("DescribeUsers", ParDo.of(new UserRecordFn(settings, run)))
        .setCoder(AvroRecordCoder.of(OrcaUser.class));
    return PCollectionTuple.of(TRAIN, records.get(TRAIN).setCoder(AvroRecordCoder.of(PcipRecord.class)))
        .and(BENCHMARK, records.get(BENCHMARK).setCoder(AvroRecordCoder.of(PcipRecord.class)))
        .and(USERS, userRecords)
        .and(FAILURES, PCollectionList.of(failures).apply("FlattenFailures", Flatten.pCollections())
            .setCoder(KryoCoder.of(Failure.class)));
  }


  /** Users with posts pass; personas get {@code --postsPerPersona} posts simulated in batches of ten. */
  final class SimulatePersonaPosts extends PTransform<PCollection<User>, PCollection<User>> {
    private final transient List<PCollection<Failure>> failures;

    SimulatePersonaPosts(List<PCollection<Failure>> failures) {
      this.failures = failures;
    }

    @Override
    public PCollection<User> expand(PCollection<User> users) {
      PCollection<User> real = users.apply("HavePosts", Filter.by(u -> !u.isPersona()));
      PCollection<User> personas = users.apply("ArePersonas", Filter.by(User::isPersona));
      var simulated = personas.apply("BatchPosts", ParDo.of(new BatchFn(settings.postsPerPersona)))
          .setCoder(KryoCoder.of(PostBatch.class))
          .apply("SimulatePosts", run.call(OrcaTasks.simulatePosts(settings), SimulatedPosts.class));
      failures.add(simulated.failures());
      TupleTag<User> u = new TupleTag<>();
      TupleTag<SimulatedPosts> s = new TupleTag<>();
      TupleTag<User> ok = new TupleTag<>();
      TupleTag<Failure> none = new TupleTag<>();
      PCollectionTuple attached = KeyedPCollectionTuple
          .of(u, personas.apply("KeyPersonas", ParDo.of(new KeyUserFn()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(User.class))))
          .and(s, simulated.output().apply("KeyBatches", ParDo.of(new KeyBatchFn()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(SimulatedPosts.class))))
          .apply("JoinPostsToPersonas", CoGroupByKey.create())
          .apply("AttachPosts", ParDo.of(new AttachFn(u, s, ok, none)).withOutputTags(ok, TupleTagList.of(none)));
      failures.add(attached.get(none).setCoder(KryoCoder.of(Failure.class)));
      return PCollectionList.of(real).and(attached.get(ok).setCoder(KryoCoder.of(User.class)))
          .apply("AllUsers", Flatten.pCollections()).setCoder(KryoCoder.of(User.class));
    }
  }

  /** The kept users and their chunk scores, joined by user id. */
  private PCollection<KV<String, CoGbkResult>> joinById(PCollection<KeptUser> kept, PCollection<ChunkScore> scores) {
    return KeyedPCollectionTuple
        .of(AggregateFn.USER, kept.apply("KeyKeptUsers", ParDo.of(new KeyKeptFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(KeptUser.class))))
        .and(AggregateFn.SCORE, scores.apply("KeyScores", ParDo.of(new KeyScoreFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(ChunkScore.class))))
        .apply("JoinScoresToUsers", CoGroupByKey.create());
  }

  static final class KeyUserFn extends DoFn<User, KV<String, User>> {
    @ProcessElement
    public void process(@Element User u, OutputReceiver<KV<String, User>> out) {
      out.output(KV.of(u.id(), u));
    }
  }

  static final class KeyBatchFn extends DoFn<SimulatedPosts, KV<String, SimulatedPosts>> {
    @ProcessElement
    public void process(@Element SimulatedPosts s, OutputReceiver<KV<String, SimulatedPosts>> out) {
      out.output(KV.of(s.userId(), s));
    }
  }

  static final class KeyKeptFn extends DoFn<KeptUser, KV<String, KeptUser>> {
    @ProcessElement
    public void process(@Element KeptUser u, OutputReceiver<KV<String, KeptUser>> out) {
      out.output(KV.of(u.user().id(), u));
    }
  }

  static final class KeyScoreFn extends DoFn<ChunkScore, KV<String, ChunkScore>> {
    @ProcessElement
    public void process(@Element ChunkScore s, OutputReceiver<KV<String, ChunkScore>> out) {
      out.output(KV.of(s.userId(), s));
    }
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

    AttachFn(TupleTag<User> users, TupleTag<SimulatedPosts> batches, TupleTag<User> ok, TupleTag<Failure> none) {
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
        out.get(none).output(new Failure(u.id(), u.id(), "orca_posts", "no_simulated_posts",
            "no batch of simulated posts came back for this persona", u.origin()));
      } else {
        out.get(ok).output(u.withPosts(posts));
      }
    }
  }

  /** The authors' filters; a user left with too few posts (or none) is a dead letter that says which rule. */
  static final class FilterPostsFn extends DoFn<User, KeptUser> {
    private final OrcaSettings settings;
    private final TupleTag<KeptUser> kept;
    private final TupleTag<Failure> dropped;
    private final Counter shortPosts = Metrics.counter(CallLlm.METRICS, "orca.postsFilteredShort");
    private final Counter replies = Metrics.counter(CallLlm.METRICS, "orca.postsFilteredReplies");

    FilterPostsFn(OrcaSettings settings, TupleTag<KeptUser> kept, TupleTag<Failure> dropped) {
      this.settings = settings;
      this.kept = kept;
      this.dropped = dropped;
    }

    @ProcessElement
    public void process(@Element User u, MultiOutputReceiver out) {
      boolean simulated = u.posts().stream().allMatch(Post::simulated);
      if (!simulated && u.posts().size() < settings.minPostsPerUser) {
        out.get(dropped).output(new Failure(u.id(), u.id(), STAGE_FILTER, "too_few_posts", "the user has "
            + u.posts().size() + " posts; --minPostsPerUser is " + settings.minPostsPerUser, u.origin()));
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
        out.get(dropped).output(new Failure(u.id(), u.id(), STAGE_FILTER, "no_posts_left", "all " + u.posts().size()
            + " posts were filtered out (" + shortN + " short, " + replyN + " replies without a usable upstream post)",
            u.origin()));
        return;
      }
      out.get(kept).output(new KeptUser(u, keep, shortN, replyN));
    }
  }

  /** Holds out N eligible users, chosen by a seeded hash of their ids so that reruns agree. */
  final class PickBenchmarkUsers extends PTransform<PCollection<KeptUser>, PCollectionView<List<String>>> {
    @Override
    public PCollectionView<List<String>> expand(PCollection<KeptUser> kept) {
      long seed = settings.seed;
      int min = settings.benchmarkMinPosts;
      return kept.apply("Eligible", Filter.by(k -> settings.benchmarkUsers > 0 && k.user().posts().size() >= min))
          .apply("Ids", ParDo.of(new SeededIdFn(seed)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("FirstByHash", Top.of(Math.max(1, settings.benchmarkUsers), new ByKeyDescending()))
          .setCoder(ListCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
          .apply("UserIds", ParDo.of(new IdsFn()))
          .setCoder(ListCoder.of(StringUtf8Coder.of()))
          .apply("AsSideInput", View.asSingleton());
    }
  }

  /** (hash, id): the smallest hashes win, so Top takes the largest under the reversed order. */
  static final class SeededIdFn extends DoFn<KeptUser, KV<String, String>> {
    private final long seed;

    SeededIdFn(long seed) {
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element KeptUser k, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(Ids.sha256Hex(Long.toString(seed), "benchmark", k.user().id()), k.user().id()));
    }
  }

  static final class ByKeyDescending implements Comparator<KV<String, String>>, Serializable {
    @Override
    public int compare(KV<String, String> a, KV<String, String> b) {
      return b.getKey().compareTo(a.getKey());
    }
  }

  static final class IdsFn extends DoFn<List<KV<String, String>>, List<String>> {
    @ProcessElement
    public void process(@Element List<KV<String, String>> top, OutputReceiver<List<String>> out) {
      List<String> ids = new ArrayList<>();
      top.forEach(kv -> ids.add(kv.getValue()));
      out.output(ids);
    }
  }

  static final class ChunkFn extends DoFn<KeptUser, ScoreChunk> {
    private final int size;

    ChunkFn(int size) {
      this.size = size;
    }

    @ProcessElement
    public void process(@Element KeptUser k, OutputReceiver<ScoreChunk> out) {
      List<Post> posts = k.kept();
      User light = k.user().withPosts(List.of());
      for (int i = 0; i * size < posts.size(); i++) {
        out.output(new ScoreChunk(light, i + 1, new ArrayList<>(posts.subList(i * size, Math.min(posts.size(), (i + 1) * size)))));
      }
    }
  }

  /** The 35-value vector from the user's scored chunks; a user none of whose chunks came back is a dead letter. */
  static final class AggregateFn extends DoFn<KV<String, CoGbkResult>, Persona> {
    static final TupleTag<KeptUser> USER = new TupleTag<>("user");
    static final TupleTag<ChunkScore> SCORE = new TupleTag<>("score");
    private final TupleTag<Persona> ok;
    private final TupleTag<Failure> unscored;

    AggregateFn(TupleTag<Persona> ok, TupleTag<Failure> unscored) {
      this.ok = ok;
      this.unscored = unscored;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
      KeptUser k = joined.getValue().getOnly(USER, null);
      if (k == null) {
        return;
      }
      List<ChunkScore> chunks = new ArrayList<>();
      joined.getValue().getAll(SCORE).forEach(chunks::add);
      chunks.sort(Comparator.comparingInt(ChunkScore::index));
      if (chunks.isEmpty()) {
        out.get(unscored).output(new Failure(k.user().id(), k.user().id() + "/bigfive", "orca_bigfive",
            "no_personality_score", "none of the user's Big Five scoring calls succeeded", k.user().origin()));
        return;
      }
      List<List<Integer>> bits = new ArrayList<>();
      List<String> explanations = new ArrayList<>();
      chunks.forEach(c -> {
        bits.add(c.bits());
        explanations.add(c.explanation());
      });
      out.get(ok).output(new Persona(k, BigFive.aggregate(bits), explanations, "", "", "", chunks.size()));
    }
  }

  /** A user's kept posts, one task each; quotes only with {@code --pcipAllPosts}. */
  static final class FanOutFn extends DoFn<Persona, PostTask> {
    private final boolean allPosts;
    private final Counter quotes = Metrics.counter(CallLlm.METRICS, "orca.postsNotUsedQuote");

    FanOutFn(boolean allPosts) {
      this.allPosts = allPosts;
    }

    @ProcessElement
    public void process(@Element Persona p, OutputReceiver<PostTask> out) {
      Persona light = p.light();
      for (Post post : p.kept().kept()) {
        if (allPosts || post.quote() == null) {
          out.output(new PostTask(light, post, false, "", null, null, ""));
        } else {
          quotes.inc();
        }
      }
    }
  }

  /** Posts whose knowledge call found none make no record (the authors' selection). */
  static final class WithKnowledgeFn extends DoFn<PostTask, PostTask> {
    private final Counter without = Metrics.counter(CallLlm.METRICS, "orca.postsNotUsedNoKnowledge");

    @ProcessElement
    public void process(@Element PostTask t, OutputReceiver<PostTask> out) {
      if (t.containsKnowledge()) {
        out.output(t);
      } else {
        without.inc();
      }
    }
  }

  static final class BuildFn extends DoFn<PostTask, PcipRecord> {
    private final OrcaSettings settings;
    private final RunInfo run;
    private final PCollectionView<List<String>> heldOut;

    BuildFn(OrcaSettings settings, RunInfo run, PCollectionView<List<String>> heldOut) {
      this.settings = settings;
      this.run = run;
      this.heldOut = heldOut;
    }

    @ProcessElement
    public void process(@Element PostTask t, ProcessContext c) {
      boolean bench = c.sideInput(heldOut).contains(t.persona().user().id());
      // Per-user calls are shared by the user's posts; this post's own calls are knowledge and activity.
      int calls = t.persona().llmCalls() + 2;
      PcipRecord r = new PcipRecord(t.persona().user().id() + "/" + t.post().id(), t.persona().user().id(), t.post().id(),
          settings.psit ? "psit" : "ptit", bench ? "benchmark" : "train", t.post().isReply(), t.rmr(), t.ept(),
          PcipRecords.knowledgeSection(settings, t), t.post().simulated(), t.persona().score(),
          PcipRecords.instruction(settings, t), PcipRecords.output(settings, t), t.activity(),
          run.provenance(t.persona().user().origin(), t.persona().user().warnings(), calls));
      c.output(bench ? BENCHMARK : TRAIN, r);
    }
  }

  static final class UserRecordFn extends DoFn<Persona, OrcaUser> {
    private final OrcaSettings settings;
    private final RunInfo run;

    UserRecordFn(OrcaSettings settings, RunInfo run) {
      this.settings = settings;
      this.run = run;
    }

    @ProcessElement
    public void process(@Element Persona p, OutputReceiver<OrcaUser> out) {
      User u = p.user();
      out.output(new OrcaUser(u.id(), u.name(), p.score(), new LinkedHashMap<>(BigFive.traitSums(p.score())),
          p.explanations(), p.traitSummary(), p.profile(), p.interpretation(), u.posts().size(), p.kept().kept().size(),
          p.kept().filteredShort(), p.kept().filteredReplies(), u.posts().stream().allMatch(Post::simulated),
          run.provenance(u.origin(), u.warnings(), p.llmCalls())));
    }
  }
}
