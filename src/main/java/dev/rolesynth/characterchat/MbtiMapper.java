package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.characterchat.CharacterChat.MbtiType;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolMapper;
import dev.rolesynth.prompt.MethodData;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pool line: {@code {"mbti": "INFP"}}, one of the sixteen types (the authors' list), with an
 * optional {@code description} of the type that its profiles are invented from (else the one
 * shipped in pipelines/characterchat/data.yaml, ours); an {@code id} is kept.
 */
final class MbtiMapper extends PoolMapper<MbtiType> {
  private static final Map<String, String> DESCRIPTIONS =
      MethodData.of(CharacterChat.PIPELINE).texts("types");

  MbtiMapper() {
    super(MbtiType.class);
  }

  @Override
  public MbtiType map(JsonNode r, Origin origin) throws BadRecordException {
    JsonNode t = r.get("mbti");
    if (t == null || t.isNull()) {
      throw new BadRecordException(
          "missing_field", "field 'mbti' (the personality type, e.g. \"INFP\") is missing");
    }
    if (!t.isTextual()) {
      throw new BadRecordException(
          "wrong_type", "field 'mbti' must be a string such as \"INFP\", got " + t.getNodeType());
    }
    String mbti = t.asText().strip().toUpperCase(Locale.ROOT);
    if (!mbti.matches("[EI][SN][TF][JP]")) {
      throw new BadRecordException(
          "bad_value",
          "field 'mbti' must be one of the sixteen types (E/I, S/N, T/F, J/P), got '"
              + t.asText()
              + "'");
    }
    String id = givenId(r);
    String description = r.has("description") ? text(r, "description") : DESCRIPTIONS.get(mbti);
    return new MbtiType(id.isEmpty() ? mbti : id, mbti, description, origin, List.of());
  }
}
