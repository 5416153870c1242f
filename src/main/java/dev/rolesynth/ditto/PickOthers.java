package dev.rolesynth.ditto;

import dev.rolesynth.core.Draws;
import dev.rolesynth.core.Everyone;
import dev.rolesynth.ditto.Ditto.OtherRole;
import dev.rolesynth.ditto.Ditto.QueryPlan;
import dev.rolesynth.pipeline.HoldUntilComplete;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleWorld;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Picks each role's contrastive sources and identity distractors from the other roles' profiles,
 * the knowledge Ditto collects without a model, so each role goes from its card to its questions
 * with no wait for every other card.
 */
final class PickOthers extends PTransform<PCollection<Role>, PCollection<QueryPlan>> {
  private final DittoSettings settings;

  PickOthers(DittoSettings settings) {
    this.settings = settings;
  }

  @Override
  public PCollection<QueryPlan> expand(PCollection<Role> roles) {
    PCollectionView<List<OtherRole>> others =
        roles
            .apply("SummariseForOtherRoles", ParDo.of(new SummariseFn()))
            .setCoder(KryoCoder.of(OtherRole.class))
            .apply("AsSideInput", View.asList());
    return roles
        .apply("WaitForEveryRole", HoldUntilComplete.of())
        .apply("Pick", ParDo.of(new PickOthersFn(settings, others)).withSideInputs(others))
        .setCoder(KryoCoder.of(QueryPlan.class));
  }

  /**
   * A role as other roles see it: its name, a few facts of its profile, and where it lives in time
   * and fiction.
   */
  static final class SummariseFn extends DoFn<Role, OtherRole> {
    @ProcessElement
    public void process(@Element Role role, OutputReceiver<OtherRole> out) {
      out.output(new OtherRole(role.id(), role.name(), factsOf(role), RoleWorld.of(role)));
    }

    /**
     * Up to three facts, from the pool's own profile: the description, then the first sentences of
     * the free-form fields in their order (a summary, a background), then short fields as "key:
     * value".
     */
    static List<String> factsOf(Role role) {
      List<String> facts = new ArrayList<>();
      if (!role.description().isBlank()) {
        facts.add(clip(role.name() + ": " + role.description().strip()));
      }
      for (Role.Field f : role.profile()) {
        String v = f.value().strip().replaceAll("\\s+", " ");
        String[] sentences = v.split("(?<=[.!?。！？])\\s+");
        if (sentences.length > 1 || v.endsWith(".")) {
          for (String sentence : sentences) {
            if (facts.size() < 3 && sentence.length() >= 12) {
              facts.add(clip(sentence));
            }
          }
        } else if (facts.size() < 3 && !v.isEmpty()) {
          facts.add(clip(role.name() + "'s " + f.key() + ": " + v));
        }
      }
      return facts.subList(0, Math.min(3, facts.size()));
    }

    private static String clip(String s) {
      return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
  }

  /**
   * Picks, with a seed per role, the other roles whose knowledge feeds this role's contrastive
   * questions, and three other names to serve as the identity judge's distractors.
   */
  static final class PickOthersFn extends DoFn<Role, QueryPlan> {
    private final DittoSettings settings;
    private final PCollectionView<List<OtherRole>> othersView;
    private transient Everyone<OtherRole> sorted;
    private transient List<OtherRole> sortedFrom;

    PickOthersFn(DittoSettings settings, PCollectionView<List<OtherRole>> othersView) {
      this.settings = settings;
      this.othersView = othersView;
    }

    @ProcessElement
    public void process(@Element Role role, ProcessContext c) {
      List<OtherRole> all = c.sideInput(othersView);
      if (sortedFrom != all) {
        sorted = everyone(all);
        sortedFrom = all;
      }
      c.output(pick(role, sorted, settings));
    }

    static QueryPlan pick(Role role, List<OtherRole> all, DittoSettings settings) {
      return pick(role, everyone(all), settings);
    }

    private static Everyone<OtherRole> everyone(List<OtherRole> all) {
      return new Everyone<>(all, OtherRole::id, OtherRole::name);
    }

    /**
     * Sources lie outside what the role could know where the pool says so (a later life, another
     * fiction), else where it does not say; never an earlier or contemporary life or the same work.
     * Distractors are other roles again, so that the identity judge is not primed by the sources.
     */
    static QueryPlan pick(Role role, Everyone<OtherRole> others, DittoSettings settings) {
      Everyone<OtherRole>.Others candidates = others.without(role.id(), role.name());
      RoleWorld world = RoleWorld.of(role);
      int wantSources = settings.contrastiveQueries == 0 ? 0 : settings.opt.contrastiveSources();
      int want = wantSources + 3;
      Random random = Draws.random(settings.seed, "others", role.id());
      List<OtherRole> drawn = new ArrayList<>();
      List<OtherRole> outside = new ArrayList<>();
      List<OtherRole> unknown = new ArrayList<>();
      Set<Integer> used = new HashSet<>();
      Set<String> names = new HashSet<>();
      int budget = Math.min(candidates.size(), Math.max(64, 8 * want));
      while (used.size() < budget && !(outside.size() >= wantSources && drawn.size() >= want)) {
        int i = random.nextInt(candidates.size());
        OtherRole o = candidates.get(i);
        if (!used.add(i) || !names.add(o.name())) {
          continue;
        }
        drawn.add(o);
        switch (world.relationTo(o.world())) {
          case OUTSIDE -> outside.add(o);
          case UNKNOWN -> unknown.add(o);
          case KNOWABLE -> {}
        }
      }
      List<OtherRole> sources =
          new ArrayList<>(outside.subList(0, Math.min(wantSources, outside.size())));
      for (OtherRole o : unknown) {
        if (sources.size() < wantSources) {
          sources.add(o);
        }
      }
      List<String> distractors = new ArrayList<>();
      for (OtherRole o : drawn) {
        if (distractors.size() < 3 && !sources.contains(o)) {
          distractors.add(o.name());
        }
      }
      // A pool too small for both gets fewer distractors rather than sources among them.
      return new QueryPlan(role, sources, distractors);
    }
  }
}
