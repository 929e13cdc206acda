package dev.jconv.cli;

import dev.jconv.internal.bench.BenchCase;
import dev.jconv.internal.bench.CheckResult;
import dev.jconv.internal.bench.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The figures of {@code ./jconv bench} and how they are printed: a text table (one section per
 * thread count) or JSON lines. Pure formatting; nothing here measures.
 */
final class BenchReport {
  private BenchReport() {}

  /**
   * The machine's peak: float32 GFLOP/s with 1, 2, ... threads (the clock drops as more cores are
   * busy, so two cores give less than twice one), and memory bandwidth in GB/s.
   */
  record Peaks(List<Double> gflops, double gbs) {
    Peaks {
      gflops = List.copyOf(gflops);
      if (gflops.isEmpty()) {
        throw new IllegalArgumentException("no GFLOP/s peak given");
      }
    }

    /** GFLOP/s with {@code threads} threads: the listed figure, or the last one's per-thread rate times threads. */
    double gflops(int threads) {
      if (threads <= gflops.size()) {
        return gflops.get(threads - 1);
      }
      return gflops.get(gflops.size() - 1) / gflops.size() * threads;
    }

    /** The peak a case can reach with {@code threads} threads: flops scale with cores, bandwidth does not. */
    double of(Workload c, int threads) {
      return c.unit() == BenchCase.Unit.GFLOPS ? gflops(threads) : gbs;
    }
  }

  /** One framework's timing of one case: the median and every sample, in milliseconds per call. */
  record Timing(double medianMs, double[] samplesMs) {
    static Timing of(double[] samplesMs) {
      return new Timing(Sampler.median(samplesMs), samplesMs.clone());
    }

    double throughput(Workload c) {
      return c.unit().throughput(c.work(), medianMs / 1e3);
    }
  }

  /**
   * One case at one thread count.
   *
   * @param jconv null when the check failed (a wrong kernel is not timed)
   * @param torch null when PyTorch was not compared or failed on this case
   * @param torchNote why PyTorch's figure is missing, or null
   * @param algorithm the convolution algorithm jconv chose (lower case), or empty
   */
  record Row(Workload bench, int threads, CheckResult check, Timing jconv, Timing torch, String torchNote,
      String algorithm) {
    boolean wrong() {
      return !check.ok();
    }

    /** jconv's throughput over PyTorch's (> 1: jconv is faster), or NaN when either is missing. */
    double ratio() {
      return jconv == null || torch == null ? Double.NaN : torch.medianMs() / jconv.medianMs();
    }
  }

  static final String COLUMNS = String.format(Locale.ROOT, "%-11s %-30s %9s %9s %8s %8s %-7s %6s %6s %6s  %s",
      "case", "shape", "jconv ms", "torch ms", "jconv", "torch", "unit", "ratio", "jconv", "torch", "check, algorithm");
  static final String COLUMNS2 = String.format(Locale.ROOT, "%-11s %-30s %9s %9s %8s %8s %-7s %6s %6s %6s",
      "", "", "", "", "", "", "", "", "%peak", "%peak");

  /** The header lines of the text report, each starting with "# ". */
  static List<String> header(Map<String, String> fields) {
    List<String> lines = new ArrayList<>();
    fields.forEach((k, v) -> lines.add(String.format(Locale.ROOT, "# %-10s %s", k, v)));
    return lines;
  }

  /** The title of a thread count's section, with the peaks that its shares are taken of. */
  static String section(int threads, Peaks peaks) {
    return section(threads, peaks, Workload.Pass.FORWARD);
  }

  /** The section title for {@code pass}: the backward's names it, and has no pooling. */
  static String section(int threads, Peaks peaks, Workload.Pass pass) {
    if (pass == Workload.Pass.BACKWARD) {
      return String.format(Locale.ROOT, "threads %d, convolution backward (peak: %s GFLOP/s)",
          threads, number(peaks.gflops(threads)));
    }
    return String.format(Locale.ROOT, "threads %d (peak: %s GFLOP/s for convolutions, %s GB/s for pooling)",
        threads, number(peaks.gflops(threads)), number(peaks.gbs()));
  }

