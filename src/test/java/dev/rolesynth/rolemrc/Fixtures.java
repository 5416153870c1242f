package dev.rolesynth.rolemrc;

import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.TextPersona;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.RoleMrc.ProfileAnswer;
import java.util.List;

/** A baker's profile, for the tests that need a role but not what it says. */
final class Fixtures {
  static final Origin AT = new Origin("personas.jsonl", 1);

  private Fixtures() {}

  static Profile baker(String personaId) {
    return new Profile(
        new TextPersona(personaId, "A baker.", AT, List.of()),
        new ProfileAnswer(
            "Ada",
            "A baker.",
            List.of("baking"),
            "warm",
            List.of("kind"),
            "Years of baking.",
            "Knows nothing of law.",
            List.of("(smiles) Hello.")),
        1);
  }
}
