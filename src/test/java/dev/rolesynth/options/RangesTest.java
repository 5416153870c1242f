package dev.rolesynth.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.rolesynth.ConfigException;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class RangesTest {
  public interface Knobs extends RolesynthOptions {
    @Description("scenes")
    @Default.Integer(3)
    @Range(min = 1, max = 30)
    int getScenes();

    void setScenes(int value);

    @Description("budget")
    @Default.Long(10)
    @Range(min = 0, max = 1_000_000_000_000L)
    long getBudget();

    void setBudget(long value);

    @Description("share")
    @Default.Double(0.5)
    @Range(min = 0, max = 1)
    double getShare();

    void setShare(double value);

    @Description("free")
    @Default.Integer(-5)
    int getFree();

    void setFree(int value);
  }

  private static Knobs knobs(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(Knobs.class);
  }

  @Test
  public void aValueOutsideItsDeclaredRangeIsAConfigErrorNamingOptionRangeAndValue() {
    Ranges.check(knobs("--scenes=1", "--budget=0"), Knobs.class);
    Ranges.check(knobs("--scenes=30"), Knobs.class);
    ConfigException low =
        assertThrows(ConfigException.class, () -> Ranges.check(knobs("--scenes=0"), Knobs.class));
    assertEquals("--scenes must be between 1 and 30, got 0", low.getMessage());
    ConfigException high =
        assertThrows(ConfigException.class, () -> Ranges.check(knobs("--budget=-1"), Knobs.class));
    assertThat(high.getMessage(), containsString("--budget must be between 0 and"));
    Ranges.check(knobs("--share=1"), Knobs.class);
    ConfigException share =
        assertThrows(ConfigException.class, () -> Ranges.check(knobs("--share=1.25"), Knobs.class));
    assertEquals("--share must be between 0 and 1, got 1.25", share.getMessage());
  }

  @Test
  public void helpDescribesTheRangeAndOnlyWhereOneIsDeclared() throws Exception {
    assertEquals("from 1 to 30", Ranges.describe(Knobs.class.getMethod("getScenes")));
    assertNull(Ranges.describe(Knobs.class.getMethod("getFree")));
  }
}
