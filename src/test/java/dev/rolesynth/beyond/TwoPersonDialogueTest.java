package dev.rolesynth.beyond;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.beyond.Bd.Line;
import java.util.List;
import org.junit.Test;

public class TwoPersonDialogueTest {
  private static Line l(String speaker, String text) {
    return new Line(speaker, text, "");
  }

  @Test
  public void aliasesBecomeTheRoleNarrationAndThirdSpeakersGoAndTurnsAlternate() {
    List<Line> rows =
        List.of(
            l(
                "Holmes",
                "You are late."), // the role speaks first: dropped, no partner line before it
            l("Watson", "The cab was slow."),
            l("scene", "Rain strikes the window."),
            l("Watson", "And the driver was drunk."),
            l("Mrs. Hudson", "Tea, gentlemen?"),
            l("Mr. Holmes", "Then we walk."),
            l("Sherlock Holmes", "At once."),
            l("Watson", "In this weather?"));
    TwoPersonDialogue.Result r =
        TwoPersonDialogue.of(
            rows, "Sherlock Holmes", List.of("Sherlock Holmes", "Holmes", "Mr. Holmes"));
    assertNull(r.problem());
    assertEquals("Watson", r.partner());
    assertEquals(
        List.of(
            l("Watson", "The cab was slow. And the driver was drunk."),
            l("Sherlock Holmes", "Then we walk. At once.")),
        r.lines());
  }

  @Test
  public void saysWhyWhenThereIsNoExchange() {
    assertTrue(
        TwoPersonDialogue.of(
                List.of(l("Watson", "Hello?"), l("narrator", "Silence.")), "Holmes", List.of())
            .problem()
            .contains("does not speak"));
    assertTrue(
        TwoPersonDialogue.of(List.of(l("Holmes", "Hm."), l("Holmes", "Hm.")), "Holmes", List.of())
            .problem()
            .contains("nobody but"));
    assertTrue(
        TwoPersonDialogue.of(List.of(l("Holmes", "Hm."), l("Watson", "Well?")), "Holmes", List.of())
            .problem()
            .contains("no exchange"));
  }
}
