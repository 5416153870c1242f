package dev.rolesynth.beyond;

import dev.rolesynth.beyond.Bd.Conversation;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Pair;
import dev.rolesynth.beyond.Bd.PartnerChain;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.pipeline.Build;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/**
 * Scratch mode (the authors' evaluation-side generator; docs/pipelines/beyond-dialogue.md):
 * partners made one call at a time, each call seeing those made so far; a scene, six emotion scores
 * and an intimacy score per pair; then a dialogue of alternating partner and role turns.
 *
 * <p>The sequential steps are unrolled into the graph (one stage per partner and per turn), so each
 * is an ordinary rate-limited, cached, dead-lettered call. A failed partner call ends that role's
 * chain (the partners made before it go on); a failed turn drops its dialogue.
 */
final class SimulateDialogues {
  private SimulateDialogues() {}

  static PCollection<Dialogue> expand(
      PCollection<Profile> profiles, BeyondDialogueSettings s, Build b) {
    PCollection<PartnerChain> chain =
        b.map(
            "StartPartnerChains",
            profiles,
            PartnerChain.class,
            p -> new PartnerChain(p, List.of()));
    List<PCollection<Pair>> pairs = new ArrayList<>();
    for (int k = 1; k <= s.opt.partnersPerRole(); k++) {
      chain = b.call("CreatePartner" + k, chain, BdTasks.createPartner(s), PartnerChain.class);
      pairs.add(b.map("PairWithPartner" + k, chain, Pair.class, SimulateDialogues::newestPair));
    }
    var allPairs = b.flatten("AllPairs", Pair.class, pairs);
    var scenes = b.call("DescribeScenes", allPairs, BdTasks.describeScene(s), Pair.class);
    var emotions = b.call("RateEmotions", scenes, BdTasks.rateEmotions(s), Pair.class);
    var intimacy = b.call("RateRelationships", emotions, BdTasks.rateRelationship(s), Pair.class);
    PCollection<Conversation> talk =
        b.map(
            "StartConversations",
            intimacy,
            Conversation.class,
            p -> new Conversation(p, List.of()));
    for (int r = 1; r <= s.opt.rounds(); r++) {
      var partner = b.call("PartnerTurn" + r, talk, BdTurnTasks.partnerTurn(s), Conversation.class);
      talk = b.call("RoleTurn" + r, partner, BdTurnTasks.roleTurn(s), Conversation.class);
    }
    return b.map("ToDialogues", talk, Dialogue.class, SimulateDialogues::dialogue);
  }

  private static Pair newestPair(PartnerChain c) {
    int k = c.partners().size();
    return new Pair(c.profile(), k, c.partners().get(k - 1), null, null, null);
  }

  private static Dialogue dialogue(Conversation c) {
    Pair p = c.pair();
    // partner + scene + emotions + intimacy + every turn
    int calls = 4 + c.lines().size();
    return new Dialogue(
        p.dialogueId(),
        p.profile(),
        "scratch",
        p.partner(),
        p.scene(),
        c.lines(),
        p.emotions(),
        p.relationship(),
        null,
        calls);
  }
}
