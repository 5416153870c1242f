package dev.rolesynth.orca;

import dev.rolesynth.avro.OrcaUser;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.orca.Orca.ChunkScore;
import dev.rolesynth.orca.Orca.KeptUser;
import dev.rolesynth.orca.Orca.Persona;
import dev.rolesynth.orca.Orca.PostTask;
import dev.rolesynth.orca.Orca.ScoreChunk;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.orca.PcipFns.AggregateFn;
import dev.rolesynth.orca.PcipFns.BuildFn;
import dev.rolesynth.orca.PcipFns.ChunkFn;
import dev.rolesynth.orca.PcipFns.FanOutFn;
import dev.rolesynth.orca.PcipFns.UserRecordFn;
import dev.rolesynth.orca.PcipFns.WithKnowledgeFn;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.HoldUntilComplete;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
                run.call(OrcaPostTasks.findKnowledge(settings), PostTask.class));
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
            run.call(OrcaPostTasks.inferActivity(settings), PostTask.class));
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
            kept.apply("KeyKeptUsers", WithKeys.of((KeptUser x) -> x.user().id()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(KeptUser.class))))
        .and(
            AggregateFn.SCORE,
            scores
                .apply("KeyScores", WithKeys.of((ChunkScore x) -> x.userId()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(ChunkScore.class))))
        .apply("JoinScoresToUsers", CoGroupByKey.create());
  }
}
