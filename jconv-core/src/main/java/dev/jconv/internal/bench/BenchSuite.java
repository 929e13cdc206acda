package dev.jconv.internal.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark cases of the design notes, with their fixed names, in the notes' order. PyTorch's
 * side ({@code tools/bench/torch_bench.py}) has the same table; a test holds the two together.
 */
public final class BenchSuite {
  private BenchSuite() {}

  /** name, N, Cin, H, W, Cout, k, stride, padding, dilation, groups. */
  public static final List<ConvCase> CONV = List.of(
      new ConvCase("seed", 4, 3, 12, 12, 64, 3, 1, 0, 1, 1),
      new ConvCase("lenet1", 256, 1, 28, 28, 6, 5, 1, 2, 1, 1),
      new ConvCase("lenet2", 256, 6, 14, 14, 16, 5, 1, 0, 1, 1),
      new ConvCase("res3x3_56", 8, 64, 56, 56, 64, 3, 1, 1, 1, 1),
      new ConvCase("res3x3_28", 8, 128, 28, 28, 128, 3, 1, 1, 1, 1),
      new ConvCase("res3x3_14", 8, 256, 14, 14, 256, 3, 1, 1, 1, 1),
      new ConvCase("res1x1_56", 8, 64, 56, 56, 256, 1, 1, 0, 1, 1),
      new ConvCase("res_stem", 8, 3, 224, 224, 64, 7, 2, 3, 1, 1),
      new ConvCase("res3x3_s2", 8, 128, 56, 56, 128, 3, 2, 1, 1, 1),
      new ConvCase("dw3x3_112", 8, 32, 112, 112, 32, 3, 1, 1, 1, 32),
      new ConvCase("dilated", 8, 64, 56, 56, 64, 3, 1, 2, 2, 1));

  /** The backward of every convolution case, in the same order (the poolings have no backward case). */
  public static final List<ConvBackwardCase> CONV_BACKWARD = CONV.stream().map(ConvBackwardCase::new).toList();

  /** name, N, C, H, W, op, kernel, stride, padding. */
  public static final List<PoolCase> POOL = List.of(
      new PoolCase("maxpool_3s2", 8, 64, 112, 112, PoolCase.Op.MAX, 3, 2, 1),
      new PoolCase("maxpool_2", 256, 6, 28, 28, PoolCase.Op.MAX, 2, 2, 0),
      new PoolCase("avgpool_2", 256, 6, 28, 28, PoolCase.Op.AVG, 2, 2, 0),
      PoolCase.gap("gap", 8, 2048, 7, 7));

  /** Every case: the convolutions, then the poolings. */
  public static final List<BenchCase> ALL = all();

  private static List<BenchCase> all() {
    List<BenchCase> all = new ArrayList<>(CONV);
    all.addAll(POOL);
    return List.copyOf(all);
  }

  /** The case called {@code name}, if there is one. */
  public static Optional<BenchCase> byName(String name) {
    return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The cases' names, in order. */
  public static List<String> names() {
    return ALL.stream().map(BenchCase::name).toList();
  }

  /** The cases by name, in order. */
  public static Map<String, BenchCase> byNames() {
    Map<String, BenchCase> m = new LinkedHashMap<>();
    ALL.forEach(c -> m.put(c.name(), c));
    return m;
  }
}
