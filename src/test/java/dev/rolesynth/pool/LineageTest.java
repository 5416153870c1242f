package dev.rolesynth.pool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class LineageTest {
  record Line(String id, Origin origin) implements Traced {}

  record Holder(String note, Line line) {}

  record Made(int n, Holder holder, Line other) implements Derived {}

  record Lost(String text) implements Derived {}

  @Test
  public void aDerivedRecordComesFromItsNearestTracedComponent() {
    Line near = new Line("near", null);
    Made m = new Made(1, new Holder("x", new Line("deep", null)), near);
    assertSame("a component before a component's component", near, m.from());
    assertEquals("near", m.id());
    var e = assertThrows(IllegalStateException.class, () -> new Lost("t").from());
    assertTrue(e.getMessage(), e.getMessage().contains("overriding from()"));
  }

  /**
   * Every method's derived record finds its lineage: none fails only when a dead letter needs it.
   */
  @Test
  public void everyDerivedRecordOfTheMethodsHasALineage() throws Exception {
    List<String> none = new ArrayList<>();
    int seen = 0;
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rolesynth")) {
      Class<?> type = c.reflect();
      if (type.isRecord() && Derived.class.isAssignableFrom(type)) {
        seen++;
        boolean overrides = type.getMethod("from").getDeclaringClass() == type;
        if (!overrides) {
          try {
            Lineage.path(type);
          } catch (IllegalStateException e) {
            none.add(type.getName());
          }
        }
      }
    }
    assertTrue("derived records found: " + seen, seen >= 25);
    assertEquals(List.of(), none);
  }
}
