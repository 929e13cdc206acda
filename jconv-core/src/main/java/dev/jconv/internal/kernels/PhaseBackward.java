package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.PackedMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backward of a strided or dilated convolution, mostly through stride-1, undilated problems on
 * the input's "phases". Each axis splits on its own:
 * <ul>
 *   <li>Dilation d (stride 1): the outputs {@code a, a+d, a+2d, ...} read only the inputs of one
 *       residue {@code (a - pad) mod d}, every d-th one: d independent undilated convolutions with the
 *       whole kernel. Phases of one shape are stacked as more images and run by
 *       {@link ConvBackward#backward} with its stride-1 forms: the suite's 56x56 layer with dilation 2
 *       and padding 2 becomes one 28x28 layer with padding 1 and 4x the images, whose weight gradient
 *       the Winograd form takes ({@link #dilated}).
 *   <li>Stride s (dilation 1): tap t reads input phase {@code (t - pad) mod s}, shifted by
 *       {@code floorDiv(t - pad, s)}; the taps of one input phase are every s-th one, consecutive in
 *       the phase: the input gradient is the sum of s stride-1 problems of the input phases with
 *       sub-kernels (2 and 1 taps for 3 taps and stride 2), each over all outputs, run here as GEMMs
 *       over runs of stride 1, or for a 3x3, stride-2, padding-1 layer on an even input by a kernel
 *       that writes both column phases at once straight into gX; the weight gradient reads the input
 *       in place, tap by tap ({@link #strided}).
 * </ul>
 * A phase problem reads exactly the input elements and the padding zeros the original taps read, for
 * the same outputs, so every product of the original appears once. The stacked problems keep the
 * stride-1 forms' own guards for infinities and NaN; the strided input gradient multiplies the
 * weights by zeros that are not in the problem and needs a finite weight ({@link #run} checks); the
 * strided weight gradient forms no product with padding. Costs copies: the dilated phases' input and
 * gOut in and their input gradient out; the strided form's gOut, packed or bordered, once per image.
 * No argument checks.
 */
final class PhaseBackward {
  private PhaseBackward() {}

  /**
   * Tests force the forms on or off ({@code null} = by the problem; TRUE = wherever they can run, the
   * dilated input gradient included; {@code -Djconv.convBackward.phaseProblems=false} turns them off).
   */
  static Boolean force = "false".equals(System.getProperty("jconv.convBackward.phaseProblems")) ? false : null;

  /**
   * The strided form from this many input and output channels per group with the plain provider
   * (its weight gradient in plain loops): the GEMM-based form before it ran res_stem's 3 input
   * channels 2x slower than the unfolding forms, and 16 channels faster.
   */
  static final int STRIDED_MIN_CHANNELS = 16;

  /**
   * The input channels per group from which the Vector API's register blocks take strided layers
   * (8 images of 3x3, stride-2 layers against the unfolding forms, 1 and 2 threads: 8 -> 8 channels
   * on 56x56 in 0.46-0.81x their time, 57x57 0.53-0.60x, 8 -> 4 0.49-0.93x, 64 -> 8 on 28x28 0.20x;
   * 4 -> 4 in 1.1-1.3x, 5 -> 8 0.76x on one thread but 1.14x on two, 3 -> 64 6-8x).
   */
  static final int STRIDED_MIN_IN_VECTOR = 8;

  /** The output channels per group from which they do (see {@link #STRIDED_MIN_IN_VECTOR}). */
  static final int STRIDED_MIN_OUT_VECTOR = 4;

  /**
   * Below this many multiply-adds per gradient the strided form runs on one thread: one 8-channel
   * 56x56 image (0.45 million) ran in 0.05 ms alone and 0.27 ms split over two threads; 8 such images
   * ran in 0.20 ms over two threads, 0.38 alone.
   */
  static final long STRIDED_PARALLEL_MIN_MACS = 1L << 20;

  /**
   * One axis of a phase problem: its outputs are {@code outStart + outStep*i} for i in
   * [0, outCount); its input element j in [0, len) is the original's {@code inStart + inStep*j},
   * padded by {@code padLo} and {@code padHi}; its taps u in [0, taps) are the original's
   * {@code tapStart + tapStep*u}.
   */
  record Axis(int outStart, int outStep, int outCount, int inStart, int inStep, int len, int padLo, int padHi,
      int tapStart, int tapStep, int taps) {}

  /**
   * The phases of one axis (input length {@code in}, output {@code out}, kernel k, stride s,
   * dilation d, padding before {@code pad}), or null when the axis does not split (stride and
   * dilation both above 1) or a phase would read padding only (left to the other forms).
   */
  static List<Axis> axes(int in, int out, int k, int s, int d, int pad) {
    List<Axis> list = new ArrayList<>();
    if (s > 1 && d > 1) {
      return null;
    }
    if (s == 1) {
      for (int a = 0; a < Math.min(d, out); a++) {
        Axis ax = axis(a, d, Math.ceilDiv(out - a, d), Math.floorMod(a - pad, d), d, Math.floorDiv(a - pad, d), in,
            0, 1, k);
        if (ax == null) {
          return null;
        }
        list.add(ax);
      }
    } else {
      for (int r = 0; r < s; r++) {
        int t0 = Math.floorMod(r + pad, s);
        if (t0 >= k) {
          continue; // no tap reads this input phase: its gradient is zero
        }
        Axis ax = axis(0, 1, out, r, s, (t0 - pad - r) / s, in, t0, s, Math.ceilDiv(k - t0, s));
        if (ax == null) {
          return null;
        }
        list.add(ax);
      }
    }
    return list;
  }

  /**
   * A phase whose input is every {@code step}-th element from {@code r}, whose first output reads
   * its element {@code m} (negative: padding) with its first tap; null if it reads no input element.
   */
  private static Axis axis(int outStart, int outStep, int outCount, int r, int step, int m, int in, int tapStart,
      int tapStep, int taps) {
    int elements = in > r ? Math.ceilDiv(in - r, step) : 0;
    int first = m;
    int last = m + outCount - 1 + taps - 1;
    int lo = Math.max(0, first);
    int hi = Math.min(elements - 1, last);
    if (hi < lo) {
      return null;
    }
    return new Axis(outStart, outStep, outCount, r + step * lo, step, hi - lo + 1, lo - first, last - hi, tapStart,
        tapStep, taps);
  }

  /** How {@link #run} takes a problem. */
  enum Form {
    /** Not at all: stride 1 and dilation 1, stride and dilation both above 1 on an axis, or a phase of padding only. */
    NONE,
    /** Dilation phases stacked as images, through {@link ConvBackward#backward} ({@link #dilated}). */
    DILATED,
    /**
     * Stride: the weight gradient from the input in place, the input gradient by the stride-2 kernel
     * or a GEMM per group of the phases' taps ({@link #strided}).
     */
    STRIDED
  }

  /** The form {@link #run} takes for {@code p} (STRIDED also needs a finite weight for the input gradient). */
  static Form form(ConvParams p) {
    boolean strided = p.strideH() > 1 || p.strideW() > 1;
    boolean dilated = p.dilationH() > 1 || p.dilationW() > 1;
    if (Boolean.FALSE.equals(force) || strided == dilated
        || axes(p.h(), p.outH(), p.kh(), p.strideH(), p.dilationH(), p.padTop()) == null
        || axes(p.w(), p.outW(), p.kw(), p.strideW(), p.dilationW(), p.padLeft()) == null) {
      return Form.NONE;
    }
    if (dilated) {
      for (Batch b : batches(p)) {
        // A stack's phases may hold a little more than the input (each phase rounds up): keep it in int.
        long stacked = (long) p.n() * b.members().size() * Math.max(p.cin() * (long) b.shapeY().len()
            * b.shapeX().len(), p.cout() * (long) b.shapeY().outCount() * b.shapeX().outCount());
        if (stacked > Integer.MAX_VALUE) {
          return Form.NONE;
        }
      }
    }
    // The strided form's scratch (gOut packed in panels of whole vectors, or bordered) is one array
    // per image: keep it in int.
    if (strided && (long) Math.ceilDiv(p.coutPerGroup(), 64) * 64 * (p.outH() + 2L) * p.outW() + 64
        > Integer.MAX_VALUE) {
      return Form.NONE;
    }
    if (force != null) {
      return dilated ? Form.DILATED : Form.STRIDED;
    }
    if (strided) {
      boolean vector = GEMM.vectorBits() > 0;
      int minIn = vector ? STRIDED_MIN_IN_VECTOR : STRIDED_MIN_CHANNELS;
      int minOut = vector ? STRIDED_MIN_OUT_VECTOR : STRIDED_MIN_CHANNELS;
      return p.cinPerGroup() >= minIn && p.coutPerGroup() >= minOut ? Form.STRIDED : Form.NONE;
    }
    // Dilated: worth its copies where the stacked phases take the Winograd weight gradient (the
    // suite's 64-channel layer: 12.8 ms against 16.6 at 1 thread); with 3 or 16 channels the copies
    // cost more than the stride-1 forms save.
    for (Batch b : batches(p)) {
      if (!WinogradWeightGrad.applies(stacked(p, b))) {
        return Form.NONE;
      }
    }
    return Form.DILATED;
  }

  /**
   * Whether {@link #run}, when it takes {@code p}, writes every element of the input gradient, so
   * that the caller need not zero it first: every input element lies in a phase that some tap
   * reads (each phase's gradient is stored whole, with plain stores).
   */
  static boolean coversInput(ConvParams p) {
    return form(p) != Form.NONE
        && covers(axes(p.h(), p.outH(), p.kh(), p.strideH(), p.dilationH(), p.padTop()), p.h())
        && covers(axes(p.w(), p.outW(), p.kw(), p.strideW(), p.dilationW(), p.padLeft()), p.w());
  }

  /** Whether the phases of one axis hold every one of its {@code in} input elements. */
  private static boolean covers(List<Axis> axes, int in) {
    boolean[] seen = new boolean[in];
    int count = 0;
    for (Axis a : axes) {
      for (int j = 0; j < a.len(); j++) {
        int e = a.inStart() + a.inStep() * j;
        if (!seen[e]) {
          seen[e] = true;
          count++;
        }
      }
    }
    return count == in;
  }

  /**
   * Computes the gradients of {@code p} as {@link ConvBackward#backward} does ({@code gW} zeroed by
   * the caller, either may be null), if it takes the problem; returns whether it did. {@code gX}
   * needs zeroing only where {@link #coversInput} is false.
   */
  static boolean run(ConvParams p, float[] x, float[] weight, float[] gOut, float[] gX, float[] gW) {
    Form f = form(p);
    boolean finiteWeight = gX == null
        || ConvBackwardDirect.finite(weight, p.weightLength(), ConvBackward.useVector ? ConvBackward.VECTOR : null);
    if (f == Form.DILATED) {
      // Alone, the input gradient as a forward convolution (dilated Winograd, phase by phase) ran 5%
      // faster than the stacked phases (both copy gOut in and the gradient out); with the weight
      // gradient, the stacked phases share gOut's copy and ran 7% faster for both (the suite's layer).
      if (gX != null && gW == null && force == null && finiteWeight && ConvBackwardDirect.useInputAsForward(p)
          && (!ConvBackwardDirect.inputGradMixesTiles(p) || ConvSelector.allFinite(gOut, p.outputLength()))) {
        ConvBackwardDirect.inputGrad(p, weight, gOut, gX);
        gX = null;
      }
      dilated(p, x, weight, gOut, gX, gW);
      return true;
    }
    // The strided input gradient multiplies the weights by gOut's zero border (0 * inf = NaN where
    // the other forms give a number).
    if (f == Form.STRIDED && finiteWeight) {
      strided(p, x, weight, gOut, gX, gW);
      return true;
    }
    return false;
  }

  /** A group of phases of one shape and the same taps, run as one problem with more images. */
  private record Batch(Axis shapeY, Axis shapeX, List<Axis[]> members) {}

  /**
   * The phase copies of the input, gOut and the input gradient are kept per calling thread up to this
   * many floats each (16 MB), as in {@link DilatedWinograd}: fresh arrays are zeroed by one thread,
   * about 0.5 ms for each of the three on the dilated suite case.
   */
  static final int MAX_KEPT_FLOATS = 1 << 22;

  private static final ThreadScratch KEPT = new ThreadScratch(3, PhaseBackward.MAX_KEPT_FLOATS);

  /** A scratch array of at least {@code length} floats, contents undefined. */
  private static float[] scratch(int slot, int length) {
    return KEPT.get(slot, length);
  }

  /** The dilation phases grouped by shape (and taps). */
  private static List<Batch> batches(ConvParams p) {
    List<Axis> ys = axes(p.h(), p.outH(), p.kh(), p.strideH(), p.dilationH(), p.padTop());
    List<Axis> xs = axes(p.w(), p.outW(), p.kw(), p.strideW(), p.dilationW(), p.padLeft());
    Map<List<Integer>, Batch> batches = new LinkedHashMap<>();
    for (Axis ay : ys) {
      for (Axis ax : xs) {
        List<Integer> key = List.of(ay.len(), ay.padLo(), ay.padHi(), ay.outCount(), ay.tapStart(), ay.taps(),
            ax.len(), ax.padLo(), ax.padHi(), ax.outCount(), ax.tapStart(), ax.taps());
        batches.computeIfAbsent(key, kk -> new Batch(ay, ax, new ArrayList<>())).members().add(new Axis[] {ay, ax});
      }
    }
    return new ArrayList<>(batches.values());
  }

  /** The stride-1 problem of a batch: its phases stacked as images. */
  private static ConvParams stacked(ConvParams p, Batch b) {
    Axis sy = b.shapeY();
    Axis sx = b.shapeX();
    return new ConvParams(p.n() * b.members().size(), p.cin(), sy.len(), sx.len(), p.cout(), p.groups(), sy.taps(),
        sx.taps(), 1, 1, sy.padLo(), sx.padLo(), sy.padHi(), sx.padHi(), 1, 1, sy.outCount(), sx.outCount());
  }

  /** The dilated form: phases of one shape stacked as images, each stack one stride-1 backward. */
  private static void dilated(ConvParams p, float[] x, float[] weight, float[] gOut, float[] gX, float[] gW) {
    if (gX == null && gW == null) {
      return;
    }
    for (Batch b : batches(p)) {
      run(p, b, x, weight, gOut, gX, gW);
    }
  }

  /**
   * One stack: as one problem whose forms split their steps over the threads, or split by images
   * across the threads, each thread running its own slice's stride-1 backward (inside a parallel
   * region, the forms run on the calling thread). With the older forms, on this shared machine at 2
   * threads (load about 3.5), the whole stack's fine-grained parallel steps ran the suite's dilated
   * weight gradient in 19-22 ms, slower than the unfolding forms (16-18); a slice per thread, with no
   * barriers inside, in 14-15.
   */
  private static void run(ConvParams p, Batch b, float[] x, float[] weight, float[] gOut, float[] gX, float[] gW) {
    int n = p.n();
    // Where the stacked problem takes the Winograd forms with channels in vector lanes (the suite's
    // layer), their steps split well over the threads, and the whole stack as one problem ran the
    // suite's layer in 0.85x the time of a slice per thread at 2 threads (7.63 against 8.94 ms, A/B
    // in one JVM); the slices' two problems at once competed for L3.
    boolean whole = WinogradInputGrad.applies(stacked(p, b), ConvBackward.useVector ? ConvBackward.VECTOR : null);
    int slices = whole || !sliceByThread ? 1 : Math.min(Parallel.getNumThreads(), n);
    if (slices <= 1) {
      slice(p, b, 0, n, x, weight, gOut, gX, gW);
      return;
    }
    Object lock = new Object();
    Parallel.forRange(slices, 1, (s0, s1) -> {
      for (int s = s0; s < s1; s++) {
        float[] part = gW == null ? null : new float[gW.length];
        slice(p, b, (int) ((long) s * n / slices), (int) ((long) (s + 1) * n / slices), x, weight, gOut, gX, part);
        if (gW != null) {
          synchronized (lock) {
            for (int i = 0; i < gW.length; i++) {
              gW[i] += part[i];
            }
          }
        }
      }
    });
  }

  /** By-hand timing (BackwardSwitchesAbMain) turns the slices per thread off ({@code false}: always whole). */
  static boolean sliceByThread = true;

  /** Images [n0, n1) of a stack: their phases in (image-major), the stride-1 backward, the gradients out. */
  private static void slice(ConvParams p, Batch b, int n0, int n1, float[] x, float[] weight, float[] gOut,
      float[] gX, float[] gW) {
    Axis sy = b.shapeY();
    Axis sx = b.shapeX();
    ConvParams whole = stacked(p, b);
    int stackedN = (n1 - n0) * b.members().size();
    ConvParams q = new ConvParams(stackedN, whole.cin(), whole.h(), whole.w(), whole.cout(), whole.groups(),
        whole.kh(), whole.kw(), 1, 1, whole.padTop(), whole.padLeft(), whole.padBottom(), whole.padRight(), 1, 1,
        whole.outH(), whole.outW());
    float[] qx = null;
    if (gW != null) {
      qx = scratch(0, q.inputLength());
      gather(b, n0, n1, p.cin(), p.h(), p.w(), sy.len(), sx.len(), true, x, qx);
    }
    float[] qg = scratch(1, q.outputLength());
    gather(b, n0, n1, p.cout(), p.outH(), p.outW(), sy.outCount(), sx.outCount(), false, gOut, qg);
    // The backward overwrites all of qgx. Dilation phases have the whole kernel: the weight is the
    // stacked problem's, and so is the layout of its gradient.
    float[] qgx = gX == null ? null : scratch(2, q.inputLength());
    float[] qgw = gW == null ? null : new float[q.weightLength()];
    ConvBackward.backward(q, qx, weight, qg, qgx, qgw, null);
    if (gX != null) {
      scatter(b, n0, n1, p.cin(), p.h(), p.w(), sy.len(), sx.len(), qgx, gX);
    }
    if (gW != null) {
      for (int i = 0; i < qgw.length; i++) {
        gW[i] += qgw[i];
      }
    }
  }

  private static final dev.jconv.internal.vector.KernelProvider GEMM =
      dev.jconv.internal.vector.KernelProviders.get();

  /** A stride phase: its axes and where its wide input gradient sits in the scratch. */
  private record Phase(Axis ay, Axis ax, int wideOff) {}

  /**
   * Taps of phases {@code [first, first + count)} (consecutive wide gradients of {@code n} columns)
   * that read gOut at the same offset {@code off}: one GEMM, their {@code cinG x coutG} weights
   * stacked ({@code count * cinG} rows, packed per group).
   */
  private record TapGroup(int off, int n, int first, int count, PackedMatrix[] packed) {}

  /**
   * The strided form, per (image, group):
   * <ul>
   *   <li>the weight gradient from the input read in place and gOut packed once per image, each tap
   *       summed over the outputs that read inside the input ({@link KernelProvider#stridedWeightGrad});
   *   <li>per input phase, the input gradient of phase element j as
   *       {@code sum_u W_u^T gOut[j - u + padLo]}: gOut is
   *       copied once per image into planes with a zero border (E = taps - 1 wide; the left border of
   *       a row is the right border of the one above) and rows of width {@code WG = outW + E}, where
   *       each tap's shifted gOut is a plain matrix (channels
   *       {@code planeG} apart, {@code Ly*WG} contiguous columns), so each tap is one GEMM into the
   *       phase's "wide" gradient, with no unfolding and no col2im; the {@code WG - Lx} extra columns
   *       of each row read past the row and are dropped. Taps of neighbouring phases that read gOut
   *       at the same offset are one GEMM with their weights stacked ({@link #tapGroups}).
   * </ul>
   */
  private static void strided(ConvParams p, float[] x, float[] weight, float[] gOut, float[] gX, float[] gW) {
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    int groups = p.groups();
    int hw = p.outH() * p.outW();
    int tasks = p.n() * groups;
    // Work units: (image, group) tasks, each split in parts (input channel ranges of the weight
    // gradient, position ranges of the stride-2 input gradient) when there are too few tasks for
    // the threads (one image on two threads: four parts), claimed one at a time by the threads (a
    // thread slowed by another process takes fewer).
    long macs = (long) p.n() * p.cout() * hw * cinG * p.kh() * p.kw();
    int threads = macs < STRIDED_PARALLEL_MIN_MACS ? 1 : Parallel.getNumThreads();
    int parts = threads == 1 || tasks >= 2 * threads ? 1 : Math.ceilDiv(2 * threads, tasks);
    // The weight gradient's scratch: gOut packed, and per group the transposed gradient
    // (cinG*kh*kw rows of coutPad).
    int panel = GEMM.gradOutPanel();
    int coutPad = Math.ceilDiv(coutG, panel) * panel;
    int perGroup = cinG * p.kh() * p.kw() * coutPad;
    int gwTotal = perGroup * groups;
    int packedFloats = coutPad * hw;
    // The stride-2 kernel's weights, packed by the first units (a part per thread and group).
    float[][] s2 = gX == null || !stride2(p) ? null : new float[groups][];
    if (s2 != null) {
      for (int g = 0; g < groups; g++) {
        s2[g] = new float[GEMM.stride2WeightsLength(coutG, cinG)];
      }
    }
    int packUnits = s2 == null ? 0 : groups * threads;
    CountDownLatch packed = new CountDownLatch(packUnits);
    InputGrad ig = gX == null || s2 != null ? null : new InputGrad(p, weight);
    // The phase GEMMs split over the threads themselves: with too few tasks they run after the
    // region, on this thread.
    boolean phasesAfter = ig != null && parts > 1;
    int wUnits = gW == null ? 0 : tasks * parts;
    int xUnits = gX == null || phasesAfter ? 0 : tasks * (s2 != null ? parts : 1);
    int units = packUnits + wUnits + xUnits;
    AtomicInteger next = new AtomicInteger();
    List<float[]> sums = new ArrayList<>();
    // Everything the scratch layout depends on (not the batch).
    List<Integer> layout = List.of(p.cin(), p.h(), p.w(), p.cout(), p.groups(), p.kh(), p.kw(), p.strideH(),
        p.strideW(), p.padTop(), p.padLeft(), p.padBottom(), p.padRight(), p.outH(), p.outW());
    Parallel.forRange(Math.min(units, threads), 1, (start, end) -> {
      // The arrays are kept per thread for one layout; borders and the extra columns of the phase
      // form's wide gOut stay zero: only the interior is written, image after image, call after call.
      float[] gwT = null;
      for (int claimed; (claimed = next.getAndIncrement()) < units;) {
        if (claimed < packUnits) {
          try {
            GEMM.packStride2Weights(weight, claimed / threads * coutG * cinG * 9, coutG, cinG, claimed % threads,
                threads, s2[claimed / threads]);
          } finally {
            // even if it failed (the region then throws): no input unit may wait forever
            packed.countDown();
          }
          continue;
        }
        int u = claimed - packUnits;
        // Weight and input units alternate while both last.
        int both = Math.min(wUnits, xUnits);
        boolean weightUnit = u < 2 * both ? u % 2 == 0 : wUnits > xUnits;
        int k = u < 2 * both ? u / 2 : u - both;
        int unitParts = weightUnit || s2 != null ? parts : 1;
        int t = k / unitParts;
        int part = k % unitParts;
        int g = t % groups;
        int n = t / groups;
        int xOff = (n * p.cin() + g * cinG) * p.h() * p.w();
        int oOff = (n * p.cout() + g * coutG) * hw;
        if (weightUnit) {
          if (gwT == null) {
            gwT = new float[gwTotal];
          }
          // Input channels in runs of 6, the register block's height; the last part takes the rest.
          int c0 = Math.min(cinG, (int) ((long) cinG * part / parts) / 6 * 6);
          int c1 = part == parts - 1 ? cinG : Math.min(cinG, (int) ((long) cinG * (part + 1) / parts) / 6 * 6);
          if (c0 < c1) {
            float[] bp = kept(layout, 0, packedFloats);
            GEMM.packGradOut(gOut, oOff, coutG, hw, bp);
            GEMM.stridedWeightGrad(x, xOff + c0 * p.h() * p.w(), c1 - c0, p.h(), p.w(), p.kh(), p.kw(), p.strideH(),
                p.strideW(), p.padTop(), p.padLeft(), bp, p.outH(), p.outW(), coutPad, gwT,
                g * perGroup + c0 * p.kh() * p.kw() * coutPad);
          }
        } else if (s2 != null) {
          // The packing units were claimed first: by the time an input unit is, they have run or
          // are running on the other threads.
          awaitUninterruptibly(packed);
          GEMM.stride2InputGrad(s2[g], gOut, oOff, coutG, cinG, p.outH(), p.outW(), part, unitParts,
              kept(layout, 3, GEMM.stride2Scratch(coutG, p.outH(), p.outW())), gX, xOff);
        } else {
          phaseInputGrad(p, ig, g, gOut, oOff, gX, xOff, kept(layout, 1, ig.wideFloats), kept(layout, 2, ig.padFloats));
        }
      }
      if (gwT != null) {
        synchronized (sums) {
          sums.add(gwT);
        }
      }
    });
    if (phasesAfter) {
      float[] gxs = kept(layout, 1, ig.wideFloats);
      float[] padded = kept(layout, 2, ig.padFloats);
      for (int t = 0; t < tasks; t++) {
        int g = t % groups;
        int n = t / groups;
        phaseInputGrad(p, ig, g, gOut, (n * p.cout() + g * coutG) * hw, gX, (n * p.cin() + g * cinG) * p.h() * p.w(),
            gxs, padded);
      }
    }
    if (gW != null) {
      addWeightGrad(p, sums, coutPad, gW);
    }
  }

  /** Waits for {@code latch}, keeping an interrupt for later (a kernel has no way to stop midway). */
  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The input gradient of one (image, group) through the phase GEMMs: gOut into the bordered planes,
   * a GEMM per tap group into the wide phase gradients {@code gxs}, those copied out into gX.
   */
  private static void phaseInputGrad(ConvParams p, InputGrad ig, int g, float[] gOut, int oOff, float[] gX, int xOff,
      float[] gxs, float[] padded) {
    int coutG = p.coutPerGroup();
    int hw = p.outH() * p.outW();
    for (int co = 0; co < coutG; co++) {
      for (int oy = 0; oy < p.outH(); oy++) {
        System.arraycopy(gOut, oOff + co * hw + oy * p.outW(), padded, co * ig.planeG + (oy + ig.ey) * ig.wg + ig.ex,
            p.outW());
      }
    }
    inputGrad(ig.phases, ig.tapGroups, g, p.cinPerGroup(), padded, ig.planeG, gxs);
    copyPhases(p, ig.phases, p.cinPerGroup(), gxs, xOff, gX, ig.wg);
  }

  /**
   * Whether the strided form's input gradient takes {@link KernelProvider#stride2InputGrad}: a 3x3
   * kernel with stride 2 and padding 1 on an input twice its output on both axes (the phase GEMMs
   * otherwise; tests turn it off with {@link #stride2Kernel}).
   */
  static boolean stride2(ConvParams p) {
    return stride2Kernel && p.kh() == 3 && p.kw() == 3 && p.strideH() == 2 && p.strideW() == 2 && p.padTop() == 1
        && p.padLeft() == 1 && p.dilationH() == 1 && p.dilationW() == 1
        && GEMM.hasStride2InputGrad(p.cinPerGroup(), p.h(), p.w(), p.outH(), p.outW());
  }

  /** Tests and timing turn off {@link KernelProvider#stride2InputGrad} (the phase GEMMs instead). */
  static boolean stride2Kernel = true;

  /**
   * The input gradient's plan for a problem: its phases (wide gradients {@code wg} columns wide,
   * {@code wideFloats} in all), their tap groups with the weights packed, and the bordered gOut's
   * geometry (channel planes {@code planeG} apart, {@code ey} rows and {@code ex} columns of border,
   * {@code padFloats} in all).
   */
  private static final class InputGrad {
    final List<Phase> phases = new ArrayList<>();
    final List<TapGroup> tapGroups;
    final int ey;
    final int ex;
    final int wg;
    final int planeG;
    final int wideFloats;
    final int padFloats;

    InputGrad(ConvParams p, float[] weight) {
      List<Axis> ys = axes(p.h(), p.outH(), p.kh(), p.strideH(), 1, p.padTop());
      List<Axis> xs = axes(p.w(), p.outW(), p.kw(), p.strideW(), 1, p.padLeft());
      int cinG = p.cinPerGroup();
      int coutG = p.coutPerGroup();
      int eyMax = 0;
      int exMax = 0;
      for (Axis a : ys) {
        eyMax = Math.max(eyMax, a.taps() - 1);
      }
      for (Axis a : xs) {
        exMax = Math.max(exMax, a.taps() - 1);
      }
      ey = eyMax;
      ex = exMax;
      // One border column per row suffices: a run past a row's end reads the next row's left border.
      wg = p.outW() + ex;
      planeG = (p.outH() + 2 * ey) * wg;
      int wide = 0;
      long reach = 0;
      // Snake order (every other row of phases right to left): with stride 2, the phases whose taps
      // share a gOut offset are then neighbours, and each offset is one GEMM (res3x3_s2: 4, not 9).
      for (int iy = 0; iy < ys.size(); iy++) {
        Axis ay = ys.get(iy);
        for (int jx = 0; jx < xs.size(); jx++) {
          Axis ax = xs.get(iy % 2 == 0 ? jx : xs.size() - 1 - jx);
          // The last tap's GEMM reads furthest: up to the end of its last row (dropped columns past it).
          reach = Math.max(reach, (ay.padLo() + ey) * wg + ax.padLo() + ex + (coutG - 1) * planeG + ay.len() * wg);
          phases.add(new Phase(ay, ax, wide));
          wide += cinG * ay.len() * wg;
        }
      }
      wideFloats = wide;
      padFloats = (int) Math.max(reach, (long) coutG * planeG);
      tapGroups = tapGroups(p, phases, weight, ey, ex, wg);
    }
  }

  /** Per thread: the layout the kept strided scratch was made for, and the arrays. */
  private static final ThreadLocal<Object[]> STRIDED_KEPT = ThreadLocal.withInitial(() -> new Object[2]);

  /**
   * Scratch array {@code slot} of the strided form for {@code layout}: kept per thread while the layout
   * stays the same (so its zero borders need no rewriting), new and zeroed otherwise. Zeroing fresh
   * arrays cost about 0.5 ms per thread and call on res3x3_s2 (5 MB). Slots: 0 gOut packed for the
   * weight gradient, 1 the phases' wide input gradients, 2 the phase GEMMs' bordered gOut (its
   * borders never written), 3 the stride-2 kernel's bordered gOut (written whole for each image):
   * one layout can take either input gradient (tests switch the kernel off), so the two bordered
   * copies never share an array.
   */
  private static float[] kept(List<Integer> layout, int slot, int length) {
    if (length > MAX_KEPT_FLOATS) {
      return new float[length];
    }
    Object[] k = STRIDED_KEPT.get();
    if (!layout.equals(k[0])) {
      k[0] = layout;
      k[1] = new float[4][];
    }
    float[][] arrays = (float[][]) k[1];
    if (arrays[slot] == null || arrays[slot].length != length) {
      arrays[slot] = new float[length];
    }
    return arrays[slot];
  }

  /**
   * The taps of all phases grouped by the gOut offset they read, in runs of neighbouring phases with
   * wide gradients of one width; largest first, so that the first GEMM writes most phases with beta 0.
   */
  private static List<TapGroup> tapGroups(ConvParams p, List<Phase> phases, float[] weight, int ey, int ex,
      int wg) {
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    Map<List<Integer>, List<int[]>> byOff = new LinkedHashMap<>();
    for (int k = 0; k < phases.size(); k++) {
      Axis ay = phases.get(k).ay();
      Axis ax = phases.get(k).ax();
      for (int u = 0; u < ay.taps(); u++) {
        for (int v = 0; v < ax.taps(); v++) {
          // Element j of the phase takes tap u from output j - u + padLo.
          int off = (ay.padLo() - u + ey) * wg + ax.padLo() - v + ex;
          byOff.computeIfAbsent(List.of(off, ay.len() * wg), kk -> new ArrayList<>()).add(new int[] {k, u, v});
        }
      }
    }
    List<TapGroup> list = new ArrayList<>();
    for (Map.Entry<List<Integer>, List<int[]>> e : byOff.entrySet()) {
      List<int[]> taps = e.getValue();
      taps.sort((a, b) -> Integer.compare(a[0], b[0]));
      for (int i = 0; i < taps.size();) {
        int j = i + 1;
        while (j < taps.size() && taps.get(j)[0] == taps.get(j - 1)[0] + 1) {
          j++;
        }
        int count = j - i;
        int rows = count * cinG;
        // Stacked W^T: rows (member, ci), stored transposed as coutG x rows.
        float[] stacked = new float[coutG * rows];
        PackedMatrix[] packed = new PackedMatrix[p.groups()];
        for (int g = 0; g < p.groups(); g++) {
          for (int m = 0; m < count; m++) {
            int[] t = taps.get(i + m);
            Phase ph = phases.get(t[0]);
            int tap = (ph.ay().tapStart() + ph.ay().tapStep() * t[1]) * p.kw() + ph.ax().tapStart()
                + ph.ax().tapStep() * t[2];
            for (int co = 0; co < coutG; co++) {
              for (int ci = 0; ci < cinG; ci++) {
                stacked[co * rows + m * cinG + ci] = weight[((g * coutG + co) * cinG + ci) * p.kh() * p.kw() + tap];
              }
            }
          }
          packed[g] = GEMM.packA(true, rows, coutG, stacked, 0, rows);
        }
        list.add(new TapGroup(e.getKey().get(0), e.getKey().get(1), taps.get(i)[0], count, packed));
        i = j;
      }
    }
    list.sort((a, b) -> Integer.compare(b.count(), a.count()));
    return list;
  }

  /**
   * The phases' input gradients ({@code cinG} wide planes each, {@code Ly x wg}) into {@code gxs}: one
   * GEMM per tap group over the bordered gOut {@code padded} (channels {@code planeG} apart).
   */
  private static void inputGrad(List<Phase> phases, List<TapGroup> tapGroups, int g, int cinG, float[] padded,
      int planeG, float[] gxs) {
    boolean[] written = new boolean[phases.size()];
    for (TapGroup tg : tapGroups) {
      boolean any = false;
      boolean all = true;
      for (int k = tg.first(); k < tg.first() + tg.count(); k++) {
        any |= written[k];
        all &= written[k];
      }
      if (any && !all) {
        // Beta 1 for the group: its members not yet written start from zero.
        for (int k = tg.first(); k < tg.first() + tg.count(); k++) {
          if (!written[k]) {
            int off = phases.get(k).wideOff();
            java.util.Arrays.fill(gxs, off, off + cinG * tg.n(), 0f);
          }
        }
      }
      GEMM.sgemmPacked(tg.packed()[g], false, tg.n(), padded, tg.off(), planeG, any ? 1f : 0f, gxs,
          phases.get(tg.first()).wideOff(), tg.n());
      for (int k = tg.first(); k < tg.first() + tg.count(); k++) {
        written[k] = true;
      }
    }
  }

  /**
   * Copies the phases' {@code c} wide input gradients (rows of width {@code ld}) into the (image,
   * group) of {@code gX} at {@code off} (plain stores: phases are disjoint, and gX is zeroed where
   * they do not cover it). Channel by channel, all phases at once, so that each plane of gX is written
   * while it is in the cache: phase by phase, every cache line of a stride-2 plane went to memory
   * twice.
   */
  private static void copyPhases(ConvParams p, List<Phase> phases, int c, float[] src, int off, float[] gX, int ld) {
    int h = p.h();
    int w = p.w();
    StrideTwo two = ConvBackward.useVector ? STRIDE_TWO : null;
    for (int ci = 0; ci < c; ci++) {
      for (int k = 0; k < phases.size(); k++) {
        Phase ph = phases.get(k);
        Axis ay = ph.ay();
        Axis ax = ph.ax();
        int rows = ay.len();
        int cols = ax.len();
        int dx = ax.inStep();
        int full = off + ci * h * w + ay.inStart() * w + ax.inStart();
        int phase = ph.wideOff() + ci * rows * ld;
        Phase next = k + 1 < phases.size() ? phases.get(k + 1) : null;
        if (two != null && dx == 2 && next != null && next.ay() == ay
            && Math.abs(next.ax().inStart() - ax.inStart()) == 1) {
          // Column phases 0 and 1 of a stride-2 row (the phases list them side by side, in either
          // order): interleaved into gX in one pass.
          Phase even = next.ax().inStart() < ax.inStart() ? next : ph;
          Phase odd = even == ph ? next : ph;
          cols = even.ax().len();
          full = off + ci * h * w + ay.inStart() * w + even.ax().inStart();
          phase = even.wideOff() + ci * rows * ld;
          int oddCols = odd.ax().len();
          int both = Math.min(cols, oddCols);
          int o = odd.wideOff() + ci * rows * ld;
          for (int i = 0; i < rows; i++, full += ay.inStep() * w, phase += ld, o += ld) {
            two.interleave(src, phase, src, o, gX, full, both);
            for (int j = both; j < cols; j++) {
              gX[full + 2 * j] = src[phase + j];
            }
            for (int j = both; j < oddCols; j++) {
              gX[full + 1 + 2 * j] = src[o + j];
            }
          }
          k++;
          continue;
        }
        for (int i = 0; i < rows; i++, full += ay.inStep() * w, phase += ld) {
          for (int j = 0; j < cols; j++) {
            gX[full + j * dx] = src[phase + j];
          }
        }
      }
    }
  }

  /**
   * Stride-2 row copies, the strided form's most common case: a Vector API twin of the plain loops
   * in {@link #copyPhases}, which (one element per iteration) took 10-15% of res3x3_s2's backward.
   */
  interface StrideTwo {
    /** {@code dst[d + j] = src[s + 2j]} for j in [0, n). */
    void gather(float[] src, int s, float[] dst, int d, int n);

    /** {@code dst[d + 2j] = even[e + j]} and {@code dst[d + 2j + 1] = odd[o + j]} for j in [0, n). */
    void interleave(float[] even, int e, float[] odd, int o, float[] dst, int d, int n);
  }

  static final StrideTwo STRIDE_TWO = loadStrideTwo();

  private static StrideTwo loadStrideTwo() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (StrideTwo) Class.forName("dev.jconv.internal.kernels.VectorStrideTwo").getDeclaredConstructor()
          .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /**
   * Adds the threads' transposed weight gradients ({@code groups} blocks of {@code cinG*kh*kw} rows of
   * {@code coutPad}) to gW ({@code coutG} rows of {@code cinG*kh*kw} per group).
   */
  private static void addWeightGrad(ConvParams p, List<float[]> sums, int coutPad, float[] gW) {
    // On one thread, after the region (over the threads, in blocks of rows, it took no less time).
    int coutG = p.coutPerGroup();
    int rows = p.cinPerGroup() * p.kh() * p.kw();
    float[] total = sums.get(0);
    for (int k = 1; k < sums.size(); k++) {
      float[] part = sums.get(k);
      for (int i = 0; i < total.length; i++) {
        total[i] += part[i];
      }
    }
    for (int g = 0; g < p.groups(); g++) {
      GEMM.addTransposed(total, g * rows * coutPad, coutPad, rows, coutG, gW, g * coutG * rows, rows);
    }
  }

  /**
   * Copies the members' parts of images [n0, n1) of {@code src} ({@code n x c x h x w}) into the stacked
   * phase array {@code dst}, image-major ({@code (n1-n0)*members x c x rows x cols}, stacked image
   * {@code (img - n0)*members + member}): their input elements when {@code input}, else their outputs.
   * Plane-major, so that a plane is read once into every member while it is in the cache.
   */
  private static void gather(Batch b, int n0, int n1, int c, int h, int w, int rows, int cols, boolean input,
      float[] src, float[] dst) {
    List<Axis[]> ms = b.members();
    int members = ms.size();
    StrideTwo two = ConvBackward.useVector ? STRIDE_TWO : null;
    Parallel.forRange((n1 - n0) * c * members, Math.max(1, (1 << 14) / Math.max(1, rows * cols)), (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        Axis[] m = ms.get(pl % members);
        int ch = pl / members % c;
        int img = pl / members / c;
        int y0 = input ? m[0].inStart() : m[0].outStart();
        int dy = input ? m[0].inStep() : m[0].outStep();
        int x0 = input ? m[1].inStart() : m[1].outStart();
        int dx = input ? m[1].inStep() : m[1].outStep();
        int s = ((n0 + img) * c + ch) * h * w + y0 * w + x0;
        int d = ((img * members + pl % members) * c + ch) * rows * cols;
        for (int i = 0; i < rows; i++, s += dy * w, d += cols) {
          if (dx == 1) {
            System.arraycopy(src, s, dst, d, cols);
          } else if (dx == 2 && two != null) {
            two.gather(src, s, dst, d, cols);
          } else {
            for (int j = 0; j < cols; j++) {
              dst[d + j] = src[s + j * dx];
            }
          }
        }
      }
    });
  }

  /** The transpose of {@link #gather} for the input: each member's phase gradient into {@code gX}. */
  private static void scatter(Batch b, int n0, int n1, int c, int h, int w, int rows, int cols, float[] src,
      float[] gX) {
    List<Axis[]> ms = b.members();
    int members = ms.size();
    StrideTwo two = ConvBackward.useVector ? STRIDE_TWO : null;
    Parallel.forRange((n1 - n0) * c * members, Math.max(1, (1 << 14) / Math.max(1, rows * cols)), (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        Axis[] m = ms.get(pl % members);
        int ch = pl / members % c;
        int img = pl / members / c;
        int dy = m[0].inStep();
        int dx = m[1].inStep();
        int d = ((n0 + img) * c + ch) * h * w + m[0].inStart() * w + m[1].inStart();
        int s = ((img * members + pl % members) * c + ch) * rows * cols;
        Axis[] next = pl % members + 1 < members && pl + 1 < p1 ? ms.get(pl % members + 1) : null;
        if (two != null && dx == 2 && next != null && next[0] == m[0] && next[1].inStep() == 2
            && next[1].inStart() == m[1].inStart() + 1) {
          // Column phases 0 and 1 of the same rows (neighbours in the batch, same shape): interleaved
          // into gX in one pass. The next member's plane for this channel is c planes on.
          int s2 = s + c * rows * cols;
          for (int i = 0; i < rows; i++, d += dy * w, s += cols, s2 += cols) {
            two.interleave(src, s, src, s2, gX, d, cols);
          }
          pl++;
          continue;
        }
        // Phases are disjoint: plain stores (gX is zeroed where they do not cover it).
        for (int i = 0; i < rows; i++, d += dy * w, s += cols) {
          if (dx == 1) {
            System.arraycopy(src, s, gX, d, cols);
          } else {
            for (int j = 0; j < cols; j++) {
              gX[d + j * dx] = src[s + j];
            }
          }
        }
      }
    });
  }
}
