package dev.rolesynth.simschat;

import static org.junit.Assert.assertEquals;

import dev.rolesynth.avro.SimsChatCharacter;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pipeline.Settings;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.simschat.SimsChat.Elements;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;

/** SimsChat's graph on the in-process simulator. */
public class SimsChatPipelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /**
   * Three characters of the same elements: the simulator names all three alike at first (it names
   * by the elements), the run asks two of them again with the names taken, and all three end with
   * names of their own.
   */
  @Test
  public void charactersOfOneNameAreNamedAgainUntilEachNameIsTheirOwn() {
    Settings<SimsChatKnobs> s =
        new Settings<>(
            "simschat",
            PipelineOptionsFactory.create().as(RolesynthOptions.class),
            Knobs.parse("simschat", SimsChatKnobs.class, Map.of("scenesPerCharacter", "1")));
    RunInfo run =
        new RunInfo("simschat", "1", "t", 42, LlmConfig.sim(), "sim", s.templateHashes(), 2);
    List<Elements> pool = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      pool.add(
          new Elements(
              id, "Chef", "Fame", List.of("Kind"), "Cooking", new Origin("p", 1), List.of()));
    }
    Outputs out =
        new SimsChatPipeline()
            .outputs(p.apply(Create.of(pool).withCoder(KryoCoder.of(Elements.class))), s, run);
    PAssert.that(out.failures()).empty();
    PAssert.that(out.<SimsChatCharacter>get("characters"))
        .satisfies(
            all -> {
              Set<String> names = new HashSet<>();
              all.forEach(c -> names.add(c.getName()));
              assertEquals(names.toString(), 3, names.size());
              return null;
            });
    p.run().waitUntilFinish();
  }
}
