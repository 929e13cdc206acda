package dev.jconv.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where PyTorch is, for the commands that compare with it ({@code bench}, {@code train}): the Python
 * that has torch and the script that plays PyTorch's side (a picocli mixin).
 */
final class TorchOptions {
  @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
      description = "The Python that has torch (default: ${DEFAULT-VALUE}, Debian's python3-torch).")
  Path python;

  @Option(names = "--torch-script", paramLabel = "PATH",
      description = "PyTorch's side (default: the command's script in tools/bench of the jconv checkout this runs from).")
  Path torchScript;

  /** {@code --torch-script}, or else {@code tools/bench/NAME} (see {@link #find}). */
  Path script(String name) {
    return torchScript != null ? torchScript : find(name);
  }

  /**
   * {@code tools/bench/NAME} in the checkout the CLI runs from (its jar or classes are under it), or
   * in the working directory; null if neither has it.
   */
  static Path find(String name) {
    Path rel = Path.of("tools", "bench", name);
    try {
      Path here = Path.of(TorchOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = here; p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve(rel))) {
          return p.resolve(rel);
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException ignored) {
      // fall back to the working directory
    }
    Path cwd = Path.of("").toAbsolutePath().resolve(rel);
    return Files.isRegularFile(cwd) ? cwd : null;
  }
}
