package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * An Avro record as its JSON tree (unions as their value, as Avro's own JSON rendering of generic
 * data has them), built from the record without a round trip through text: what a dataset's jq
 * forms and the review read.
 */
public final class AvroJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AvroJson() {}

  public static JsonNode tree(Object v) {
    JsonNodeFactory nodes = JSON.getNodeFactory();
    if (v == null) {
      return nodes.nullNode();
    } else if (v instanceof GenericRecord r) {
      ObjectNode o = nodes.objectNode();
      r.getSchema().getFields().forEach(f -> o.set(f.name(), tree(r.get(f.pos()))));
      return o;
    } else if (v instanceof Map<?, ?> m) {
      ObjectNode o = nodes.objectNode();
      m.forEach((k, x) -> o.set(k.toString(), tree(x)));
      return o;
    } else if (v instanceof Collection<?> c) {
      ArrayNode a = nodes.arrayNode();
      c.forEach(x -> a.add(tree(x)));
      return a;
    } else if (v instanceof Number || v instanceof Boolean) {
      return JSON.valueToTree(v);
    }
    return nodes.textNode(v.toString());
  }
}
