package dev.jconv.cli;

import dev.jconv.internal.vector.KernelInfo;
import dev.jconv.internal.vector.KernelProviders;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jconv info}: what jconv runs with on this machine. */
@Command(
    name = "info",
    description = "Prints the jconv version, the JDK, the kernel provider in use (plain Java or the Vector API),"
        + " its vector width, whether the JVM uses hardware FMA, and the number of threads.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  ./jconv info",
        "  JCONV_JAVA_OPTS=-Djconv.vector.bits=256 ./jconv info",
        "      the 256-bit (AVX2-width) kernels, e.g. on an AVX-512 machine",
        "  JCONV_JAVA_OPTS=-Djconv.provider=plain ./jconv info",
        "      the plain-Java kernels"})
final class InfoCommand implements Callable<Integer> {
  private final PrintStream out;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  InfoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    for (Map.Entry<String, String> row : fields(KernelInfo.current()).entrySet()) {
      out.printf("%-12s %s%n", row.getKey(), row.getValue());
    }
    out.flush();
    return Main.EXIT_OK;
  }

  /** The printed fields, in order (one line each). */
  static Map<String, String> fields(KernelInfo k) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("jconv", Main.version());
    f.put("java", Runtime.version() + " (" + System.getProperty("java.vendor") + ") at "
        + System.getProperty("java.home"));
    f.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors");
    boolean vectorApi = !k.provider().equals("plain");
    String provider = k.provider() + (vectorApi ? " (Vector API)" : " (plain Java)");
    if (!vectorApi && !KernelProviders.vectorModulePresent()) {
      provider += "; the Vector API is off: run java with --add-modules jdk.incubator.vector (./jconv does)";
    }
    f.put("provider", provider);
    f.put("vector bits", k.vectorBits() + (k.preferredBits() == 0
        ? " (the CPU's preferred width is unknown without the Vector API)"
        : " (the CPU's preferred width: " + k.preferredBits() + ")"));
    f.put("fma", k.fma() == null ? "unknown (the JVM does not say)" : k.fma() ? "yes" : "no");
    f.put("threads", Integer.toString(k.threads()));
    return f;
  }
}
