package dev.jconv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden text of {@code tools/golden/gen_demo.py}: what PyTorch prints for each demo cell and
 * seed. It lives with the other golden files in jconv-core; Maven runs this module's tests with
 * jconv-cli as the working directory.
 */
final class DemoGolden {
  private static final Path IN_CORE = Path.of("jconv-core", "src", "test", "resources", "golden", "demo",
      "manifest.json");
  // Maven runs from jconv-cli/; an IDE may run from the repository root.
  private static final Path MANIFEST = Files.exists(Path.of("..").resolve(IN_CORE)) ? Path.of("..").resolve(IN_CORE)
      : IN_CORE;

  /** One cell's expected output for one seed. */
  record GoldenCell(long seed, String name, String title, String code, String output) {
    @Override
    public String toString() {
      return name + " (seed " + seed + ")";
    }
  }

  private DemoGolden() {}

  static JsonNode manifest() {
    try {
      return new ObjectMapper().readTree(Files.readString(MANIFEST));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + MANIFEST.toAbsolutePath()
          + " (run /usr/bin/python3 tools/golden/gen_demo.py)", e);
    }
  }

  /** Every (seed, cell) pair, in the generator's order. */
  static List<GoldenCell> cells() {
    List<GoldenCell> out = new ArrayList<>();
    for (JsonNode c : manifest().get("cases")) {
      long seed = c.get("seed").asLong();
      for (JsonNode cell : c.get("cells")) {
        out.add(new GoldenCell(seed, cell.get("name").asText(), cell.get("title").asText(),
            cell.get("code").asText(), cell.get("output").asText()));
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError("the demo golden file has no cells");
    }
    return out;
  }

  /** The cells of one seed. */
  static List<GoldenCell> cells(long seed) {
    List<GoldenCell> out = cells().stream().filter(c -> c.seed() == seed).toList();
    if (out.isEmpty()) {
      throw new AssertionError("the demo golden file has no seed " + seed);
    }
    return out;
  }
}
