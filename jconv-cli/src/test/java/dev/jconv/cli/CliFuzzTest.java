package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random command lines: commands, options (right, misspelled, repeated, without their value) and
 * values (negative, zero, huge, not numbers, NaN, empty lists, paths that are files or do not exist),
 * run in-process. Each ends with exit 0, 1 with a line that names the problem, or 2 with a usage error
 * (a line naming the problem, the synopsis, where to read more), and never through the handler of
 * jconv's own bugs (an exception's stack trace). This is how a negative --lr (a stack trace) and a
 * --out that is not a directory (found after the whole training) were found. Runs that would work
 * long are kept small: tiny training data, one-sample benches of the smallest case, a PyTorch that
 * does not exist.
 */
class CliFuzzTest {
  private static final Path IN_CORE = Path.of("jconv-core", "src", "test", "resources", "golden", "data", "fmnist");
  private static final int RUNS = 600;

  @TempDir
  Path tmp;

  private final int threads = Torch.getNumThreads();

  @AfterEach
  void restoreThreads() {
    Torch.setNumThreads(threads); // --threads sets the global count
  }

  private static Path tinyData() {
    return Files.exists(Path.of("..").resolve(IN_CORE)) ? Path.of("..").resolve(IN_CORE) : IN_CORE;
  }

  private static String pick(SplittableRandom r, String... options) {
    return options[r.nextInt(options.length)];
  }

  private static String intValue(SplittableRandom r) {
    return pick(r, "1", "2", "3", "0", "-1", "-5", "2147483647", "2147483648", "99999999999999999999", "abc", "",
        "1.5", "1e3", " 2", "0x10", "+3");
  }

  private static String doubleValue(SplittableRandom r) {
    return pick(r, "0.1", "0.9", "0", "-0.1", "-1", "NaN", "nan", "Infinity", "-Infinity", "1e400", "1e-300", "abc", "",
        "0x1p3", "1,5");
  }

