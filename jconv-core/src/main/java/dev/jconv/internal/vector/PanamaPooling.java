package dev.jconv.internal.vector;

import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.AvgPool2dKernel;
import dev.jconv.internal.kernels.MaxPool2dKernel;
import dev.jconv.internal.kernels.Pool2dParams;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.shape.PoolShapes;

/**
 * The Vector API pooling kernels: this class walks the planes (in parallel), the output rows and
 * the clipped border columns (with the plain per-window code); the subclass of each width
 * ({@link PanamaPool128}, {@link PanamaPool256}, {@link PanamaPool512}, the same file with the
 * width changed, because C2 compiles Vector API calls to SIMD instructions only for a constant
 * species) runs the unclipped columns of one output row (of all the rows of a plane when they are
 * narrower than a vector), one output column per lane.
 *
 * <p>Vectors run along the output width of NCHW planes. A window's taps are visited in row-major
 * order for every lane at once, so each lane computes exactly what the plain kernel computes for
 * its window (same comparisons, same sums in the same order): the bits are PyTorch's. Stride 1
 * loads contiguous columns; stride 2 loads two vectors and keeps their even (or odd) lanes, one
 * two-vector permute; larger strides gather. Loaded only when {@code jdk.incubator.vector} is
 * present.
 */
abstract class PanamaPooling implements PoolingKernels {

  private final int bits;

  /** Float lanes per vector. */
  final int lanes;

  PanamaPooling(int bits) {
    this.bits = bits;
    this.lanes = bits / 32;
  }

  /** The kernels for {@code bits} (128, 256 or 512). */
  static PanamaPooling forBits(int bits) {
    return switch (bits) {
      case 128 -> new PanamaPool128();
      case 256 -> new PanamaPool256();
      case 512 -> new PanamaPool512();
      default -> throw new IllegalArgumentException("no Vector API pooling for " + bits + "-bit vectors");
    };
  }

  @Override
  public String name() {
    return "panama";
  }

  @Override
  public int vectorBits() {
    return bits;
  }

  @Override
  public String toString() {
    return "panama pooling (" + bits + " bits)";
  }

  // ---------------------------------------------------------------- what each width implements

  /**
   * Max pooling of output columns {@code [lo, hi)} of one output row, whose windows all start at
   * or after column 0 and end inside the input: window {@code ow} covers rows {@code h0, h0+dH, ...
   * < h1} (possibly none) and columns {@code ow*sW - pW + j*dW}. Writes {@code out[orow + ow]} and,
   * when {@code idx} is not null, {@code idx[irow + ow]}. {@code g} holds the gather maps;
   * {@code rows} is scratch for the indices, at least {@code hi} ints (null without indices).
   */
  abstract void maxRow(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float[] out, int orow, long[] idx, int irow, Gathers g, int[] rows);

  /**
   * Window sums of output columns {@code [lo, hi)} of one output row (windows as in
   * {@link #maxRow}, dilation 1), in row-major order from 0, then divided by {@code div1} and,
   * unless it is 1, by {@code div2}: {@code out[orow + ow]}.
   */
  abstract void sumRow(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float div1, float div2, float[] out, int orow, Gathers g);

  /**
   * {@link #maxRow} without indices for output rows {@code [oh0, oh1)} at once, when the rows are
   * narrower than a vector ({@code hi - lo < lanes}): {@code out[oo + oh*outW + ow]}. The caller
   * has checked {@link #rowsThatFit}.
   */
  abstract void maxNarrowRows(float[] x, int xo, Pool2dParams p, int oh0, int oh1, int lo, int hi,
      float[] out, int oo, Gathers g);

  /**
   * {@link #sumRow} for output rows {@code [oh0, oh1)} at once, rows narrower than a vector,
   * divided by {@link Pool2dParams#divisor} or, for {@code adaptive} uniform bins, by kH and then
   * by kW (ATen's adaptive order). The caller has checked {@link #rowsThatFit}.
   */
  abstract void sumNarrowRows(float[] x, int xo, Pool2dParams p, int oh0, int oh1, int lo, int hi,
      boolean adaptive, float[] out, int oo, Gathers g);

  /**
   * Adaptive average of one output row with irregular bins: rows {@code [h0, h1)}, columns of
   * {@code b}; the row-major sum divided by {@code h1 - h0}, then by the bin's width.
   */
  abstract void binSumRow(float[] x, int xo, int inW, int h0, int h1, Bins b, float[] out, int orow);

