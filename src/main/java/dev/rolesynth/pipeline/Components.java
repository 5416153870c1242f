package dev.rolesynth.pipeline;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A record's components by name, breadth first: its own, then those of the records it holds, in
 * order; what {@link Vars} and {@link AvroRecords} read by name. Accessors are found once per type.
 */
final class Components {
  private static final ClassValue<List<Method>> ACCESSORS =
      new ClassValue<>() {
        @Override
        protected List<Method> computeValue(Class<?> type) {
          List<Method> out = new ArrayList<>();
          for (RecordComponent c : type.getRecordComponents()) {
            Method m = c.getAccessor();
            m.setAccessible(true); // records nested in a method's package are not public
            out.add(m);
          }
          return List.copyOf(out);
        }
      };

  private Components() {}

  /** Each component's name and value, nearer records first (a record value is visited too). */
  static void each(Record record, BiConsumer<String, Object> visit) {
    Deque<Record> todo = new ArrayDeque<>(List.of(record));
    while (!todo.isEmpty()) {
      Record r = todo.removeFirst();
      for (Method m : ACCESSORS.get(r.getClass())) {
        Object v;
        try {
          v = m.invoke(r);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + m, e);
        }
        visit.accept(m.getName(), v);
        if (v instanceof Record nested) {
          todo.addLast(nested);
        }
      }
    }
  }
}