  /** One random command line; the paths are valid directories, files, or missing. */
  private String[] draw(SplittableRandom r, Path file, Path missing) {
    List<String> a = new ArrayList<>();
    String cmd = pick(r, "train", "train", "train", "train", "demo", "demo", "bench", "bench", "info", "help", "trian",
        "", "--help", "-h", "--version");
    if (!cmd.isEmpty()) {
      a.add(cmd);
    }
    String[] paths = {tmp.toString(), tmp.resolve("new/sub").toString(), file.toString(),
        file.resolve("sub").toString(), missing.toString(), ""};
    // Mostly one change to a working command line, so that each change is what decides the ending.
    int options = r.nextInt(10) < 7 ? 1 : 1 + r.nextInt(3);
    switch (cmd) {
      case "train" -> {
        String model = r.nextInt(12) > 0 ? pick(r, "lenet", "lenet-relu") : pick(r, "LeNet", "resnet", "", "--epochs");
        a.add(model);
        java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("--data", tinyData().toString());
        o.put("--epochs", "1");
        o.put("--batch-size", "4");
        o.put("--no-progress", null);
        o.put("--out", tmp.toString());
        o.put("--python", missing.toString());
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < options; i++) {
          switch (r.nextInt(12)) {
            case 0 -> o.put("--batch-size", intValue(r));
            case 1 -> o.put("--lr", doubleValue(r));
            case 2 -> o.put("--seed", intValue(r));
            case 3 -> o.put("--threads", pick(r, "1", "2", "0", "-1", "x", "100000000"));
            case 4 -> o.put("--limit", intValue(r));
            // Not "": the working directory would take the files.
            case 5 -> o.put("--out", pick(r, Arrays.copyOf(paths, paths.length - 1)));
            case 6 -> o.put("--compare", pick(r, "torch", "none", "auto", ""));
            case 7 -> o.put("--python", pick(r, missing.toString(), file.toString(), ""));
            case 8 -> extra.add(pick(r, "--epoch", "--lr", "--out", "--bogus", "-x", "extra", "--epochs"));
            case 9 -> o.put("--data", pick(r, paths));
            case 10 -> o.put("--limit", pick(r, "1", "5", "100"));
            default -> o.put("--epochs", intValue(r));
          }
        }
        options(a, o);
        a.addAll(extra);
      }
      case "demo" -> {
        java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("--cell", "padding-and-stride"); // the quickest cell
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < options; i++) {
          switch (r.nextInt(4)) {
            case 0 -> o.put("--seed", intValue(r));
            case 1 -> o.put("--cell", pick(r, "edge-detection", "learning-kernel", "pooling-layers",
                "padding-and-stride,multi-channels", "nope", "", ",", "edge-detection,,pooling-random"));
            case 2 -> o.put("--list", null);
            default -> extra.add(pick(r, "--sed", "--cell", "extra", "-h"));
          }
        }
        options(a, o);
        a.addAll(extra);
      }
      case "bench" -> {
        java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("--compare", "none");
        o.put("--cases", "seed");
        o.put("--threads", "1");
        o.put("--iterations", "1");
        o.put("--warmup", "0");
        o.put("--warmup-ms", "0");
        o.put("--sample-ms", "1");
        for (int i = 0; i < options; i++) {
          switch (r.nextInt(9)) {
            case 0 -> o.put("--iterations", pick(r, "1", "0", "-1", "x"));
            case 1 -> o.put("--warmup", pick(r, "0", "-1", "1"));
            case 2 -> o.put("--sample-ms", pick(r, "1", "0", "-1", "NaN", "Infinity", "1e-9"));
            case 3 -> o.put("--cases", pick(r, "seed", "nope", "", "seed,,seed", "maxpool_2", "gap"));
            case 4 -> o.put("--threads", pick(r, "1", "0", "", "1,,1", "-2", "x"));
            case 5 -> o.put(pick(r, "--backward", "--json", "--list"), null);
            case 6 -> o.put("--peak-gflops", pick(r, "100", "0", "-1", "NaN", ",", "1,2,3"));
            case 7 -> o.put("--compare", pick(r, "none", "nope", ""));
            default -> o.put("--settle-ms", pick(r, "0", "-1", "70000", "NaN"));
          }
        }
        options(a, o);
      }
      default -> {
        for (int i = 0; i < options / 2; i++) {
          a.add(pick(r, "--help", "extra", "--json", "-v", "demo", "train"));
        }
      }
    }
    return a.toArray(String[]::new);
  }

  private static void options(List<String> a, java.util.Map<String, String> o) {
    o.forEach((k, v) -> {
      a.add(k);
      if (v != null) {
        a.add(v);
      }
    });
  }

  @Test
  void randomCommandLines_endWellOrAreRefusedInOneLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
    Path missing = tmp.resolve("missing");
    SplittableRandom r = new SplittableRandom(20261126);
    int[] codes = new int[3];
    assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
      for (int i = 0; i < RUNS; i++) {
        String[] args = draw(r, file, missing);
        Run run = Run.of(args);
        String what = "run " + i + ": jconv " + String.join(" ", Arrays.stream(args).map(s -> s.isEmpty() ? "''" : s)
            .toList()) + "\n-- exit " + run.exitCode() + ", out:\n" + run.out() + "-- err:\n" + run.err();
        assertTrue(run.exitCode() >= 0 && run.exitCode() <= 2, what);
        // The handler of jconv's own bugs prints "<command>: error: <exception>" and its stack trace.
        assertFalse(run.err().contains(": error: ") || run.err().contains("\tat "), what);
        assertFalse(run.out().contains("Exception"), what);
        switch (run.exitCode()) {
          case 2 -> {
            String[] lines = run.errLines();
            assertTrue(lines[0].startsWith("jconv") && lines[0].contains(": "), what);
            assertTrue(lines[lines.length - 1].startsWith("Try 'jconv"), what);
          }
          case 1 -> assertTrue((run.out() + run.err()).lines().anyMatch(l -> l.matches("^(jconv [a-z]+|[a-z]+): .+")),
              what);
          default -> { }
        }
        codes[run.exitCode()]++;
      }
    });
    // The draws reach all three endings.
    assertTrue(codes[0] >= 20 && codes[1] >= 5 && codes[2] >= 20, Arrays.toString(codes));
    System.out.println("exit codes 0, 1, 2: " + Arrays.toString(codes));
    assertEquals(RUNS, codes[0] + codes[1] + codes[2]);
  }
}
