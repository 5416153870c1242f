package dev.rolesynth.lima;

import dev.rolesynth.pool.Counted;
import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolRecord;
import java.io.Serializable;
import java.util.List;
import lombok.With;

/** The records that flow between LIMA-Role's stages. */
public final class Lima {
  private Lima() {}

  /** One turn of the conversation kept after the first exchange. */
  public record Turn(String role, String content) implements Serializable {}

  /**
   * An instruction item in canonical form: the first user turn (instruction plus input), its answer
   * (empty when the dataset has none), the turns after them, and the dataset's own system prompt.
   */
  public record Item(
      String id,
      String format,
      String question,
      String answer,
      List<Turn> rest,
      String system,
      Origin origin,
      List<String> warnings)
      implements PoolRecord {
    public Item {
      rest = List.copyOf(rest);
      warnings = List.copyOf(warnings);
    }
  }

  /** The annotation: the expert role, its role-setting prompt and the in-role feedback. */
  record Annotation(String role, String rolePrompt, String feedback) implements Serializable {}

  /** Jekyll & Hyde: the two answers and the judge's verdict in each order. */
  @With
  record Judged(String roleAnswer, String neutralAnswer, String roleFirst, String neutralFirst)
      implements Serializable {
    /** role, neutral or tie: a winner only when both orders agree on it. */
    String winner() {
      return roleFirst != null && roleFirst.equals(neutralFirst) ? roleFirst : "tie";
    }
  }

  @With
  record Annotated(Item item, Annotation annotation, Judged judged, int llmCalls)
      implements Derived, Counted<Annotated> {}
}
