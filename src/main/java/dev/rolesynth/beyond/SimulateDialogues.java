package dev.rolesynth.beyond;

import dev.rolesynth.beyond.Bd.Conversation;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Pair;
import dev.rolesynth.beyond.Bd.PartnerChain;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Scratch mode (the authors' evaluation-side generator; docs/pipelines/beyond-dialogue.md):
 * partners made one call at a time, each call seeing those made so far; a scene, six emotion scores
 * and an intimacy score per pair; then a dialogue of alternating partner and role turns.
 *
 * <p>The sequential steps are unrolled into the graph (one stage per partner and per turn), so each
 * is an ordinary rate-limited, cached, dead-lettered call. A failed partner call ends that role's
 * chain (the partners made before it go on); a failed turn drops its dialogue.
 */
final class SimulateDialogues
    extends PTransform<PCollection<Profile>, WithFailures.Result<PCollection<Dialogue>, Failure>> {
  private final BeyondDialogueSettings settings;
  private final RunInfo run;

  SimulateDialogues(BeyondDialogueSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public WithFailures.Result<PCollection<Dialogue>, Failure> expand(PCollection<Profile> profiles) {
    List<PCollection<Failure>> failures = new ArrayList<>();
    PCollection<PartnerChain> chain =
        profiles
            .apply("StartPartnerChains", ParDo.of(new StartChainFn()))
            .setCoder(KryoCoder.of(PartnerChain.class));
    List<PCollection<Pair>> pairs = new ArrayList<>();
    for (int k = 1; k <= settings.partnersPerRole; k++) {
      var made =
          chain.apply(
              "CreatePartner" + k, run.call(BdTasks.createPartner(settings), PartnerChain.class));
      failures.add(made.failures());
      chain = made.output();
      pairs.add(
          chain
              .apply("PairWithPartner" + k, ParDo.of(new NewestPairFn()))
              .setCoder(KryoCoder.of(Pair.class)));
    }
    PCollection<Pair> allPairs =
        PCollectionList.of(pairs)
            .apply("AllPairs", Flatten.pCollections())
            .setCoder(KryoCoder.of(Pair.class));

    var scenes =
        allPairs.apply("DescribeScenes", run.call(BdTasks.describeScene(settings), Pair.class));
    var emotions =
        scenes.output().apply("RateEmotions", run.call(BdTasks.rateEmotions(settings), Pair.class));
    var intimacy =
        emotions
            .output()
            .apply("RateRelationships", run.call(BdTasks.rateRelationship(settings), Pair.class));
    failures.addAll(List.of(scenes.failures(), emotions.failures(), intimacy.failures()));

    PCollection<Conversation> talk =
        intimacy
            .output()
            .apply("StartConversations", ParDo.of(new StartConversationFn()))
            .setCoder(KryoCoder.of(Conversation.class));
    for (int r = 1; r <= settings.rounds; r++) {
      var partner =
          talk.apply(
              "PartnerTurn" + r, run.call(BdTurnTasks.partnerTurn(settings), Conversation.class));
      var role =
          partner
              .output()
              .apply("RoleTurn" + r, run.call(BdTurnTasks.roleTurn(settings), Conversation.class));
      failures.addAll(List.of(partner.failures(), role.failures()));
      talk = role.output();
    }
    PCollection<Dialogue> dialogues =
        talk.apply("ToDialogues", ParDo.of(new ToDialogueFn()))
            .setCoder(KryoCoder.of(Dialogue.class));
    return WithFailures.Result.of(dialogues, Failures.flatten("SimulationFailures", failures));
  }

  static final class StartChainFn extends DoFn<Profile, PartnerChain> {
    @ProcessElement
    public void process(@Element Profile p, OutputReceiver<PartnerChain> out) {
      out.output(new PartnerChain(p, List.of()));
    }
  }

  static final class NewestPairFn extends DoFn<PartnerChain, Pair> {
    @ProcessElement
    public void process(@Element PartnerChain c, OutputReceiver<Pair> out) {
      int k = c.partners().size();
      out.output(new Pair(c.profile(), k, c.partners().get(k - 1), null, null, null));
    }
  }

  static final class StartConversationFn extends DoFn<Pair, Conversation> {
    @ProcessElement
    public void process(@Element Pair p, OutputReceiver<Conversation> out) {
      out.output(new Conversation(p, List.of()));
    }
  }

  static final class ToDialogueFn extends DoFn<Conversation, Dialogue> {
    @ProcessElement
    public void process(@Element Conversation c, OutputReceiver<Dialogue> out) {
      Pair p = c.pair();
      // partner + scene + emotions + intimacy + every turn
      int calls = 4 + c.lines().size();
      out.output(
          new Dialogue(
              p.dialogueId(),
              p.profile(),
              "scratch",
              p.partner(),
              p.scene(),
              c.lines(),
              p.emotions(),
              p.relationship(),
              null,
              calls));
    }
  }
}
