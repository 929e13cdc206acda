package dev.jconv.internal.vector;

import dev.jconv.internal.parallel.Parallel;

/**
 * Float32 matrix multiply with the Vector API, laid out as BLIS does: B is packed into panels
 * {@code NR = 2 vectors} wide, and a register-blocked micro-kernel keeps an {@code MR x NR} block
 * of C in {@code 2*MR} vector accumulators while it streams through {@code KC} steps of the
 * shared dimension. A, which the micro-kernel only broadcasts, is read in place, {@code MR} rows at
 * a time (packed only for a last panel of fewer rows, when rows of a transposed A are 4 KB apart,
 * and by {@link #pack} for reuse). B too is read in place when its panels would serve too few rows
 * of A to pay for their copy, or when they are shallow (see {@link #DIRECT_B_MAX_ROWS} and
 * {@link #DIRECT_B_MAX_DEPTH}).
 *
 * <p>Blocking, for the caches of a core: a {@code KC x NR} panel of B (the micro-kernel's
 * reused operand) stays in L1, an {@code MC x KC} block of A in L2, a {@code KC x NC} block of B
 * in L3. Threads take disjoint rectangles of C, so they never write the same cache line, and each
 * packs its own panels (no barriers between the steps).
 *
 * <p>This class references Vector API types: only {@link PanamaProvider} loads it, and only when
 * the module {@code jdk.incubator.vector} is present.
 */
final class PanamaGemm {

  private static final int MR = PanamaKernels.MR;

  /**
   * Up to this many rows of C, B's full panels are read in place instead of packed (see
   * {@link #macroKernel}); beyond, each packed panel is reused often enough to pay for its copy.
   */
  private static final int DIRECT_B_MAX_ROWS = 4 * PanamaKernels.MR;

  /**
   * Up to this depth (KC step), B's full panels are read in place whatever the rows: a panel's
   * {@code kc} rows of 2 vectors then fit L1 (and its TLB) in place as well as packed, and packing
   * would copy all of B for a product that does only {@code 2 * kc} flops per element of C. The
   * 1x1 convolution's forward (res1x1_56: k = 64, B the 64 x 3136 image) is such a product; there
   * the time moved by no more than the machine's noise (a few percent, in the right direction).
   * Only for rows of B that spread over L1's sets ({@link #rowsFitL1}).
   */
  private static final int DIRECT_B_MAX_DEPTH = 64;

  /**
   * Columns of C per block when a single row block of A meets a deeper B that is read in place
   * (see {@link #block}): the block's C (res1x1_56's input gradient: 64 x 512, 128 KB) stays in
   * L2 across the KC steps that add to it.
   */
  private static final int SPLIT_DEPTH_NC = 512;

  /**
   * A transposed A whose rows (floats) are a multiple of this is packed, not read in place: the
   * micro-kernel would step through A {@code lda} floats at a time, and a 4 KB stride lands every
   * step in the same few cache sets.
   */
  private static final int CONFLICT_STRIDE = 1024;

  /** Columns of B packed together (see {@link #packBPanels}): 2 KB runs of each row. */
  private static final int PACK_RUN = 512;

  /**
   * Below this many flops a call runs on the calling thread: forking costs a few microseconds,
   * which is the time of a 64x64x64 product.
   */
  private static final long PARALLEL_MIN_FLOPS = 2L * 64 * 64 * 64;

  private final PanamaKernels kernels;
  private final int lanes;
  private final int nr;
  private final int kcMax;
  private final int mcMax;
  private final int ncMax;
  private final int packCols;

  /** Per-thread packing buffers, grown on demand: A block (or edge panel), B block, edge tile. */
  private final ThreadLocal<float[][]> buffers;

