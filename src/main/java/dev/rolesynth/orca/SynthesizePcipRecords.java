package dev.rolesynth.orca;

import dev.rolesynth.avro.OrcaUser;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.orca.Orca.ChunkScore;
import dev.rolesynth.orca.Orca.KeptUser;
import dev.rolesynth.orca.Orca.Persona;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostTask;
import dev.rolesynth.orca.Orca.ScoreChunk;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.HoldUntilComplete;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
    PCollection<User> withPosts =
        users.apply("GivePersonasPosts", new SimulatePersonaPosts(settings, run, failures));

    TupleTag<KeptUser> keptTag = new TupleTag<>();
    TupleTag<Failure> filteredOut = new TupleTag<>();
    PCollectionTuple filtered =
        withPosts.apply(
            "FilterPosts",
            ParDo.of(new FilterPostsFn(settings, keptTag, filteredOut))
                .withOutputTags(keptTag, TupleTagList.of(filteredOut)));
    PCollection<KeptUser> kept = filtered.get(keptTag).setCoder(KryoCoder.of(KeptUser.class));
    failures.add(filtered.get(filteredOut).setCoder(KryoCoder.of(Failure.class)));

    PCollectionView<List<String>> heldOut =
        kept.apply("HoldOutBenchmarkUsers", new PickBenchmarkUsers(settings));

    var scored =
        kept.apply("ChunkPosts", ParDo.of(new ChunkFn(settings.postsPerScoreChunk)))
            .setCoder(KryoCoder.of(ScoreChunk.class))
            .apply("ScoreBigFive", run.call(OrcaTasks.scoreBigFive(settings), ChunkScore.class));
    failures.add(scored.failures());
    TupleTag<Persona> personaTag = new TupleTag<>();
    TupleTag<Failure> unscored = new TupleTag<>();
    PCollectionTuple aggregated =
        joinById(kept, scored.output())
            .apply(
                "AggregateScores",
                ParDo.of(new AggregateFn(personaTag, unscored))
                    .withOutputTags(personaTag, TupleTagList.of(unscored)));
    failures.add(aggregated.get(unscored).setCoder(KryoCoder.of(Failure.class)));

    var summarised =
        aggregated
            .get(personaTag)
            .setCoder(KryoCoder.of(Persona.class))
            .apply("SummariseTraits", run.call(OrcaTasks.summariseTraits(settings), Persona.class));
    var profiled =
        summarised
            .output()
            .apply(
                "SimulateProfiles", run.call(OrcaTasks.simulateProfile(settings), Persona.class));
    failures.addAll(List.of(summarised.failures(), profiled.failures()));
    PCollection<Persona> personas = profiled.output();
    if (settings.psit) {
      var interpreted =
          personas.apply(
              "InterpretScores", run.call(OrcaTasks.interpretScores(settings), Persona.class));
      failures.add(interpreted.failures());
      personas = interpreted.output();
    }

    // The authors make records of original (non-quote) posts whose knowledge call found knowledge
    // (the posts their "deduce queries" step selects); calls are made only where they lead to a
    // record.
    var knowledge =
        personas
            .apply("FanOutPosts", ParDo.of(new FanOutFn(settings.allPosts)))
            .setCoder(KryoCoder.of(PostTask.class))
            .apply(
                "FindPotentialKnowledge",
                run.call(OrcaTasks.findKnowledge(settings), PostTask.class));
    PCollection<PostTask> used =
        settings.allPosts
            ? knowledge.output()
            : knowledge
                .output()
                .apply("PostsWithKnowledge", ParDo.of(new WithKnowledgeFn()))
                .setCoder(KryoCoder.of(PostTask.class));
    var activity =
        used.apply(
            "InferPsychologicalActivity",
            run.call(OrcaTasks.inferActivity(settings), PostTask.class));
    failures.addAll(List.of(knowledge.failures(), activity.failures()));

    PCollectionTuple records =
        activity
            .output()
            .apply("WaitForHeldOutUsers", HoldUntilComplete.of())
            .apply(
                "BuildPcipRecords",
                ParDo.of(new BuildFn(settings, run, heldOut))
                    .withSideInputs(heldOut)
                    .withOutputTags(TRAIN, TupleTagList.of(BENCHMARK)));
    PCollection<OrcaUser> userRecords =
        personas
            .apply("DescribeUsers", ParDo.of(new UserRecordFn(settings, run)))
            .setCoder(AvroRecordCoder.of(OrcaUser.class));
    return PCollectionTuple.of(
            TRAIN, records.get(TRAIN).setCoder(AvroRecordCoder.of(PcipRecord.class)))
        .and(BENCHMARK, records.get(BENCHMARK).setCoder(AvroRecordCoder.of(PcipRecord.class)))
        .and(USERS, userRecords)
        .and(
            FAILURES,
            PCollectionList.of(failures)
                .apply("FlattenFailures", Flatten.pCollections())
                .setCoder(KryoCoder.of(Failure.class)));
  }

  /** The kept users and their chunk scores, joined by user id. */
  private PCollection<KV<String, CoGbkResult>> joinById(
      PCollection<KeptUser> kept, PCollection<ChunkScore> scores) {
    return KeyedPCollectionTuple.of(
            AggregateFn.USER,
            kept.apply("KeyKeptUsers", ParDo.of(new KeyKeptFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(KeptUser.class))))
        .and(
            AggregateFn.SCORE,
            scores
                .apply("KeyScores", ParDo.of(new KeyScoreFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(ChunkScore.class))))
        .apply("JoinScoresToUsers", CoGroupByKey.create());
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
        out.output(
            new ScoreChunk(
                light,
                i + 1,
                new ArrayList<>(posts.subList(i * size, Math.min(posts.size(), (i + 1) * size)))));
      }
    }
  }

  /**
   * The 35-value vector from the user's scored chunks; a user none of whose chunks came back is a
   * dead letter.
   */
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
        out.get(unscored)
            .output(
                new Failure(
                    k.user().id(),
                    k.user().id() + "/bigfive",
                    "orca_bigfive",
                    "no_personality_score",
                    "none of the user's Big Five scoring calls succeeded",
                    k.user().origin()));
        return;
      }
      List<List<Integer>> bits = new ArrayList<>();
      List<String> explanations = new ArrayList<>();
      chunks.forEach(
          c -> {
            bits.add(c.bits());
            explanations.add(c.explanation());
          });
      out.get(ok)
          .output(new Persona(k, BigFive.aggregate(bits), explanations, "", "", "", chunks.size()));
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
    private final Counter without =
        Metrics.counter(CallLlm.METRICS, "orca.postsNotUsedNoKnowledge");

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
      // Per-user calls are shared by the user's posts; this post's own calls are knowledge and
      // activity.
      int calls = t.persona().llmCalls() + 2;
      PcipRecord r =
          new PcipRecord(
              t.persona().user().id() + "/" + t.post().id(),
              t.persona().user().id(),
              t.post().id(),
              settings.psit ? "psit" : "ptit",
              bench ? "benchmark" : "train",
              t.post().isReply(),
              t.rmr(),
              t.ept(),
              PcipRecords.knowledgeSection(settings, t),
              t.post().simulated(),
              t.persona().score(),
              PcipRecords.instruction(settings, t),
              PcipRecords.output(settings, t),
              t.activity(),
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
      out.output(
          new OrcaUser(
              u.id(),
              u.name(),
              p.score(),
              new LinkedHashMap<>(BigFive.traitSums(p.score())),
              p.explanations(),
              p.traitSummary(),
              p.profile(),
              p.interpretation(),
              u.posts().size(),
              p.kept().kept().size(),
              p.kept().filteredShort(),
              p.kept().filteredReplies(),
              u.posts().stream().allMatch(Post::simulated),
              run.provenance(u.origin(), u.warnings(), p.llmCalls())));
    }
  }
}
