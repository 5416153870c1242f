package dev.rolesynth.orca;

import static dev.rolesynth.orca.PcipFns.tasks;

import com.google.auto.service.AutoService;
import dev.rolesynth.avro.OrcaUser;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.orca.Orca.ChunkScore;
import dev.rolesynth.orca.Orca.KeptUser;
import dev.rolesynth.orca.Orca.Persona;
import dev.rolesynth.orca.Orca.PostTask;
import dev.rolesynth.orca.Orca.ScoreChunk;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.orca.PcipFns.Split;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.GroupByKeys;
import dev.rolesynth.pipeline.HoldOut;
import dev.rolesynth.pipeline.HoldUntilComplete;
import dev.rolesynth.pipeline.JqForm;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.RoleMapper;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/** Registers Orca with the launcher and names its datasets. */
@AutoService(RolePipeline.class)
public final class OrcaPipeline extends Recipe<User, OrcaSettings> {
  /**
   * The shipped sample has 30-40 posts a user; the paper's 200-post minimum would drop every one.
   */
  static final int SAMPLE_MIN_POSTS = 30;

  static final Renderings<PcipRecord> PCIP =
      Renderings.of(PcipRecord.class)
          .with("alpaca", JqForm.of(OrcaSettings.PIPELINE, "alpaca.jq"))
          .with("chat", JqForm.of(OrcaSettings.PIPELINE, "chat.jq"));
  static final Renderings<OrcaUser> USERS =
      Renderings.of(OrcaUser.class).with("review", OrcaUser::toString);

  public OrcaPipeline() {
    super(OrcaSettings.PIPELINE, "users.jsonl");
    settledBy(OrcaKnobs.class, OrcaPipeline::settings);
    reads(
        options ->
            new UserMapper(
                RoleMapper.parseFieldMap(options.getFieldMap(), UserMapper.CANONICAL),
                options.getMaxFieldChars()));
    dataset("pcip", PCIP);
    dataset("benchmark", PCIP);
    dataset("users", USERS);
  }

  private static OrcaSettings settings(RolesynthOptions o, OrcaKnobs k) {
    int minPosts = k.minPostsPerUser();
    if (o.getInput().isBlank() && minPosts == 200) {
      minPosts = SAMPLE_MIN_POSTS;
      System.err.println(
          "rolesynth: NOTICE: the shipped sample pool has "
              + SAMPLE_MIN_POSTS
              + "+ posts a user; "
              + "--minPostsPerUser lowered from 200 to "
              + SAMPLE_MIN_POSTS
              + " for it");
    }
    return new OrcaSettings(o, k, minPosts);
  }

  /**
   * Orca (docs/pipelines/orca.md): users with posts in, personality-conditioned PCIP records out.
   *
   * <ol>
   *   <li>persona mode: records without posts get posts simulated in their voice;
   *   <li>the authors' filters: enough posts, no short posts without a quote, replies only to
   *       another user's unthreaded, present upstream post;
   *   <li>Big Five scoring of ten posts a call, aggregated into each user's 35-value vector;
   *   <li>per user: trait summary, simulated profile, and (PSIT) the score interpretation;
   *   <li>per post: potential knowledge, then psychological activity;
   *   <li>PCIP records without an LLM, the held-out benchmark users written apart.
   * </ol>
   */
  @Override
  protected void build(PCollection<User> users, OrcaSettings s, Build b) {
    PCollection<User> withPosts =
        b.step("GivePersonasPosts", users, in -> SimulatePersonaPosts.expand(in, s, b));

    PCollection<KeptUser> kept =
        b.collect(
            withPosts.apply("FilterPosts", EachOrFail.of(KeptUser.class, new FilterPostsFn(s))));

    int benchmarkMinPosts = s.opt.benchmarkMinPosts();
    PCollectionView<List<String>> heldOut =
        kept.apply(
            "HoldOutBenchmarkUsers",
            HoldOut.of(
                s.opt.benchmarkUsers(),
                s.seed,
                (KeptUser k) -> k.user().id(),
                k -> k.user().posts().size() >= benchmarkMinPosts));

    int chunk = s.opt.postsPerScoreChunk();
    var chunks = b.flatMap("ChunkPosts", kept, ScoreChunk.class, k -> PcipFns.chunks(k, chunk));
    var scored = b.call("ScoreBigFive", chunks, OrcaTasks.scoreBigFive(s), ChunkScore.class);
    var aggregated =
        b.collect(
            GroupByKeys.named("JoinScoresToUsers")
                .with(kept, k -> k.user().id(), KeptUser.class)
                .with(scored, ChunkScore::userId, ChunkScore.class)
                .group()
                .apply("AggregateScores", EachOrFail.of(Persona.class, PcipFns::aggregate)));
    var summarised =
        b.call("SummariseTraits", aggregated, OrcaTasks.summariseTraits(s), Persona.class);
    var personas =
        b.call("SimulateProfiles", summarised, OrcaTasks.simulateProfile(s), Persona.class);
    if (s.psit) {
      personas = b.call("InterpretScores", personas, OrcaTasks.interpretScores(s), Persona.class);
    }

    // The authors make records of original (non-quote) posts whose knowledge call found knowledge
    // (the posts their "deduce queries" step selects); calls are made only where they lead to a
    // record.
    boolean allPosts = s.opt.pcipAllPosts();
    var posts = b.flatMap("FanOutPosts", personas, PostTask.class, p -> tasks(p, allPosts));
    var knowledge =
        b.call("FindPotentialKnowledge", posts, OrcaPostTasks.findKnowledge(s), PostTask.class);
    var used =
        allPosts
            ? knowledge
            : b.keepCounting(
                "PostsWithKnowledge",
                knowledge,
                PostTask.class,
                PostTask::containsKnowledge,
                "orca.postsNotUsedNoKnowledge");
    var activity =
        b.call("InferPsychologicalActivity", used, OrcaPostTasks.inferActivity(s), PostTask.class);

    var split =
        b.collect(
            activity
                .apply("WaitForHeldOutUsers", HoldUntilComplete.of())
                .apply(
                    "SplitHeldOutUsers",
                    EachOrFail.with(
                        heldOut,
                        Split.class,
                        (t, held, out) ->
                            out.output(new Split(t, held.contains(t.persona().user().id()))))));
    RunInfo run = b.run();
    b.writeEach("pcip", split, x -> x.bench() ? List.of() : List.of(PcipFns.record(s, run, x)));
    b.writeEach(
        "benchmark", split, x -> x.bench() ? List.of(PcipFns.record(s, run, x)) : List.of());
    b.write("users", personas, p -> PcipFns.user(p, run));
  }
}
