package dev.rolesynth.pool;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where a derived record came from: the path of accessors to its nearest traced component, found
 * once per record type from the component types (breadth first, so a scene's character comes before
 * the character's pool line), then read per record.
 */
final class Lineage {
  private static final ClassValue<List<Method>> PATHS =
      new ClassValue<>() {
        @Override
        protected List<Method> computeValue(Class<?> type) {
          return path(type);
        }
      };

  private Lineage() {}

  static Traced of(Derived record) {
    Object at = record;
    for (Method m : PATHS.get(record.getClass())) {
      try {
        at = m.invoke(at);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + m + " of " + record.getClass(), e);
      }
    }
    return (Traced) at;
  }

  private record Step(Class<?> type, List<Method> path) {}

  static List<Method> path(Class<?> start) {
    Deque<Step> todo = new ArrayDeque<>(List.of(new Step(start, List.of())));
    while (!todo.isEmpty()) {
      Step s = todo.removeFirst();
      for (RecordComponent c : s.type().getRecordComponents()) {
        Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        List<Method> path = new ArrayList<>(s.path());
        path.add(accessor);
        if (Traced.class.isAssignableFrom(c.getType())) {
          return List.copyOf(path);
        }
        if (c.getType().isRecord()) {
          todo.addLast(new Step(c.getType(), path));
        }
      }
    }
    throw new IllegalStateException(
        start.getName() + " holds no traced record: say what it came from by overriding from()");
  }
}
