package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API classes of each width are one source with the width changed (C2 needs a constant
 * species per class): the 128- and 256-bit files must be the 512-bit file with "512" replaced, as
 * {@code tools/gen_panama_widths.sh} writes them. A fix made in one copy only fails here.
 */
class PanamaWidthCopiesTest {

  private static final Path DIR = Path.of("src/main/java/dev/jconv/internal/vector");

  @ParameterizedTest
  @ValueSource(strings = {"Panama", "PanamaPool"})
  void narrowerWidths_areThe512BitSourceWithTheWidthChanged(String family) throws IOException {
    String wide = Files.readString(DIR.resolve(family + "512.java"));
    assertTrue(wide.contains("SPECIES_512") || wide.contains("F512"), "the 512-bit source names its species");
    for (int bits : new int[] {128, 256}) {
      String copy = Files.readString(DIR.resolve(family + bits + ".java"));
      assertEquals(wide.replace("512", Integer.toString(bits)), copy,
          family + bits + ".java differs from " + family + "512.java: run tools/gen_panama_widths.sh");
    }
  }
}