  /** Adaptive max of one output row with irregular bins (rule, indices and scratch as in {@link #maxRow}). */
  abstract void binMaxRow(float[] x, int xo, int inW, int h0, int h1, Bins b, float[] out, int orow,
      long[] idx, int irow, int[] rows);

  /**
   * The sum of {@code x[off, off+n)} in the order of PyTorch's vectorised {@code sum} (see
   * {@code PlaneMean}); {@code acc} is scratch of at least 8 floats.
   */
  abstract float planeSum(float[] x, int off, int n, float[] acc);

  /**
   * {@link #planeSum} of {@link #lanes} consecutive planes of {@code 32 <= n < 64} floats each (one
   * row of four 8-float vectors: ResNet's 7x7 maps) into {@code sums[0, lanes)}. Each plane's
   * eight ATen lanes are computed as in {@code planeSum}; their in-order final additions, one long
   * dependency chain per plane, run for all the planes at once, one plane per vector lane, which
   * gives the same bits. {@code planeMap[i] = i * n}; {@code scratch} holds at least
   * {@code 8 * lanes} floats.
   */
  abstract void planeSumsOneRow(float[] x, int off, int n, int[] planeMap, float[] sums, float[] scratch);

  // ---------------------------------------------------------------- shared plumbing

  /**
   * Index maps for gathered taps: in {@code full}, lane {@code i} reads column {@code i*sW} (strides
   * over 2); in {@code narrow}, for rows narrower than a vector, lanes past the row's {@code width}
   * columns repeat its last one, since the Vector API checks the bounds of every gathered lane.
   */
  record Gathers(int[] full, int[] narrow) {}

  /** Gather maps for stride {@code sW} over rows of {@code width} (at least 1) unclipped columns. */
  Gathers gathers(int sW, int width) {
    int[] full = new int[lanes];
    int[] narrow = new int[lanes];
    for (int i = 0; i < lanes; i++) {
      full[i] = i * sW;
      narrow[i] = Math.min(i, Math.max(0, width - 1)) * sW;
    }
    return new Gathers(full, narrow);
  }

  /**
   * The columns of irregular adaptive bins, padded to whole vectors: bin {@code ow} starts at
   * {@code starts[ow]} and is {@code widths[ow]} wide; {@code maps[j][ow]} is its column {@code j},
   * or its last column when {@code j} is past its width (so that every gathered index is inside
   * the row). Padding lanes have width 0 (never live), column 0 and divisor 1.
   */
  record Bins(int outW, int kmax, int[] widths, float[] divisors, int[][] maps) {}

  Bins bins(int in, int out) {
    int padded = (out + lanes - 1) / lanes * lanes;
    int[] starts = new int[padded];
    int[] widths = new int[padded];
    float[] divisors = new float[padded];
    java.util.Arrays.fill(divisors, 1f);
    int kmax = 0;
    for (int o = 0; o < out; o++) {
      starts[o] = (int) PoolShapes.adaptiveStart(o, out, in);
      widths[o] = (int) PoolShapes.adaptiveEnd(o, out, in) - starts[o];
      divisors[o] = widths[o];
      kmax = Math.max(kmax, widths[o]);
    }
    int[][] maps = new int[kmax][padded];
    for (int j = 0; j < kmax; j++) {
      for (int o = 0; o < out; o++) {
        maps[j][o] = starts[o] + Math.min(j, widths[o] - 1);
      }
    }
    return new Bins(out, kmax, widths, divisors, maps);
  }

  /**
   * Whether the vector loads of a row stay inside {@code x}: the row loops read up to two vectors
   * past a window's first tap (stride-2 pairs, and narrow rows read past their end), and checking
   * that per load would put a branch, and so two kinds of vector, in every loop (which C2 boxes).
   * The few rows at the very end of the array that fail this take the per-window path.
   */
  final boolean vectorsFit(float[] x, int xo, Pool2dParams p, int h1, int lo, int hi) {
    long lastRow = Math.max(h1 - 1, 0);
    long end = xo + lastRow * p.inW() + (long) Math.max(lo, hi - lanes) * p.sW() - p.pW()
        + (long) (p.kW() - 1) * p.dW() + 2L * lanes;
    return end <= x.length;
  }

