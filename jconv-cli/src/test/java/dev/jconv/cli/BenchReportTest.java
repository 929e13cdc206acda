package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.internal.bench.BenchCase;
import dev.jconv.internal.bench.BenchSuite;
import dev.jconv.internal.bench.CheckResult;
import dev.jconv.internal.bench.ConvBackwardCase;
import dev.jconv.internal.bench.ConvCase;
import dev.jconv.internal.bench.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table and JSON of {@code jconv bench}, on made-up figures worked out by hand. */
class BenchReportTest {
  private static final BenchReport.Peaks PEAKS = new BenchReport.Peaks(List.of(265.0, 518.0), 40);
  private static final CheckResult OK = new CheckResult(true, 100, 1000, 1e-7, "");

  private static BenchCase bench(String name) {
    return BenchSuite.byName(name).orElseThrow();
  }

  private static BenchReport.Timing ms(double... samples) {
    return BenchReport.Timing.of(samples);
  }

  @Test
  void peaks_perThreadCount_scaleTheLastPastTheList() {
    assertEquals(265.0, PEAKS.gflops(1));
    assertEquals(518.0, PEAKS.gflops(2));
    assertEquals(777.0, PEAKS.gflops(3));
    assertEquals(518.0, PEAKS.of(bench("res3x3_28"), 2));
    assertEquals(40.0, PEAKS.of(bench("gap"), 2), "bandwidth does not grow with threads");
  }

  @Test
  void sampler_reps_fillTheSampleWithAtLeastOneCall() {
    assertEquals(500, Sampler.reps(0.2, 100));    // 500 calls of 0.2 ms = 100 ms
    assertEquals(1, Sampler.reps(250, 100));      // a call longer than the sample: one call
    assertEquals(333, Sampler.reps(0.3, 100));    // floor: 333 calls, 99.9 ms
    assertEquals(1_000_000, Sampler.reps(0, 100), "a call below the timer's resolution counts as 0.1 us");
  }

  @Test
  void timing_isTheMedianOfTheSamples() {
    assertEquals(2.0, ms(3, 1, 2).medianMs());
    assertEquals(3.0, ms(4, 1, 3, 2).medianMs(), "even counts take the upper middle, as the script does");
  }

  @Test
  void textRow_convolution_withPyTorch() {
    // res3x3_28: 2*8*128*28*28*128*9 = 1,849,688,064 flops; 4 ms -> 462.4 GFLOP/s, 5 ms -> 369.9; 2 threads' peak 518.
    BenchReport.Row row = new BenchReport.Row(bench("res3x3_28"), 2, OK, ms(4, 4.5, 3.9), ms(5, 5, 6), null, "winograd");
    assertEquals("res3x3_28   N8 C128 28x28 -> 128 k3 p1         4.000     5.000    462.4    369.9 GFLOP/s   1.25"
        + "    89%    71%  ok, winograd", BenchReport.textRow(row, PEAKS));
  }

  @Test
  void textRow_pooling_withoutPyTorch() {
    // gap: 3,276,800 bytes in 0.25 ms = 13.11 GB/s, 33% of 40.
    BenchReport.Row row = new BenchReport.Row(bench("gap"), 1, OK, ms(0.25), null, null, "");
    assertEquals("gap         N8 C2048 7x7 -> 1x1 avg           0.2500         -    13.11        - GB/s         -"
        + "    33%      -  ok", BenchReport.textRow(row, PEAKS));
  }

  @Test
  void textRow_wrongResult_showsTheMismatchInsteadOfFigures() {
    CheckResult bad = new CheckResult(false, 1, 1000, 3.0, "output[0, 1, 2, 3] = 5.0, the reference gives 4.0");
    BenchReport.Row row = new BenchReport.Row(bench("seed"), 1, bad, null, null, null, "im2col_gemm");
    assertEquals("seed        N4 C3 12x12 -> 64 k3           WRONG, not timed: output[0, 1, 2, 3] = 5.0,"
        + " the reference gives 4.0", BenchReport.textRow(row, PEAKS));
  }

  @Test
  void header_columnsLineUpWithTheRows() {
    BenchReport.Row row = new BenchReport.Row(bench("res3x3_28"), 2, OK, ms(4), ms(5), null, "winograd");
    String text = BenchReport.textRow(row, PEAKS);
    assertEquals(text.indexOf("GFLOP/s"), BenchReport.COLUMNS.indexOf("unit"));
    assertEquals(text.indexOf("1.25") + 4, BenchReport.COLUMNS.indexOf("ratio") + 5);
    assertEquals(BenchReport.COLUMNS.indexOf(" jconv  torch  check") + 1, BenchReport.COLUMNS2.indexOf("%peak"));
  }