  PanamaGemm(PanamaKernels kernels) {
    this.kernels = kernels;
    this.lanes = kernels.lanes();
    this.nr = 2 * lanes;
    // KC x NR floats of B must stay in a 32-48 KB L1 next to the A panel: 256 x 32 x 4 = 32 KB at
    // 512 bits; narrower vectors leave room for a deeper KC.
    this.kcMax = 256;
    this.mcMax = MR * 24;
    this.ncMax = nr * (4096 / nr);
    this.packCols = Math.max(1, PACK_RUN / nr) * nr;
    this.buffers = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[MR * nr]});
  }

  int lanes() {
    return lanes;
  }

  void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    run(transA, a, aOff, lda, null, transB, m, n, k, b, bOff, ldb, beta, null, 0, c, cOff, ldc);
  }

  /** {@link KernelProvider#sgemmBias}: beta 0, each row of C starting from its bias. */
  void sgemmBias(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
    run(transA, a, aOff, lda, null, transB, m, n, k, b, bOff, ldb, 0f, bias, biasOff, c, cOff, ldc);
  }

  /** Packs op(A) as {@link #block} would, every KC step at once: step pc's panels at pc * mPad. */
  PackedMatrix pack(boolean transA, int m, int k, float[] a, int aOff, int lda,
      PackedMatrix reuse) {
    int mPad = roundUp(Math.max(m, 1), MR);
    boolean fits = reuse != null && reuse.owner == this && reuse.rows == m && reuse.cols == k;
    // Every element is written below (padding rows as zeros), so reused storage needs no clearing.
    float[] data = fits ? reuse.data : new float[mPad * k];
    int off = fits ? reuse.offset : 0;
    int kcStep = kcStep(k);
    for (int pc = 0; pc < k; pc += kcStep) {
      packA(transA, a, aOff, lda, 0, m, pc, Math.min(kcStep, k - pc), data, off + pc * mPad);
    }
    return fits ? reuse : new PackedMatrix(m, k, data, this);
  }

  /**
   * {@link KernelProvider#packA(int, int, int, KernelProvider.PackSource, PackedMatrix[])}: the
   * layout of {@link #pack}, each MR-row panel of each KC step one block of the source, the panels
   * spread over the threads.
   */
  PackedMatrix[] packSet(int count, int m, int k, KernelProvider.PackSource source,
      PackedMatrix[] reuse) {
    int mPad = roundUp(Math.max(m, 1), MR);
    int stride = PackedMatrix.setStride(mPad * k);
    boolean fits = PackedMatrix.reusableSet(reuse, count, m, k, stride, this);
    float[] data = fits ? reuse[0].data : new float[Math.multiplyExact(count, stride)];
    int kcStep = kcStep(k);
    Parallel.forRange(Math.ceilDiv(m, MR), Math.ceilDiv(4096, MR * Math.max(1, k)), (start, end) -> {
      for (int q = start; q < end; q++) {
        int ir = q * MR;
        int rows = Math.min(MR, m - ir);
        for (int pc = 0; pc < k; pc += kcStep) {
          int kc = Math.min(kcStep, k - pc);
          int off = pc * mPad + ir * kc;
          source.write(ir, rows, pc, kc, data, off, stride, 1, MR);
          // The micro-kernel reads all MR rows of a panel: zeros past the last row.
          for (int e = 0; rows < MR && e < count; e++) {
            for (int p = 0; p < kc; p++) {
              int at = e * stride + off + p * MR;
              java.util.Arrays.fill(data, at + rows, at + MR, 0f);
            }
          }
        }
      }
    });
    return PackedMatrix.set(count, m, k, data, stride, this, reuse, fits);
  }

  void sgemmPacked(PackedMatrix a, boolean transB, int n, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    assert a.owner == this : "matrix packed by another provider";
    run(false, null, 0, 0, a, transB, a.rows, n, a.cols, b, bOff, ldb, beta, null, 0, c, cOff, ldc);
  }

  /** The KC step for depth k: equal steps of at most kcMax. */
  private int kcStep(int k) {
    // Equal KC steps (576 -> 3 x 192, not 256 + 256 + 64): a short last step would pay the load
    // and store of C for few FMAs.
    int kSteps = Math.max(1, (k + kcMax - 1) / kcMax);
    return (k + kSteps - 1) / kSteps;
  }

  /** The product, with A either raw ({@code packed == null}) or packed. */
  private void run(boolean transA, float[] a, int aOff, int lda, PackedMatrix packed,
      boolean transB, int m, int n, int k, float[] b, int bOff, int ldb, float beta, float[] bias,
      int biasOff, float[] c, int cOff, int ldc) {
    if (m <= 0 || n <= 0) {
      return;
    }
    if (k <= 0) {
      if (beta == 0f) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, bias == null ? 0f : bias[biasOff + i]);
        }
      }
      return;
    }
    int threads = Parallel.getNumThreads();
    long flops = 2L * m * n * k;
    if (threads <= 1 || flops < PARALLEL_MIN_FLOPS) {
      block(transA, a, aOff, lda, packed, transB, 0, m, 0, n, k, b, bOff, ldb, beta, bias, biasOff,
          c, cOff, ldc);
      return;
    }
    int rowPanels = (m + MR - 1) / MR;
    int colPanels = (n + nr - 1) / nr;
    // Choose tm x tn = threads rectangles, as square as the panel counts allow: splitting rows makes
    // every thread pack all of B, splitting columns makes every thread pack all of A.
    int bestTm = 1;
    double bestScore = Double.MAX_VALUE;
    for (int tm = 1; tm <= threads; tm++) {
      if (threads % tm != 0) {
        continue;
      }
      int tn = threads / tm;
      if (tm > rowPanels || tn > colPanels) {
        continue;
      }
      double rows = (double) m / tm;
      double cols = (double) n / tn;
      double score = Math.abs(Math.log(rows / cols));
      if (score < bestScore) {
        bestScore = score;
        bestTm = tm;
      }
    }
    final int tm = bestTm;
    final int tn = bestScore == Double.MAX_VALUE ? 1 : threads / tm;
    Parallel.forRange(tm * tn, 1, (start, end) -> {
      for (int t = start; t < end; t++) {
        int ti = t / tn;
        int tj = t % tn;
        int i0 = Math.min(m, (int) ((long) rowPanels * ti / tm) * MR);
        int i1 = Math.min(m, (int) ((long) rowPanels * (ti + 1) / tm) * MR);
        int j0 = Math.min(n, (int) ((long) colPanels * tj / tn) * nr);
        int j1 = Math.min(n, (int) ((long) colPanels * (tj + 1) / tn) * nr);
        if (i0 < i1 && j0 < j1) {
          block(transA, a, aOff, lda, packed, transB, i0, i1, j0, j1, k, b, bOff, ldb, beta, bias,
              biasOff, c, cOff, ldc);
        }
      }
    });
  }

  /**
   * C[i0:i1, j0:j1] = op(A)[i0:i1, :] op(B)[:, j0:j1] + beta C, on the calling thread; i0 is a
   * multiple of MR. A comes packed when {@code packed != null}.
   */
  private void block(boolean transA, float[] a, int aOff, int lda, PackedMatrix packed,
      boolean transB, int i0, int i1, int j0, int j1, int k, float[] b, int bOff, int ldb,
      float beta, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
    float[][] buf = buffers.get();
    int kcStep = kcStep(k);
    int ncStep = ncMax;
    int splitStep = Math.ceilDiv(k, Math.ceilDiv(k, DIRECT_B_MAX_DEPTH));
    if (!transB && packed == null && i1 - i0 > DIRECT_B_MAX_ROWS && i1 - i0 <= mcMax
        && kcStep > DIRECT_B_MAX_DEPTH && rowsFitL1(ldb, splitStep)) {
      // One row block (at most 24 panels of A) uses each packed B panel too few times to pay for
      // the copy, which also writes all of B once more (res1x1_56's input gradient: W^T, 64 x 256,
      // times gOut, 256 x 3136 per image). Instead, KC steps of at most DIRECT_B_MAX_DEPTH read B
      // in place, on narrower column blocks whose C stays in cache between the steps: 0.93-0.96x
      // the time of that input gradient at 1 and 2 threads (same JVM, A/B alternating).
      kcStep = splitStep;
      ncStep = SPLIT_DEPTH_NC;
    }
    boolean direct = !transB && (i1 - i0 <= DIRECT_B_MAX_ROWS
        || kcStep <= DIRECT_B_MAX_DEPTH && rowsFitL1(ldb, kcStep));
    // Read in place, a B panel comes from memory once per row block: one row block for all the
    // rows when A's block stays within the budget of a packed one (res1x1_56's 256 x 64 weights).
    int mcBlock = direct && (long) (i1 - i0) * kcStep <= (long) mcMax * kcMax ? i1 - i0 : mcMax;
    int kcCap = Math.min(kcMax, k);
    int ncCap = Math.min(ncMax, roundUp(j1 - j0, nr));
    int mcCap = Math.min(roundUp(mcBlock, MR), roundUp(i1 - i0, MR));
    if (packed == null && buf[0].length < mcCap * kcCap) {
      buf[0] = new float[mcCap * kcCap];
    }
    if (buf[1].length < ncCap * kcCap) {
      buf[1] = new float[ncCap * kcCap];
    }
    float[] ap = packed == null ? buf[0] : packed.data;
    float[] bp = buf[1];
    float[] tile = buf[2];
    int mPad = packed == null ? 0 : roundUp(Math.max(packed.rows, 1), MR);
    for (int jc = j0; jc < j1; jc += ncStep) {
      int nc = Math.min(ncStep, j1 - jc);
      for (int pc = 0; pc < k; pc += kcStep) {
        int kc = Math.min(kcStep, k - pc);
        // The first KC step applies beta; later steps add to what the first one stored.
        boolean accumulate = pc > 0 || beta != 0f;
        // A bias enters with the first KC step, in the micro-kernel's registers (a separate pass
        // over C before the product cost res1x1_56 a fifth of its time).
        float[] stepBias = pc == 0 ? bias : null;
        for (int ic = i0; ic < i1; ic += mcBlock) {
          int mc = Math.min(mcBlock, i1 - ic);
          // B panels are packed during the first row block, each right before its first use, so
          // the packed panel is still in L1 when the micro-kernel reads it. Read in place, every
          // row block needs B (its edge panel is packed again each time).
          float[] bSrc = ic == i0 || direct ? b : null;
          int cBase = cOff + ic * ldc + jc;
          if (packed != null) {
            macroKernel(packed.data, packed.offset + pc * mPad + ic * kc, 1, MR, MR * kc, null, bp, 0, mc, nc, kc, c, cBase,
                ldc, accumulate, stepBias, biasOff + ic, tile, bSrc, bOff, ldb, transB, direct, pc, jc);
          } else if (transA && lda % CONFLICT_STRIDE == 0) {
            packA(true, a, aOff, lda, ic, mc, pc, kc, ap, 0);
            macroKernel(ap, 0, 1, MR, MR * kc, null, bp, 0, mc, nc, kc, c, cBase, ldc, accumulate,
                stepBias, biasOff + ic, tile, bSrc, bOff, ldb, transB, direct, pc, jc);
          } else {
            // A read in place: the micro-kernel's broadcasts load any address as cheaply as a
            // packed one, and packing a row-major A is a strided transpose that cost as much as
            // the product on the weight gradient's long, thin GEMMs. Only a last panel of fewer
            // than MR rows is packed (zero-padded), so no row past the matrix is read.
            int full = mc - mc % MR;
            float[] edge = null;
            if (full < mc) {
              packA(transA, a, aOff, lda, ic + full, mc - full, pc, kc, ap, 0);
              edge = ap;
            }
            int aIdx = transA ? aOff + pc * lda + ic : aOff + ic * lda + pc;
            int aRow = transA ? 1 : lda;
            int aStep = transA ? lda : 1;
            macroKernel(a, aIdx, aRow, aStep, MR * aRow, edge, bp, 0, mc, nc, kc, c, cBase, ldc, accumulate,
                stepBias, biasOff + ic, tile, bSrc, bOff, ldb, transB, direct, pc, jc);
          }
        }
      }
    }
  }

  /**
   * Runs the micro-kernel over an MC x NC block; packs B's panels first when {@code b != null}.
   * Row r of A's panel q at step p is {@code a[aIdx + q*aPanel + r*aRow + p*aStep]}, except that a
   * last panel of fewer than MR rows is read from {@code edge} (packed, from index 0) when that is
   * not null.
   */
  private void macroKernel(float[] a, int aIdx, int aRow, int aStep, int aPanel, float[] edge,
      float[] bp, int bpOff, int mc, int nc, int kc, float[] c, int cBase, int ldc, boolean accumulate,
      float[] bias, int biasIdx, float[] tile, float[] b, int bOff, int ldb, boolean transB,
      boolean directB, int pc, int jc) {
    PanamaKernels kern = kernels;
    // With few rows (LeNet's 6 or 16 output channels) each B panel serves only a panel or two of
    // A, and copying it would cost as much as using it: read full panels straight from B (see
    // also DIRECT_B_MAX_DEPTH). The caller then passes B to every row block.
    boolean direct = b != null && directB;
    for (int jr = 0; jr < nc; jr += nr) {
      int nEdge = Math.min(nr, nc - jr);
      float[] bArr = bp;
      int bIdx = bpOff + jr * kc;
      int bStep = nr;
      if (direct) {
        if (nEdge == nr) {
          bArr = b;
          bIdx = bOff + pc * ldb + jc + jr;
          bStep = ldb;
        } else {
          packBPanel(false, b, bOff, ldb, pc, kc, jc + jr, nEdge, bp, bIdx);
        }
      } else if (b != null && jr % packCols == 0) {
        packBPanels(transB, b, bOff, ldb, pc, kc, jc + jr, Math.min(packCols, nc - jr), bp, bIdx);
      }
      for (int ir = 0; ir < mc; ir += MR) {
        int mEdge = Math.min(MR, mc - ir);
        int cIdx = cBase + ir * ldc + jr;
        float[] aArr = a;
        int aI = aIdx + (ir / MR) * aPanel;
        int rowStride = aRow;
        int step = aStep;
        if (mEdge < MR && edge != null) {
          aArr = edge;
          aI = 0;
          rowStride = 1;
          step = MR;
        }
        if (mEdge == MR && nEdge == nr) {
          kern.gemmMicro(aArr, aI, rowStride, step, bArr, bIdx, bStep, kc, c, cIdx, ldc, accumulate,
              bias, biasIdx + ir);
        } else if (mEdge == 4 && nEdge == nr) {
          // 64 rows are 10 panels and 4 rows: straight into C, not a 6-row tile copied out
          // (res1x1_56's input gradient per chunk, 64 x 448 x 256: 0.95x the time).
          kern.gemmMicro4(aArr, aI, rowStride, step, bArr, bIdx, bStep, kc, c, cIdx, ldc, accumulate,
              bias, biasIdx + ir);
        } else {
          // Edge tiles compute a full (zero-padded) tile into a scratch block, then copy the part
          // that exists: one code path for the kernel, no masked loads in the hot loop.
          kern.gemmMicro(aArr, aI, rowStride, step, bArr, bIdx, bStep, kc, tile, 0, nr, false, null, 0);
          for (int r = 0; r < mEdge; r++) {
            int cr = cIdx + r * ldc;
            int tr = r * nr;
            if (accumulate) {
              for (int j = 0; j < nEdge; j++) {
                c[cr + j] += tile[tr + j];
              }
            } else if (bias != null) {
              float bv = bias[biasIdx + ir + r];
              for (int j = 0; j < nEdge; j++) {
                c[cr + j] = tile[tr + j] + bv;
              }
            } else {
              System.arraycopy(tile, tr, c, cr, nEdge);
            }
          }
        }
      }
    }
  }

  /**
   * Packs op(A)[ic:ic+mc, pc:pc+kc] into MR-row panels from ap[apOff], k-major inside a panel,
   * zero-padded.
   */
  private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc,
      int kc, float[] ap, int apOff) {
    for (int ir = 0; ir < mc; ir += MR) {
      int rows = Math.min(MR, mc - ir);
      int base = apOff + ir * kc;
      if (!transA) {
        for (int r = 0; r < rows; r++) {
          int src = aOff + (ic + ir + r) * lda + pc;
          for (int p = 0; p < kc; p++) {
            ap[base + p * MR + r] = a[src + p];
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int src = aOff + (pc + p) * lda + ic + ir;
          int dst = base + p * MR;
          for (int r = 0; r < rows; r++) {
            ap[dst + r] = a[src + r];
          }
        }
      }
      if (rows < MR) {
        for (int p = 0; p < kc; p++) {
          for (int r = rows; r < MR; r++) {
            ap[base + p * MR + r] = 0f;
          }
        }
      }
    }
  }

  /**
   * Packs op(B)[pc:pc+kc, j0:j0+cols] as consecutive NR-column panels from bp[base]. Several
   * panels at a time, so that each row of B is read as one longer contiguous run (the hardware
   * prefetcher follows those; it loses track of many short rows far apart).
   */
  private void packBPanels(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0,
      int cols, float[] bp, int base) {
    if (!transB) {
      int w = nr;
      for (int p = 0; p < kc; p++) {
        int src = bOff + (pc + p) * ldb + j0;
        for (int jr = 0; jr < cols; jr += w) {
          int dst = base + jr * kc + p * w;
          int take = Math.min(w, cols - jr);
          System.arraycopy(b, src + jr, bp, dst, take);
          if (take < w) {
            java.util.Arrays.fill(bp, dst + take, dst + w, 0f);
          }
        }
      }
      return;
    }
    for (int jr = 0; jr < cols; jr += nr) {
      packBPanel(transB, b, bOff, ldb, pc, kc, j0 + jr, Math.min(nr, cols - jr), bp, base + jr * kc);
    }
  }

  /** Packs op(B)[pc:pc+kc, j0:j0+cols] as one NR-column panel at bp[base], k-major, zero-padded. */
  private void packBPanel(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0,
      int cols, float[] bp, int base) {
    int w = nr;
    if (!transB) {
      for (int p = 0; p < kc; p++) {
        int src = bOff + (pc + p) * ldb + j0;
        int dst = base + p * w;
        System.arraycopy(b, src, bp, dst, cols);
        if (cols < w) {
          java.util.Arrays.fill(bp, dst + cols, dst + w, 0f);
        }
      }
    } else if (cols == w) {
      kernels.packPanelT(b, bOff + j0 * ldb + pc, ldb, kc, bp, base);
    } else {
      for (int j = 0; j < cols; j++) {
        int src = bOff + (j0 + j) * ldb + pc;
        for (int p = 0; p < kc; p++) {
          bp[base + p * w + j] = b[src + p];
        }
      }
      if (cols < w) {
        for (int p = 0; p < kc; p++) {
          java.util.Arrays.fill(bp, base + p * w + cols, base + (p + 1) * w, 0f);
        }
      }
    }
  }

  /**
   * Whether {@code kc} rows of B, {@code ldb} floats apart, read in place share L1's 64 sets with at
   * most 4 rows a set. A row length that is a multiple of many cache lines maps the rows onto few
   * sets: res_stem's input gradient reads gOut rows of 112 x 112 floats, which fall on 4 sets, and
   * ran 1.1x slower in place than packed (res1x1_56's 56 x 56 floats fall on 16).
   */
  static boolean rowsFitL1(int ldb, int kc) {
    if (ldb % 16 != 0) {
      return true;
    }
    int lines = (ldb / 16) % 64;
    int sets = 64 / (lines == 0 ? 64 : Integer.lowestOneBit(lines));
    return Math.ceilDiv(kc, sets) <= 4;
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }
}
