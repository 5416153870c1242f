package dev.rolesynth.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/** Records of different kinds meet under the key each gives, every side of a key in one group. */
public class GroupByKeysTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void everySideOfAKeyIsInItsGroupAndAKeyOfOneSideStillHasAGroup() {
    var names = p.apply("Names", Create.of("ann", "bo"));
    var scores = p.apply("Scores", Create.of(31, 32, 20, 90));
    var grouped =
        GroupByKeys.named("Join")
            .with(names, n -> n.substring(0, 1), String.class)
            .with(scores, s -> s >= 90 ? "z" : s >= 30 ? "a" : "b", Integer.class)
            .group();
    PAssert.that(
            grouped.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        g -> {
                          List<Integer> s = new ArrayList<>(g.all(Integer.class));
                          s.sort(null);
                          String name = g.only(String.class);
                          return g.key() + ":" + (name == null ? "-" : name) + ":" + s;
                        })))
        .containsInAnyOrder("a:ann:[31, 32]", "b:bo:[20]", "z:-:[90]");
    p.run().waitUntilFinish();
  }

  @Test
  public void aSideAlreadyKeyedMayPutOneRecordUnderSeveralKeys() {
    var names = p.apply("Names", Create.of("ann"));
    var tags =
        p.apply(
            "Tags",
            Create.of(KV.of("a", 1), KV.of("z", 1), KV.of("a", 2))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Integer.class))));
    var grouped =
        GroupByKeys.named("Join")
            .with(names, n -> n.substring(0, 1), String.class)
            .withKeyed(tags, Integer.class)
            .group();
    PAssert.that(
            grouped.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        g -> {
                          List<Integer> s = new ArrayList<>(g.all(Integer.class));
                          s.sort(null);
                          return g.key() + ":" + g.all(String.class) + ":" + s;
                        })))
        .containsInAnyOrder("a:[ann]:[1, 2]", "z:[]:[1]");
    p.run().waitUntilFinish();
  }

  @Test
  public void twoSidesOfOneTypeAreRefusedWhenTheGraphIsBuilt() {
    var names = p.apply("Names", Create.of("ann"));
    GroupByKeys g = GroupByKeys.named("Join").with(names, n -> n, String.class);
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class, () -> g.with(names, n -> n, String.class));
    org.junit.Assert.assertEquals("Join: two sides of type String", e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }
}
