package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The GGUF header reader on files written here, byte by byte, so it runs without any model. */
public class GgufMetadataTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer u32(long v) {
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
      return this;
    }

    Writer u64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
      return this;
    }

    Writer str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      out.writeBytes(b);
      return this;
    }
  }

  @Test
  public void readsScalarsStringsAndSkipsArrays() throws Exception {
    Writer w = new Writer().u32(0x46554747).u32(3).u64(0).u64(4);
    w.str("general.name").u32(8).str("tiny");
    w.str("llama.context_length").u32(4).u32(512);
    w.str("tokenizer.ggml.tokens").u32(9).u32(8).u64(2).str("<s>").str("</s>");
    w.str("tokenizer.chat_template")
        .u32(8)
        .str("{% for m in messages %}{{ m.content }}{% endfor %}");
    Path f = tmp.newFile("tiny.gguf").toPath();
    Files.write(f, w.out.toByteArray());
    Map<String, Object> m = GgufMetadata.read(f);
    assertEquals("tiny", m.get("general.name"));
    assertEquals(512L, m.get("llama.context_length"));
    assertEquals(2L, m.get("tokenizer.ggml.tokens"));
    assertTrue(m.containsKey("tokenizer.chat_template"));
  }

  @Test
  public void aFileThatIsNotAModelSaysSo() throws Exception {
    Path f = tmp.newFile("notes.gguf").toPath();
    Files.writeString(f, "just some text, not a model");
    try {
      GgufMetadata.read(f);
      throw new AssertionError("read a text file as GGUF");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("not a GGUF file"));
    }
    Path cut = tmp.newFile("cut.gguf").toPath();
    Files.write(cut, new Writer().u32(0x46554747).u32(3).u64(0).u64(5).out.toByteArray());
    try {
      GgufMetadata.read(cut);
      throw new AssertionError("read a truncated header");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("ends inside its GGUF header"));
    }
  }

  @Test
  public void chatMlIsTheDocumentedFallback() {
    assertEquals(
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        LlamaCppBackend.chatMl(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"))));
  }
}
