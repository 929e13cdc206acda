package dev.jconv.internal.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The case table is the design's, and PyTorch's script measures the same cases. */
class BenchSuiteTest {

  @Test
  void names_areTheDesignsInItsOrder() {
    assertEquals(List.of("seed", "lenet1", "lenet2", "res3x3_56", "res3x3_28", "res3x3_14", "res1x1_56",
        "res_stem", "res3x3_s2", "dw3x3_112", "dilated", "maxpool_3s2", "maxpool_2", "avgpool_2", "gap"),
        BenchSuite.names());
    assertEquals(11, BenchSuite.CONV.size());
    assertEquals(4, BenchSuite.POOL.size());
  }

  /** The design notes' "Benchmark cases", transcribed by hand: N Cin H W Cout k stride pad dilation groups. */
  @Test
  void convShapes_matchTheDesignNotes() {
    Map<String, int[]> design = new LinkedHashMap<>();
    design.put("seed", new int[] {4, 3, 12, 12, 64, 3, 1, 0, 1, 1});
    design.put("lenet1", new int[] {256, 1, 28, 28, 6, 5, 1, 2, 1, 1});
    design.put("lenet2", new int[] {256, 6, 14, 14, 16, 5, 1, 0, 1, 1});
    design.put("res3x3_56", new int[] {8, 64, 56, 56, 64, 3, 1, 1, 1, 1});
    design.put("res3x3_28", new int[] {8, 128, 28, 28, 128, 3, 1, 1, 1, 1});
    design.put("res3x3_14", new int[] {8, 256, 14, 14, 256, 3, 1, 1, 1, 1});
    design.put("res1x1_56", new int[] {8, 64, 56, 56, 256, 1, 1, 0, 1, 1});
    design.put("res_stem", new int[] {8, 3, 224, 224, 64, 7, 2, 3, 1, 1});
    design.put("res3x3_s2", new int[] {8, 128, 56, 56, 128, 3, 2, 1, 1, 1});
    design.put("dw3x3_112", new int[] {8, 32, 112, 112, 32, 3, 1, 1, 1, 32});
    design.put("dilated", new int[] {8, 64, 56, 56, 64, 3, 1, 2, 2, 1});
    for (ConvCase c : BenchSuite.CONV) {
      assertArrayEquals(design.get(c.name()), new int[] {c.n(), c.cin(), c.h(), c.w(), c.cout(), c.k(),
          c.stride(), c.pad(), c.dilation(), c.groups()}, c.name());
    }
    assertEquals(design.keySet(), Map.copyOf(byName(BenchSuite.CONV)).keySet());
  }

  @Test
  void poolShapes_matchTheDesignNotes() {
    PoolCase max3 = (PoolCase) BenchSuite.byName("maxpool_3s2").orElseThrow();
    assertEquals(new PoolCase("maxpool_3s2", 8, 64, 112, 112, PoolCase.Op.MAX, 3, 2, 1), max3);
    assertEquals(56, max3.outH());
    PoolCase max2 = (PoolCase) BenchSuite.byName("maxpool_2").orElseThrow();
    assertEquals(new PoolCase("maxpool_2", 256, 6, 28, 28, PoolCase.Op.MAX, 2, 2, 0), max2);
    assertEquals(14, max2.outW());
    PoolCase avg2 = (PoolCase) BenchSuite.byName("avgpool_2").orElseThrow();
    assertEquals(new PoolCase("avgpool_2", 256, 6, 28, 28, PoolCase.Op.AVG, 2, 2, 0), avg2);
    PoolCase gap = (PoolCase) BenchSuite.byName("gap").orElseThrow();
    assertEquals(PoolCase.Op.GAP, gap.op());
    assertArrayEquals(new int[] {8, 2048, 7, 7, 1, 1}, new int[] {gap.n(), gap.c(), gap.h(), gap.w(), gap.outH(), gap.outW()});
  }

  @Test
  void convOutputSizes_followTheConvFormula() {
    // floor((in + 2p - d(k-1) - 1)/s) + 1, worked by hand.
    assertEquals(10, conv("seed").outH());          // (12 - 2 - 1)/1 + 1
    assertEquals(28, conv("lenet1").outH());        // (28 + 4 - 4 - 1) + 1
    assertEquals(10, conv("lenet2").outW());        // (14 - 4 - 1) + 1
    assertEquals(112, conv("res_stem").outH());     // (224 + 6 - 6 - 1)/2 + 1 = 111.5 -> 111 + 1
    assertEquals(28, conv("res3x3_s2").outW());     // (56 + 2 - 2 - 1)/2 + 1 = 27 + 1
    assertEquals(56, conv("dilated").outH());       // (56 + 4 - 4 - 1) + 1
  }