  /** One row of the text table. */
  static String textRow(Row r, Peaks peaks) {
    Workload c = r.bench();
    String start = String.format(Locale.ROOT, "%-11s %-30s ", c.name(), c.describe());
    if (r.wrong()) {
      return start + "WRONG, not timed: " + r.check().summary();
    }
    double peak = peaks.of(c, r.threads());
    double j = r.jconv().throughput(c);
    String torchMs = r.torch() == null ? "-" : ms(r.torch().medianMs());
    String torchRate = r.torch() == null ? "-" : rate(c, r.torch().throughput(c));
    String ratio = r.torch() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.ratio());
    String torchPeak = r.torch() == null ? "-" : percent(r.torch().throughput(c) / peak);
    return start + String.format(Locale.ROOT, "%9s %9s %8s %8s %-7s %6s %6s %6s  %s",
        ms(r.jconv().medianMs()), torchMs, rate(c, j), torchRate, c.unit().label(), ratio,
        percent(j / peak), torchPeak, r.algorithm().isEmpty() ? "ok" : "ok, " + r.algorithm());
  }

  /**
   * The cases where PyTorch was faster, e.g. {@code below 1.0 (PyTorch faster): lenet1 0.85, gap 0.52};
   * or a line saying there are none; or empty when nothing was compared.
   */
  static String belowOne(List<Row> rows) {
    StringJoiner slower = new StringJoiner(", ");
    boolean compared = false;
    for (Row r : rows) {
      if (!Double.isNaN(r.ratio())) {
        compared = true;
        if (r.ratio() < 1.0) {
          slower.add(String.format(Locale.ROOT, "%s %.2f", r.bench().name(), r.ratio()));
        }
      }
    }
    if (!compared) {
      return "";
    }
    return slower.length() == 0 ? "ratio >= 1.0 on every compared case"
        : "below 1.0 (PyTorch faster): " + slower;
  }

  /** One JSON line for a row. */
  static String jsonRow(Row r, Peaks peaks) {
    Workload c = r.bench();
    double peak = peaks.of(c, r.threads());
    StringBuilder s = new StringBuilder("{");
    s.append("\"case\": ").append(JsonFields.quote(c.name()))
        .append(", \"kind\": ").append(JsonFields.quote(c.unit() == BenchCase.Unit.GFLOPS ? "conv" : "pool"))
        .append(", \"pass\": ").append(JsonFields.quote(c.pass().word()))
        .append(", \"threads\": ").append(r.threads())
        .append(", \"shape\": ").append(JsonFields.quote(c.describe()))
        .append(", \"work\": ").append(json(c.work()))
        .append(", \"unit\": ").append(JsonFields.quote(c.unit().label()))
        .append(", \"peak\": ").append(json(peak))
        .append(", \"algorithm\": ").append(r.algorithm().isEmpty() ? "null" : JsonFields.quote(r.algorithm()))
        .append(", \"check\": {\"ok\": ").append(r.check().ok())
        .append(", \"checked\": ").append(r.check().checked())
        .append(", \"of\": ").append(r.check().total())
        .append(", \"max_rel_error\": ").append(json(r.check().maxRelError()));
    if (!r.check().ok()) {
      s.append(", \"detail\": ").append(JsonFields.quote(r.check().detail()));
    }
    s.append("}, \"jconv\": ").append(timing(r.jconv(), c, peak))
        .append(", \"torch\": ").append(timing(r.torch(), c, peak))
        .append(", \"ratio\": ").append(json(r.ratio()));
    if (r.torchNote() != null) {
      s.append(", \"torch_note\": ").append(JsonFields.quote(r.torchNote()));
    }
    return s.append('}').toString();
  }

  private static String timing(Timing t, Workload c, double peak) {
    if (t == null) {
      return "null";
    }
    StringJoiner samples = new StringJoiner(", ", "[", "]");
    for (double v : t.samplesMs()) {
      samples.add(json(v));
    }
    return "{\"median_ms\": " + json(t.medianMs()) + ", \"throughput\": " + json(t.throughput(c))
        + ", \"peak_share\": " + json(t.throughput(c) / peak) + ", \"samples_ms\": " + samples + "}";
  }

  /** A JSON number, or null for NaN and infinities (JSON has neither). */
  static String json(double v) {
    if (!Double.isFinite(v)) {
      return "null";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    // Six significant digits are more than any timing here can claim.
    return Double.toString(Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)));
  }

  /** Milliseconds with 4 significant digits or so, never in scientific notation. */
  static String ms(double ms) {
    String f = ms >= 100 ? "%.1f" : ms >= 10 ? "%.2f" : ms >= 1 ? "%.3f" : "%.4f";
    return String.format(Locale.ROOT, f, ms);
  }

  /** GFLOP/s with one decimal, GB/s with two. */
  static String rate(Workload c, double v) {
    return String.format(Locale.ROOT, c.unit() == BenchCase.Unit.GFLOPS ? "%.1f" : "%.2f", v);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
