package dev.rolesynth.beyond;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class ProfilesTest {
  static Role role(String id, String name, List<String> aliases, String... kv) {
    List<Role.Field> fields = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      fields.add(new Role.Field(kv[i], kv[i + 1]));
    }
    return new Role(id, name, "en", aliases, "", fields, new Origin("pool.jsonl", 1), List.of());
  }

  @Test
  public void readsTheAuthorsEnglishRoleFields() {
    Profile p =
        Profiles.of(
            role(
                "h",
                "Hamlet",
                List.of(),
                "character",
                "extreme,strong, indecisive",
                "style",
                "indecisive,sentimental",
                "personality",
                "enfj",
                "world",
                "Danish royalty"),
            "auto",
            "sourceFile");
    assertEquals(List.of("extreme", "strong", "indecisive"), p.character());
    assertEquals(List.of("indecisive", "sentimental"), p.style());
    assertEquals("ENFJ", p.mbti());
    assertEquals("Danish royalty", p.world());
    assertEquals("en", p.language());
    assertTrue(p.complete());
  }

  @Test
  public void readsTheChineseRowsSeparatorsNamesListAndLanguage() {
    Profile p =
        Profiles.of(
            role(
                "d",
                "林黛玉",
                List.of("颦儿"),
                "character",
                "孤僻，骄傲，多愁善感",
                "style",
                "古风、直率",
                "personality",
                "INFP",
                "world",
                "明代大宅院",
                "names",
                "['黛玉', '林黛玉', '林姑娘']",
                "文件路径",
                "红楼梦.txt"),
            "auto",
            "文件路径");
    assertEquals(List.of("孤僻", "骄傲", "多愁善感"), p.character());
    assertEquals(List.of("古风", "直率"), p.style());
    assertEquals(List.of("林黛玉", "颦儿", "黛玉", "林姑娘"), p.names());
    assertEquals("zh", p.language());
    assertEquals("红楼梦.txt", p.sourceKey());
  }

  @Test
  public void theChineseRowsAliasFieldMapsThroughTheFieldMap() throws Exception {
    var mapper =
        new dev.rolesynth.pool.RoleMapper(
            dev.rolesynth.pool.RoleMapper.parseFieldMap("aliases=别称"), 20_000);
    Role r =
        mapper.map(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                    "{\"name\": \"林黛玉\", \"别称\": \"颦颦、颦儿、潇湘妃子\", \"style\": \"古风、直率\", \"character\": \"孤僻，骄傲\","
                        + " \"personality\": \"INFP\", \"world\": \"明代大宅院\"}"),
            new Origin("roles_info_zh.jsonl", 1));
    assertEquals(List.of("颦颦", "颦儿", "潇湘妃子"), r.aliases());
    Profile p = Profiles.of(r, "auto", "文件路径");
    assertTrue(p.complete());
    assertEquals(List.of("孤僻", "骄傲"), p.character());
  }

  @Test
  public void incompleteProfilesAreRecognised() {
    Profile p =
        Profiles.of(
            role("v", "Vale", List.of(), "character", "kind", "personality", "not a type"),
            "en",
            "sourceFile");
    assertNull(p.mbti());
    assertEquals(false, p.complete());
  }

  @Test
  public void mbtiLettersAreCheckedAgainstTheirPairs() {
    assertNull(Profiles.mbtiProblem("intj"));
    assertEquals("letter 2 of \"IXTJ\" must be S or N", Profiles.mbtiProblem("IXTJ"));
    assertEquals("letter 4 of \"ENFX\" must be J or P", Profiles.mbtiProblem("ENFX"));
    assertTrue(Profiles.mbtiProblem("ENF").contains("four letters"));
    assertEquals(
        "Introverted (I), Intuitive (N), Feeling (F), Perceiving (P)", Profiles.mbtiWords("INFP"));
  }
}