  @Test
  void flops_areTwiceTheDirectConvolutionsMultiplyAdds() {
    assertEquals(1_382_400.0, conv("seed").flops());                // 2*4*64*10*10*3*3*3
    assertEquals(2.0 * 256 * 6 * 28 * 28 * 1 * 25, conv("lenet1").flops());
    assertEquals(1_888_223_232.0, conv("res_stem").flops());        // 2*8*64*112*112*3*7*7
    assertEquals(57_802_752.0, conv("dw3x3_112").flops());          // groups 32: Cin/groups = 1
    assertEquals(2.0 * 8 * 256 * 56 * 56 * 64, conv("res1x1_56").flops());
    assertEquals(BenchCase.Unit.GFLOPS, conv("seed").unit());
    assertEquals(conv("res3x3_28").flops(), conv("res3x3_28").work());
  }

  @Test
  void bytes_areFloat32InputPlusOutput() {
    assertEquals(3_276_800.0, pool("gap").bytes());                 // 4 * (8*2048*49 + 8*2048)
    assertEquals(32_112_640.0, pool("maxpool_3s2").bytes());        // 4 * (8*64*112*112 + 8*64*56*56)
    assertEquals(4.0 * (256 * 6 * 784 + 256 * 6 * 196), pool("avgpool_2").bytes());
    assertEquals(BenchCase.Unit.GBPS, pool("gap").unit());
    assertEquals(2.5, BenchCase.Unit.GBPS.throughput(5e6, 2e-3));   // 5 MB in 2 ms
    assertEquals(451.0, BenchCase.Unit.GFLOPS.throughput(451e9, 1.0));
  }

  @Test
  void describe_readsLikeTheDesignNotes() {
    assertEquals("N8 C3 224x224 -> 64 k7 s2 p3", conv("res_stem").describe());
    assertEquals("N8 C32 112x112 -> 32 k3 p1 g32", conv("dw3x3_112").describe());
    assertEquals("N8 C64 56x56 -> 64 k3 p2 d2", conv("dilated").describe());
    assertEquals("N8 C64 112x112 max k3 s2 p1", pool("maxpool_3s2").describe());
    assertEquals("N256 C6 28x28 avg k2", pool("avgpool_2").describe());
    assertEquals("N8 C2048 7x7 -> 1x1 avg", pool("gap").describe());
  }

  /** tools/bench/torch_bench.py keeps its own table (it is Python); it must be this one. */
  @Test
  void torchBenchScript_hasTheSameCases() throws IOException {
    String script = Files.readString(Path.of("..", "tools", "bench", "torch_bench.py"));
    Matcher m = Pattern.compile("\"(\\w+)\":\\s*\\(([^)]*)\\)").matcher(script);
    Map<String, String> tuples = new LinkedHashMap<>();
    while (m.find()) {
      tuples.put(m.group(1), m.group(2).replaceAll("\\s+", ""));
    }
    List<String> expected = new ArrayList<>();
    for (ConvCase c : BenchSuite.CONV) {
      String t = c.n() + "," + c.cin() + "," + c.h() + "," + c.w() + "," + c.cout() + "," + c.k() + ","
          + c.stride() + "," + c.pad() + "," + c.dilation() + "," + c.groups();
      assertEquals(t, tuples.get(c.name()), c.name());
      expected.add(c.name());
    }
    for (PoolCase c : BenchSuite.POOL) {
      String head = c.n() + "," + c.c() + "," + c.h() + "," + c.w() + ",";
      String t = switch (c.op()) {
        case GAP -> head + "\"gap\",None,None,None";
        case MAX, AVG -> head + "\"" + c.op().name().toLowerCase() + "\"," + c.kernel() + "," + c.stride() + "," + c.pad();
      };
      assertEquals(t, tuples.get(c.name()), c.name());
      expected.add(c.name());
    }
    assertEquals(expected, List.copyOf(tuples.keySet()));
  }

  private static Map<String, ConvCase> byName(List<ConvCase> cases) {
    Map<String, ConvCase> m = new LinkedHashMap<>();
    cases.forEach(c -> m.put(c.name(), c));
    return m;
  }

  static ConvCase conv(String name) {
    return (ConvCase) BenchSuite.byName(name).orElseThrow();
  }

  static PoolCase pool(String name) {
    return (PoolCase) BenchSuite.byName(name).orElseThrow();
  }
}
