package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jconv.Torch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The book's "learning a kernel" cell prints what PyTorch prints (tools/golden/gen_learn_kernel.py). */
class LearnKernelTest {
  private static final Path IN_CORE = Path.of("jconv-core", "src", "test", "resources", "golden", "learn_kernel",
      "manifest.json");

  static List<JsonNode> cases() throws IOException {
    // Maven runs this module's tests from jconv-cli/; an IDE may run them from the repository root.
    Path m = Files.exists(Path.of("..").resolve(IN_CORE)) ? Path.of("..").resolve(IN_CORE) : IN_CORE;
    List<JsonNode> out = new ArrayList<>();
    new ObjectMapper().readTree(m.toFile()).get("cases").forEach(out::add);
    return out;
  }

  @Test
  void printsPyTorchsLossesAndKernel_forEverySeed() throws IOException {
    List<JsonNode> cases = cases();
    for (JsonNode c : cases) {
      Torch.manualSeed(c.get("seed").asLong());
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      LearnKernel.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertEquals(c.get("text").asText(), buf.toString(StandardCharsets.UTF_8), "seed " + c.get("seed"));
    }
    assertEquals(5, cases.size());
  }

  @Test
  void fixed3_roundsTheExactValueHalfToEven_asPython() {
    assertEquals("1.062", LearnKernel.fixed3(1.0625));
    assertEquals("0.043", LearnKernel.fixed3(0.0425000000001));
    assertEquals("8.330", LearnKernel.fixed3(8.32999992370605));
  }
}
