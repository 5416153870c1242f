package dev.rolesynth.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class EveryoneTest {
  record R(String id, String name) {}

  private static List<String> ids(Everyone<R>.Others others) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < others.size(); i++) {
      out.add(others.get(i).id());
    }
    return out;
  }

  @Test
  public void allButTheRecordAndItsNamesakesInIdOrder() {
    Everyone<R> all =
        new Everyone<>(
            List.of(new R("d", "Dee"), new R("a", "Ann"), new R("c", "Ann"), new R("b", "Bo")),
            R::id,
            R::name);
    assertEquals(List.of("b", "d"), ids(all.without("a", "Ann")));
    assertEquals(List.of("a", "c", "d"), ids(all.without("b", "Bo")));
    assertEquals(List.of("a", "b", "c"), ids(all.without("d", "Dee")));
    // an id outside the run leaves everyone but the name's records in
    assertEquals(List.of("a", "b", "c", "d"), ids(all.without("zz", "Nobody")));
  }

  @Test
  public void aRunOfOneLeavesNobody() {
    Everyone<R> one = new Everyone<>(List.of(new R("a", "Ann")), R::id, R::name);
    assertEquals(0, one.without("a", "Ann").size());
  }
}