  /**
   * Planes per parallel task: at least {@link #MIN_TASK} floats read and written. A task handed to
   * the pool costs 15 us, and about 50 us when its worker has to be woken (measured here), against
   * about 30 us per megabyte of vector pooling: a smaller job runs faster on the calling thread
   * (the global average of 8x2048x7x7: 0.10 ms on one thread, 0.135 ms split in two).
   */
  static int grain(int inPlane, int outPlane) {
    long perPlane = Math.max(1, (long) inPlane + outPlane);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (MIN_TASK + perPlane - 1) / perPlane));
  }

  /** See {@link #grain}. */
  static final int MIN_TASK = 1 << 17;

  /** The first input row of output row {@code oh}'s windows (ATen's first in-bounds tap). */
  static int firstRow(Pool2dParams p, int oh) {
    return MaxPool2dKernel.firstTap((long) oh * p.sH() - p.pH(), p.dH());
  }

  /** One past the last input row of output row {@code oh}'s windows, clipped to the input. */
  static int endRow(Pool2dParams p, int oh) {
    return MaxPool2dKernel.tapEnd((long) oh * p.sH() - p.pH(), p.kH(), p.dH(), p.inH());
  }

  /** How many leading output rows of the plane at {@code x[xo]} pass {@link #vectorsFit}. */
  final int rowsThatFit(float[] x, int xo, Pool2dParams p, int lo, int hi) {
    int fit = p.outH();
    while (fit > 0 && !vectorsFit(x, xo, p, endRow(p, fit - 1), lo, hi)) {
      fit--;
    }
    return fit;
  }

  /** Whether every adaptive bin has the same size (the input divides by the output in both dims). */
  private static boolean uniform(AdaptivePool2dParams p) {
    return p.inH() % p.outH() == 0 && p.inW() % p.outW() == 0;
  }

  /** Uniform adaptive bins as a window: kernel = stride = in/out, no padding. */
  private static Pool2dParams uniformWindow(AdaptivePool2dParams p) {
    int kH = p.inH() / p.outH();
    int kW = p.inW() / p.outW();
    return Pool2dParams.max(p.planes(), p.inH(), p.inW(), p.outH(), p.outW(), kH, kW, kH, kW, 0, 0, 1, 1);
  }

  @Override
  public void maxPool2d(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff, Pool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    assert idx == null || idx.length >= idxOff + (long) p.planes() * p.outPlane();
    final int lo = MaxPool2dKernel.interiorStart(p.outW(), p.sW(), p.pW());
    final int hi = MaxPool2dKernel.interiorEnd(lo, p.outW(), p.inW(), p.kW(), p.sW(), p.pW(), p.dW());
    final Gathers g = gathers(p.sW(), hi - lo);
    final boolean narrowRows = idx == null && lo < hi && hi - lo < lanes;
    Parallel.forRange(p.planes(), grain(p.inPlane(), p.outPlane()), (start, end) -> {
      int[] rows = idx == null ? null : new int[p.outW()];
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        int io = idx == null ? 0 : idxOff + c * p.outPlane();
        if (narrowRows) {
          int fit = rowsThatFit(x, xo, p, lo, hi);
          maxNarrowRows(x, xo, p, 0, fit, lo, hi, out, oo, g);
          for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = firstRow(p, oh);
            int h1 = endRow(p, oh);
            int orow = oo + oh * p.outW();
            for (int ow = 0; ow < lo; ow++) {
              maxWindow(x, xo, out, orow, null, 0, p, h0, h1, ow);
            }
            for (int ow = oh < fit ? hi : lo; ow < p.outW(); ow++) {
              maxWindow(x, xo, out, orow, null, 0, p, h0, h1, ow);
            }
          }
          continue;
        }
        for (int oh = 0; oh < p.outH(); oh++) {
          long hs = (long) oh * p.sH() - p.pH();
          int h0 = MaxPool2dKernel.firstTap(hs, p.dH());
          int h1 = MaxPool2dKernel.tapEnd(hs, p.kH(), p.dH(), p.inH());
          int orow = oo + oh * p.outW();
          int irow = io + oh * p.outW();
          for (int ow = 0; ow < lo; ow++) {
            maxWindow(x, xo, out, orow, idx, irow, p, h0, h1, ow);
          }
          if (lo < hi && vectorsFit(x, xo, p, h1, lo, hi)) {
            maxRow(x, xo, p, h0, h1, lo, hi, out, orow, idx, irow, g, rows);
          } else {
            for (int ow = lo; ow < hi; ow++) {
              maxWindow(x, xo, out, orow, idx, irow, p, h0, h1, ow);
            }
          }
          for (int ow = hi; ow < p.outW(); ow++) {
            maxWindow(x, xo, out, orow, idx, irow, p, h0, h1, ow);
          }
        }
      }
    });
  }

  private static void maxWindow(float[] x, int xo, float[] out, int orow, long[] idx, int irow, Pool2dParams p,
      int h0, int h1, int ow) {
    if (idx == null) {
      out[orow + ow] = MaxPool2dKernel.windowValue(x, xo, p, h0, h1, ow);
    } else {
      MaxPool2dKernel.windowIndices(x, xo, out, orow + ow, idx, irow + ow, p, h0, h1, ow);
    }
  }

  @Override
  public void avgPool2d(float[] x, int xOff, float[] out, int outOff, Pool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    assert p.dH() == 1 && p.dW() == 1;
    final int lo = MaxPool2dKernel.interiorStart(p.outW(), p.sW(), p.pW());
    final int hi = MaxPool2dKernel.interiorEnd(lo, p.outW(), p.inW(), p.kW(), p.sW(), p.pW(), 1);
    final Gathers g = gathers(p.sW(), hi - lo);
    final boolean narrowRows = lo < hi && hi - lo < lanes;
    Parallel.forRange(p.planes(), grain(p.inPlane(), p.outPlane()), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        if (narrowRows) {
          int fit = rowsThatFit(x, xo, p, lo, hi);
          sumNarrowRows(x, xo, p, 0, fit, lo, hi, false, out, oo, g);
          for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = firstRow(p, oh);
            int h1 = endRow(p, oh);
            int orow = oo + oh * p.outW();
            for (int ow = 0; ow < lo; ow++) {
              out[orow + ow] = AvgPool2dKernel.window(x, xo, p, h0, h1, oh, ow);
            }
            for (int ow = oh < fit ? hi : lo; ow < p.outW(); ow++) {
              out[orow + ow] = AvgPool2dKernel.window(x, xo, p, h0, h1, oh, ow);
            }
          }
          continue;
        }
        for (int oh = 0; oh < p.outH(); oh++) {
          long hs = (long) oh * p.sH() - p.pH();
          int h0 = (int) Math.max(hs, 0);
          int h1 = (int) Math.min(hs + p.kH(), p.inH());
          int orow = oo + oh * p.outW();
          for (int ow = 0; ow < lo; ow++) {
            out[orow + ow] = AvgPool2dKernel.window(x, xo, p, h0, h1, oh, ow);
          }
          if (lo < hi && vectorsFit(x, xo, p, h1, lo, hi)) {
            // Unclipped columns share one divisor per output row; float / long divides by the
            // long rounded to float, as in Java's and C++'s promotion.
            sumRow(x, xo, p, h0, h1, lo, hi, (float) p.divisor(oh, lo), 1f, out, orow, g);
          } else {
            for (int ow = lo; ow < hi; ow++) {
              out[orow + ow] = AvgPool2dKernel.window(x, xo, p, h0, h1, oh, ow);
            }
          }
          for (int ow = hi; ow < p.outW(); ow++) {
            out[orow + ow] = AvgPool2dKernel.window(x, xo, p, h0, h1, oh, ow);
          }
        }
      }
    });
  }

  @Override
  public void adaptiveAvgPool2d(float[] x, int xOff, float[] out, int outOff, AdaptivePool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    if (p.planes() == 0 || p.outPlane() == 0) {
      return;
    }
    final int grain = grain(p.inPlane(), p.outPlane());
    if (p.outH() == 1 && p.outW() == 1) {
      final int n = p.inPlane();
      final int[] planeMap = new int[lanes];
      for (int i = 0; i < lanes; i++) {
        planeMap[i] = i * n;
      }
      final boolean oneRow = n >= 32 && n < 64;
      Parallel.forRange(p.planes(), grain, (start, end) -> {
        float[] acc = new float[8 * lanes];
        float[] sums = new float[lanes];
        int c = start;
        for (; oneRow && c + lanes <= end; c += lanes) {
          planeSumsOneRow(x, xOff + c * n, n, planeMap, sums, acc);
          for (int j = 0; j < lanes; j++) {
            out[outOff + c + j] = sums[j] / n;
          }
        }
        for (; c < end; c++) {
          out[outOff + c] = planeSum(x, xOff + c * n, n, acc) / n;
        }
      });
      return;
    }
    if (uniform(p)) {
      final Pool2dParams q = uniformWindow(p);
      final Gathers g = gathers(q.sW(), q.outW());
      final float kh = q.kH();
      final float kw = q.kW();
      Parallel.forRange(p.planes(), grain, (start, end) -> {
        for (int c = start; c < end; c++) {
          int xo = xOff + c * p.inPlane();
          int oo = outOff + c * p.outPlane();
          if (q.outW() < lanes) {
            int fit = rowsThatFit(x, xo, q, 0, q.outW());
            sumNarrowRows(x, xo, q, 0, fit, 0, q.outW(), true, out, oo, g);
            for (int oh = fit; oh < q.outH(); oh++) {
              for (int ow = 0; ow < q.outW(); ow++) {
                out[oo + oh * q.outW() + ow] = uniformMean(x, xo, q, oh * q.kH(), ow);
              }
            }
            continue;
          }
          for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = oh * q.kH();
            int orow = oo + oh * q.outW();
            if (vectorsFit(x, xo, q, h0 + q.kH(), 0, q.outW())) {
              sumRow(x, xo, q, h0, h0 + q.kH(), 0, q.outW(), kh, kw, out, orow, g);
            } else {
              for (int ow = 0; ow < q.outW(); ow++) {
                out[orow + ow] = uniformMean(x, xo, q, h0, ow);
              }
            }
          }
        }
      });
      return;
    }
    final Bins b = bins(p.inW(), p.outW());
    Parallel.forRange(p.planes(), grain, (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          binSumRow(x, xo, p.inW(), h0, h1, b, out, oo + oh * p.outW());
        }
      }
    });
  }

  @Override
  public void adaptiveMaxPool2d(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff,
      AdaptivePool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    assert idx == null || idx.length >= idxOff + (long) p.planes() * p.outPlane();
    if (p.planes() == 0 || p.outPlane() == 0) {
      return;
    }
    final int grain = grain(p.inPlane(), p.outPlane());
    if (uniform(p)) {
      final Pool2dParams q = uniformWindow(p);
      final Gathers g = gathers(q.sW(), q.outW());
      Parallel.forRange(p.planes(), grain, (start, end) -> {
        int[] rows = idx == null ? null : new int[q.outW()];
        for (int c = start; c < end; c++) {
          int xo = xOff + c * p.inPlane();
          int oo = outOff + c * p.outPlane();
          int io = idx == null ? 0 : idxOff + c * p.outPlane();
          if (idx == null && q.outW() < lanes) {
            int fit = rowsThatFit(x, xo, q, 0, q.outW());
            maxNarrowRows(x, xo, q, 0, fit, 0, q.outW(), out, oo, g);
            for (int oh = fit; oh < q.outH(); oh++) {
              int row = oh * q.outW();
              for (int ow = 0; ow < q.outW(); ow++) {
                maxWindow(x, xo, out, oo + row, null, 0, q, oh * q.kH(), (oh + 1) * q.kH(), ow);
              }
            }
            continue;
          }
          for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = oh * q.kH();
            int row = oh * q.outW();
            if (vectorsFit(x, xo, q, h0 + q.kH(), 0, q.outW())) {
              maxRow(x, xo, q, h0, h0 + q.kH(), 0, q.outW(), out, oo + row, idx, io + row, g, rows);
            } else {
              for (int ow = 0; ow < q.outW(); ow++) {
                maxWindow(x, xo, out, oo + row, idx, io + row, q, h0, h0 + q.kH(), ow);
              }
            }
          }
        }
      });
      return;
    }
    final Bins b = bins(p.inW(), p.outW());
    Parallel.forRange(p.planes(), grain, (start, end) -> {
      int[] rows = idx == null ? null : new int[p.outW()];
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        int io = idx == null ? 0 : idxOff + c * p.outPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          int row = oh * p.outW();
          binMaxRow(x, xo, p.inW(), h0, h1, b, out, oo + row, idx, io + row, rows);
        }
      }
    });
  }

  /** One uniform adaptive bin's average, summed in row-major order, divided by kH then kW (ATen's order). */
  private static float uniformMean(float[] x, int xo, Pool2dParams q, int h0, int ow) {
    float sum = 0;
    for (int h = h0; h < h0 + q.kH(); h++) {
      for (int w = ow * q.kW(); w < (ow + 1) * q.kW(); w++) {
        sum += x[xo + h * q.inW() + w];
      }
    }
    return sum / q.kH() / q.kW();
  }

  /** {@code n} lanes {@code first, first+step, ...}. */
  static int[] ramp(int n, int first, int step) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = first + i * step;
    }
    return r;
  }
}
