package dev.rolesynth.sim;

import dev.rolesynth.sim.StageSimulations.Input;
import java.util.List;

/**
 * Simulated names: first and last names drawn by a hash, passing over the names a naming prompt or
 * a re-ask says are taken and, when the prompt asks for a first letter ("… must begin with C"),
 * those without it. The prompt's {@code taken} variable carries both.
 */
public final class SimNames {
  private SimNames() {}

  public static String pick(Input in, long hash, List<String> first, List<String> last) {
    StringBuilder said = new StringBuilder(in.get("taken"));
    in.messages().forEach(m -> said.append('\n').append(m.content()));
    String taken = in.get("taken");
    int at = taken.indexOf("must begin with ");
    String initial = at < 0 ? "" : taken.substring(at + "must begin with ".length()).strip();
    int n = first.size() * last.size();
    for (int k = 0; k < n; k++) {
      int i = (int) (Math.floorMod(hash + k, (long) n));
      String name = first.get(i % first.size()) + " " + last.get(i / first.size());
      if (!said.toString().contains(name) && name.startsWith(initial)) {
        return name;
      }
    }
    return initial + "ee Sim" + Math.floorMod(hash, 1000);
  }
}