  @Test
  void belowOne_namesEveryCaseWherePyTorchWasFaster() {
    List<BenchReport.Row> rows = List.of(
        new BenchReport.Row(bench("lenet1"), 2, OK, ms(2), ms(1.7), null, ""),
        new BenchReport.Row(bench("lenet2"), 2, OK, ms(1), ms(1.5), null, ""),
        new BenchReport.Row(bench("gap"), 2, OK, ms(1), ms(0.5), null, ""),
        new BenchReport.Row(bench("seed"), 2, OK, ms(1), null, "PyTorch failed", ""));
    assertEquals("below 1.0 (PyTorch faster): lenet1 0.85, gap 0.50", BenchReport.belowOne(rows));
    assertEquals("ratio >= 1.0 on every compared case", BenchReport.belowOne(rows.subList(1, 2)));
    assertEquals("", BenchReport.belowOne(rows.subList(3, 4)));
  }

  @Test
  void jsonRow_hasEveryFigure() {
    BenchReport.Row row = new BenchReport.Row(bench("gap"), 2, OK, ms(0.25, 0.5, 0.25), ms(0.5), null, "");
    assertEquals("{\"case\": \"gap\", \"kind\": \"pool\", \"pass\": \"forward\", \"threads\": 2, \"shape\": \"N8 C2048 7x7 -> 1x1 avg\","
        + " \"work\": 3276800, \"unit\": \"GB/s\", \"peak\": 40, \"algorithm\": null,"
        + " \"check\": {\"ok\": true, \"checked\": 100, \"of\": 1000, \"max_rel_error\": 1.0E-7},"
        + " \"jconv\": {\"median_ms\": 0.25, \"throughput\": 13.1072, \"peak_share\": 0.32768,"
        + " \"samples_ms\": [0.25, 0.5, 0.25]},"
        + " \"torch\": {\"median_ms\": 0.5, \"throughput\": 6.5536, \"peak_share\": 0.16384, \"samples_ms\": [0.5]},"
        + " \"ratio\": 2}", BenchReport.jsonRow(row, PEAKS));
  }

  private static ConvBackwardCase backward(String name) {
    return new ConvBackwardCase((ConvCase) bench(name));
  }

  @Test
  void textRow_backward_countsTwiceTheForwardsFlops() {
    // res3x3_28 backward: 2 * 1,849,688,064 flops; 8 ms -> 462.4 GFLOP/s, 10 ms -> 369.9; 2 threads' peak 518.
    BenchReport.Row row = new BenchReport.Row(backward("res3x3_28"), 2, OK, ms(8), ms(10), null, "");
    assertEquals("res3x3_28   N8 C128 28x28 -> 128 k3 p1         8.000     10.00    462.4    369.9 GFLOP/s   1.25"
        + "    89%    71%  ok", BenchReport.textRow(row, PEAKS));
  }

  @Test
  void jsonRow_backward_saysSoAndHasTheDoubledWork() {
    // seed backward: 2 * 1,382,400 flops in 0.5 ms = 5.5296 GFLOP/s.
    BenchReport.Row row = new BenchReport.Row(backward("seed"), 1, OK, ms(0.5), null, "PyTorch failed", "");
    assertEquals("{\"case\": \"seed\", \"kind\": \"conv\", \"pass\": \"backward\", \"threads\": 1,"
        + " \"shape\": \"N4 C3 12x12 -> 64 k3\", \"work\": 2764800, \"unit\": \"GFLOP/s\", \"peak\": 265,"
        + " \"algorithm\": null, \"check\": {\"ok\": true, \"checked\": 100, \"of\": 1000, \"max_rel_error\": 1.0E-7},"
        + " \"jconv\": {\"median_ms\": 0.5, \"throughput\": 5.5296, \"peak_share\": 0.0208664, \"samples_ms\": [0.5]},"
        + " \"torch\": null, \"ratio\": null, \"torch_note\": \"PyTorch failed\"}", BenchReport.jsonRow(row, PEAKS));
  }

  @Test
  void section_backward_namesThePassAndOnlyTheFlopPeak() {
    assertEquals("threads 2, convolution backward (peak: 518 GFLOP/s)",
        BenchReport.section(2, PEAKS, Workload.Pass.BACKWARD));
    assertEquals("threads 2 (peak: 518 GFLOP/s for convolutions, 40 GB/s for pooling)",
        BenchReport.section(2, PEAKS, Workload.Pass.FORWARD));
  }

  @Test
  void formats_msAndRates() {
    assertEquals("0.0264", BenchReport.ms(0.02641));
    assertEquals("1.236", BenchReport.ms(1.2361));
    assertEquals("12.35", BenchReport.ms(12.345));
    assertEquals("146.5", BenchReport.ms(146.46));
    assertEquals("null", BenchReport.json(Double.NaN));
    assertEquals("0.333333", BenchReport.json(1.0 / 3));
    assertEquals("7", BenchReport.json(7.0));
  }
}
