package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Vector API pooling classes of each width are one source with the width changed (C2 needs a
 * constant species per class): the 128- and 256-bit files must be the 512-bit file with "512"
 * replaced, as {@code tools/gen_panama_pool.sh} writes them. A fix made in one copy only fails
 * here.
 */
class PanamaPoolCopiesTest {

  private static final Path DIR = Path.of("src/main/java/dev/jconv/internal/vector");

  @Test
  void narrowerWidths_areThe512BitSourceWithTheWidthChanged() throws IOException {
    String wide = Files.readString(DIR.resolve("PanamaPool512.java"));
    assertTrue(wide.contains("FloatVector.SPECIES_512"), "the 512-bit source names its species");
    for (int bits : new int[] {128, 256}) {
      String copy = Files.readString(DIR.resolve("PanamaPool" + bits + ".java"));
      assertEquals(wide.replace("512", Integer.toString(bits)), copy,
          "PanamaPool" + bits + ".java differs from PanamaPool512.java: run tools/gen_panama_pool.sh");
    }
  }
}
