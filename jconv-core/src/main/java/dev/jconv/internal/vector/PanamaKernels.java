package dev.jconv.internal.vector;

/**
 * The Vector API kernels for one vector width. There is one subclass per width
 * ({@link Panama128}, {@link Panama256}, {@link Panama512}) with the same code and its own
 * {@code static final} species, because C2 compiles Vector API calls to SIMD instructions only
 * for a constant species: a species passed in a field or argument would run the slow Java
 * fallback. Keeping the widths side by side lets the tests run every width in one JVM.
 */
abstract class PanamaKernels {

  /** Rows of the GEMM micro-kernel's register block. */
  static final int MR = 6;

  /** Float lanes per vector. */
  abstract int lanes();

  /**
   * The GEMM micro-kernel: {@code C[0:MR, 0:2*lanes] = (accumulate ? C : 0) + Ap * Bp}, where
   * row r of {@code Ap} at step p is {@code ap[aIdx + r*aRow + p*aStep]} (a packed panel:
   * {@code aRow = 1, aStep = MR}; a row-major A read in place: {@code aRow = lda, aStep = 1}; a
   * transposed one: {@code aRow = 1, aStep = lda}) and {@code Bp} holds {@code 2*lanes}
   * contiguous values per step, from {@code bp[bIdx]}, steps {@code bStep} apart (a packed panel:
   * {@code 2*lanes}; B itself: its row length). Writes {@code C[r][j]} at
   * {@code c[cIdx + r*ldc + j]}. With {@code bias != null} (and not {@code accumulate}) row r
   * starts from {@code bias[biasIdx + r]} instead of 0.
   */
  abstract void gemmMicro(float[] ap, int aIdx, int aRow, int aStep, float[] bp, int bIdx, int bStep,
      int kc, float[] c, int cIdx, int ldc, boolean accumulate, float[] bias, int biasIdx);

  /** {@link #gemmMicro} for 4 rows of C instead of {@link #MR}. */
  abstract void gemmMicro4(float[] ap, int aIdx, int aRow, int aStep, float[] bp, int bIdx, int bStep,
      int kc, float[] c, int cIdx, int ldc, boolean accumulate, float[] bias, int biasIdx);

  /**
   * {@link #gemmMicro}'s block over steps in {@code rows} rows of {@code cols} steps, always adding to
   * C: {@code C[0:MR, 0:2*lanes] += sum over r < rows, q < cols of A(r, q) B(r, q)}, where row i of
   * {@code A(r, q)} is {@code ap[aIdx + i*aRow + r*aRowStep + q*aStep]} and {@code B(r, q)} is the
   * {@code 2*lanes} values from {@code bp[bIdx + r*bRowStep + q*2*lanes]}. The strided weight
   * gradient's product ({@link PanamaStridedGrad}).
   */
  abstract void gemmMicroRows(float[] ap, int aIdx, int aRow, int aStep, int aRowStep, float[] bp, int bIdx,
      int bRowStep, int cols, int rows, float[] c, int cIdx, int ldc);

  /** {@link #gemmMicroRows} for 4 rows of C instead of {@link #MR}. */
  abstract void gemmMicroRows4(float[] ap, int aIdx, int aRow, int aStep, int aRowStep, float[] bp, int bIdx,
      int bRowStep, int cols, int rows, float[] c, int cIdx, int ldc);

  /**
   * The register block of {@link PanamaStride2InputGrad}: the input gradient of 4 input channels at
   * {@code 2*lanes} consecutive positions {@code f0...} of one row phase of a 3x3, stride-2, padding-1
   * convolution, both column parities, interleaved into {@code acc} (channel c's {@code 4*lanes}
   * values from {@code c*4*lanes}, in gX's order). For each of {@code cout} output channels, the
   * weights come from {@code ap[a...]} ({@code aStep} apart: per tap u, 4 channels x 3 taps v) and
   * the bordered output gradient from {@code gp[f0 + co*planeP + r]} for row offset {@code r0} and,
   * unless negative, {@code r1}; {@code mask[f]} is false where position f is the last of its row.
   */
  abstract void stride2Tile(float[] ap, int a, int cout, int aStep, int r0, int r1, float[] gp, int planeP, int f0,
      boolean[] mask, float[] acc);

  /** See {@link KernelProvider#addTransposed}. */
  abstract void addTransposed(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff, int ldd);

  /**
   * Packs a panel of a transposed B: {@code bp[base + p*2L + j] = b[bOff + j*ldb + p]} for
   * {@code j < 2L, p < kc}, {@code L = lanes()}.
   */
  abstract void packPanelT(float[] b, int bOff, int ldb, int kc, float[] bp, int base);

  /** Sum of {@code x[xOff+i] * y[yOff+i]} over {@code i < n}. */
  abstract float dot(float[] x, int xOff, float[] y, int yOff, int n);

  /** {@code y[yOff+i] += alpha * x[xOff+i]} for {@code i < n}. */
  abstract void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /** See {@link KernelProvider#winogradInput}. */
  abstract void winogradInput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] v, int vOff, int vStride);

  /** See {@link KernelProvider#winogradOutput}. */
  abstract void winogradOutput(float[] m, int mOff, int mStride, int count, float[] y, int yStride);

  /** See {@link KernelProvider#winogradGradOutput}. */
  abstract void winogradGradOutput(float[] src, int srcOff, int ld, int[] offsets, int offOff,
      int count, float[] u, int uOff, int uStride);

  /** See {@link KernelProvider#depthwiseRow}. */
  abstract void depthwiseRow(float[] src, int[] rowOff, int kh, int kw, int dw, float[] w,
      int wOff, float bias, float[] out, int outOff, int n);

  /** See {@link KernelProvider#depthwise3x3Rows2}. */
  abstract void depthwise3x3Rows2(float[] src, int r0, int wp, int dw, float[] w, int wOff,
      float bias, float[] out, int outOff, int outW, int n);

  /** See {@link KernelProvider#directRow6}. */
  abstract void directRow6(float[] src, int[] tapOff, int taps, float[] w6, float[] bias6,
      float[] out, int outOff, int outStride, int rows, int n);

  /** See {@link KernelProvider#directChannels}. */
  abstract void directChannels(float[] src, int[] pixOff, int np, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, float[] out, int outOff);

  /** See {@link KernelProvider#blockToPlanes}. */
  abstract void blockToPlanes(float[] block, int np, int cpad, int cout, float[] out, int outOff,
      int plane);

  /** See {@link KernelProvider#directChannelsRow}. */
  abstract void directChannelsRow(float[] src, int base, int np, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, float[] out, int outOff);

  /** The kernels for {@code bits} (128, 256 or 512). */
  static PanamaKernels forBits(int bits) {
    return switch (bits) {
      case 128 -> new Panama128();
      case 256 -> new Panama256();
      case 512 -> new Panama512();
      default -> throw new IllegalArgumentException("no Vector API kernels for " + bits + "-bit vectors");
    };
  }
}
