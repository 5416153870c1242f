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
import dev.rolesynth.pipeline.AvroRecords;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import dev.rolesynth.pipeline.RunInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The DoFns of the PCIP records' recipe ({@link OrcaPipeline#build}): keying, chunking, scoring,
 * fan-out and building.
 */
final class PcipFns {
  private PcipFns() {}

  /** The user's kept posts in chunks of {@code size}, scored one chunk a call. */
  static List<ScoreChunk> chunks(KeptUser k, int size) {
    List<Post> posts = k.kept();
    User light = k.user().withPosts(List.of());
    List<ScoreChunk> out = new ArrayList<>();
    for (int i = 0; i * size < posts.size(); i++) {
      int end = Math.min(posts.size(), (i + 1) * size);
      out.add(new ScoreChunk(light, i + 1, new ArrayList<>(posts.subList(i * size, end))));
    }
    return out;
  }

  /**
   * The 35-value vector from the user's scored chunks; a user none of whose chunks came back is a
   * dead letter.
   */
  static void aggregate(Grouped joined, Void none, EachOrFail.Out<Persona> out) {
    KeptUser k = joined.only(KeptUser.class);
    if (k == null) {
      return;
    }
    List<ChunkScore> chunks = new ArrayList<>(joined.all(ChunkScore.class));
    chunks.sort(Comparator.comparingInt(ChunkScore::index));
    if (chunks.isEmpty()) {
      out.fail(
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
    out.output(new Persona(k, BigFive.aggregate(bits), explanations, "", "", "", chunks.size()));
  }

  /** A user's kept posts, one task each; quotes only with {@code --pcipAllPosts} (else counted). */
  static List<PostTask> tasks(Persona p, boolean allPosts) {
    Persona light = p.light();
    List<PostTask> out = new ArrayList<>();
    for (Post post : p.kept().kept()) {
      if (allPosts || post.quote() == null) {
        out.add(new PostTask(light, post, false, "", null, null, "", light.llmCalls()));
      }
    }
    Metrics.counter(CallLlm.METRICS, "orca.postsNotUsedQuote")
        .inc(p.kept().kept().size() - out.size());
    return out;
  }

  /** A post, and whether its user is held out for the benchmark. */
  record Split(PostTask task, boolean bench) implements Serializable {}

  /** The PCIP record of a post: in the benchmark split when its user is held out. */
  static PcipRecord record(OrcaSettings settings, RunInfo run, Split x) {
    PostTask t = x.task();
    boolean bench = x.bench();
    return new PcipRecord(
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
        run.provenance(t.persona().user(), t.llmCalls()));
  }

  /** What the run learnt of a user, for the review. */
  static OrcaUser user(Persona p, RunInfo run) {
    User u = p.user();
    return AvroRecords.from(p)
        .with("traitSums", new LinkedHashMap<>(BigFive.traitSums(p.score())))
        .with("postsTotal", u.posts().size())
        .with("postsKept", p.kept().kept().size())
        .with("postsFilteredShort", p.kept().filteredShort())
        .with("postsFilteredReplies", p.kept().filteredReplies())
        .with("persona", u.posts().stream().allMatch(Post::simulated))
        .with("provenance", run.provenance(u, p.llmCalls()))
        .as(OrcaUser.class);
  }
}
