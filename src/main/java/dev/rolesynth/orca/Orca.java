package dev.rolesynth.orca;

import dev.rolesynth.pool.Counted;
import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.Role;
import java.io.Serializable;
import java.util.List;
import lombok.With;

/** The records that flow between Orca's stages. */
public final class Orca {
  private Orca() {}

  /** The upstream post a reply answers. */
  public record Upstream(String user, String text, boolean inThread) implements Serializable {}

  /** A quoted post. */
  public record Quote(String user, String text, List<String> media) implements Serializable {
    public Quote {
      media = List.copyOf(media);
    }
  }

  /** One post; {@code media} holds image captions. */
  public record Post(
      String id, String text, Upstream replyTo, Quote quote, List<String> media, boolean simulated)
      implements Serializable {
    public Post {
      media = List.copyOf(media);
    }

    boolean isReply() {
      return replyTo != null;
    }
  }

  /**
   * A user from the pool: profile fields, posts, and (persona mode) the persona text posts are
   * simulated from when the record has none.
   */
  public record User(
      String id,
      String name,
      List<Role.Field> profile,
      String persona,
      List<Post> posts,
      Origin origin,
      List<String> warnings)
      implements PoolRecord {
    public User {
      profile = List.copyOf(profile);
      posts = List.copyOf(posts);
      warnings = List.copyOf(warnings);
    }

    boolean isPersona() {
      return posts.isEmpty();
    }

    User withPosts(List<Post> p) {
      return new User(id, name, profile, persona, p, origin, warnings);
    }
  }

  /** Persona mode: one call's worth of simulated posts. */
  record PostBatch(User user, int batch, int count) implements Derived {

    String callId() {
      return user.id() + "/posts-" + batch;
    }
  }

  record SimulatedPosts(String userId, int batch, List<Post> posts) implements Serializable {}

  /** A user whose posts passed the filters. */
  record KeptUser(User user, List<Post> kept, int filteredShort, int filteredReplies)
      implements Serializable {}

  /** Ten posts of one user for one Big Five scoring call. */
  record ScoreChunk(User user, int index, List<Post> posts) implements Derived {

    String callId() {
      return user.id() + "/bigfive-" + index;
    }
  }

  /**
   * One chunk's 30 binary sub-scores (trait order, six each) and the psychologist's explanation.
   */
  record ChunkScore(String userId, int index, List<Integer> bits, String explanation)
      implements Serializable {}

  /** What the per-user stages built; every post of the user carries it. */
  @With
  record Persona(
      KeptUser kept,
      List<Double> score,
      List<String> explanations,
      String traitSummary,
      String profile,
      String interpretation,
      int llmCalls)
      implements Derived, Counted<Persona> {

    User user() {
      return kept.user();
    }

    Persona with(String summary, String simulatedProfile, String interp) {
      return withTraitSummary(summary == null ? traitSummary : summary)
          .withProfile(simulatedProfile == null ? profile : simulatedProfile)
          .withInterpretation(interp == null ? interpretation : interp);
    }

    /** The same persona without the posts, so that each post does not carry all the others. */
    Persona light() {
      return withKept(
              new KeptUser(
                  kept.user().withPosts(List.of()),
                  List.of(),
                  kept.filteredShort(),
                  kept.filteredReplies()))
          .withExplanations(List.of());
    }
  }

  /** One kept post on its way to a PCIP record. */
  @With
  record PostTask(
      Persona persona,
      Post post,
      boolean containsKnowledge,
      String knowledge,
      Boolean rmr,
      Boolean ept,
      String activity,
      int llmCalls)
      implements Derived, Counted<PostTask> {

    String callId(String stage) {
      return persona.user().id() + "/" + post.id() + "/" + stage;
    }

    PostTask withKnowledge(boolean contains, String detail) {
      return withContainsKnowledge(contains).withKnowledge(detail);
    }

    PostTask withActivity(boolean r, boolean e, String bpa) {
      return withRmr(r).withEpt(e).withActivity(bpa);
    }
  }
}
