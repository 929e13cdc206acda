package dev.jconv.internal.vector;

/**
 * The Vector API kernels ({@code jdk.incubator.vector}) at one vector width. Loaded only
 * reflectively by {@link KernelProviders}, and only when the module is in the boot layer.
 */
final class PanamaProvider implements KernelProvider {

  private final int bits;
  private final PanamaKernels kernels;
  private final PanamaGemm gemm;
  private final PanamaImageLanes imageLanes;

  /**
   * @param bits 128, 256 or 512; 0 picks the CPU's preferred width (capped at 512)
   * @throws UnsupportedOperationException when the preferred width is below 128 bits
   */
  PanamaProvider(int bits) {
    if (bits == 0) {
      bits = Math.min(512, PanamaConstants.PREFERRED_BITS);
      if (bits < 128) {
        throw new UnsupportedOperationException(
            "the CPU's preferred float vector has " + bits + " bits; jconv needs 128 or more");
      }
    }
    this.bits = bits;
    this.kernels = PanamaKernels.forBits(bits);
    this.gemm = new PanamaGemm(kernels);
    this.imageLanes = PanamaImageLanes.forBits(bits);
  }

  /** Widest vector the CPU runs natively, in bits. */
  static int preferredBits() {
    return PanamaConstants.PREFERRED_BITS;
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
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    gemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public PackedMatrix packA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
    return gemm.pack(transA, m, k, a, aOff, lda, null);
  }

  @Override
  public PackedMatrix packA(boolean transA, int m, int k, float[] a, int aOff, int lda,
      PackedMatrix reuse) {
    return gemm.pack(transA, m, k, a, aOff, lda, reuse);
  }

  @Override
  public PackedMatrix[] packA(int count, int m, int k, PackSource source, PackedMatrix[] reuse) {
    return gemm.packSet(count, m, k, source, reuse);
  }

  @Override
  public void sgemmBias(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float[] bias, int biasOff, float[] c, int cOff,
      int ldc) {
    gemm.sgemmBias(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bias, biasOff, c, cOff, ldc);
  }

  @Override
  public void addTransposed(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff, int ldd) {
    kernels.addTransposed(src, srcOff, lds, rows, cols, dst, dstOff, ldd);
  }

  @Override
  public boolean hasStride2InputGrad(int cin, int h, int w, int outH, int outW) {
    return PanamaStride2InputGrad.applies(kernels, cin, h, w, outH, outW);
  }

  @Override
  public int stride2Scratch(int cout, int outH, int outW) {
    return PanamaStride2InputGrad.scratch(kernels, cout, outH, outW);
  }

  @Override
  public int stride2WeightsLength(int cout, int cin) {
    return PanamaStride2InputGrad.packedLength(cout, cin);
  }

  @Override
  public void packStride2Weights(float[] weight, int wOff, int cout, int cin, int part, int parts, float[] dst) {
    PanamaStride2InputGrad.pack(weight, wOff, cout, cin, part, parts, dst);
  }

  @Override
  public void stride2InputGrad(float[] packedW, float[] gOut, int oOff, int cout, int cin, int outH, int outW,
      int part, int parts, float[] scratch, float[] gX, int xOff) {
    PanamaStride2InputGrad.run(kernels, packedW, gOut, oOff, cout, cin, outH, outW, part, parts, scratch, gX, xOff);
  }

  @Override
  public int gradOutPanel() {
    return 2 * kernels.lanes();
  }

  @Override
  public void packGradOut(float[] src, int off, int cout, int hw, float[] dst) {
    PanamaStridedGrad.pack(kernels, src, off, cout, hw, dst);
  }

  @Override
  public void stridedWeightGrad(float[] x, int xOff, int cin, int h, int w, int kh, int kw, int sy, int sx,
      int padT, int padL, float[] bp, int outH, int outW, int coutPad, float[] gwT, int gwOff) {
    PanamaStridedGrad.run(kernels, x, xOff, cin, h, w, kh, kw, sy, sx, padT, padL, bp, outH, outW, coutPad, gwT,
        gwOff);
  }

  @Override
  public void sgemmPacked(PackedMatrix a, boolean transB, int n, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    gemm.sgemmPacked(a, transB, n, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
    return kernels.dot(x, xOff, y, yOff, n);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    kernels.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public void winogradInput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] v, int vOff, int vStride) {
    kernels.winogradInput(src, srcOff, ld, offsets, offOff, count, v, vOff, vStride);
  }

  @Override
  public void winogradOutput(float[] m, int mOff, int mStride, int count, float[] y, int yStride) {
    kernels.winogradOutput(m, mOff, mStride, count, y, yStride);
  }

  @Override
  public void winogradGradOutput(float[] src, int srcOff, int ld, int[] offsets, int offOff,
      int count, float[] u, int uOff, int uStride) {
    kernels.winogradGradOutput(src, srcOff, ld, offsets, offOff, count, u, uOff, uStride);
  }

  @Override
  public void depthwiseRow(float[] src, int[] rowOff, int kh, int kw, int dw, float[] w, int wOff,
      float bias, float[] out, int outOff, int n) {
    kernels.depthwiseRow(src, rowOff, kh, kw, dw, w, wOff, bias, out, outOff, n);
  }

  @Override
  public void depthwise3x3Rows2(float[] src, int r0, int wp, int dw, float[] w, int wOff, float bias,
      float[] out, int outOff, int outW, int n) {
    kernels.depthwise3x3Rows2(src, r0, wp, dw, w, wOff, bias, out, outOff, outW, n);
  }

  @Override
  public void directRow6(float[] src, int[] tapOff, int taps, float[] w6, float[] bias6,
      float[] out, int outOff, int outStride, int rows, int n) {
    kernels.directRow6(src, tapOff, taps, w6, bias6, out, outOff, outStride, rows, n);
  }

  @Override
  public void directChannels(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    kernels.directChannels(src, pixOff, np, tapOff, taps, w, bias, cpad, out, outOff);
  }

  @Override
  public void directChannelsRow(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    kernels.directChannelsRow(src, base, np, tapOff, taps, w, bias, cpad, out, outOff);
  }

  @Override
  public void blockToPlanes(float[] block, int np, int cpad, int cout, float[] out, int outOff,
      int plane) {
    kernels.blockToPlanes(block, np, cpad, cout, out, outOff, plane);
  }

  @Override
  public int imageLanes() {
    return imageLanes.lanes();
  }

  @Override
  public void toImageLanes(float[] x, int xOff, int imageStride, int count, int len, float[] dst,
      int dstOff) {
    imageLanes.toLanes(x, xOff, imageStride, count, len, dst, dstOff);
  }

  @Override
  public void fromImageLanes(float[] src, int len, int count, float[] out, int outOff,
      int imageStride) {
    imageLanes.fromLanes(src, len, count, out, outOff, imageStride);
  }

  @Override
  public void imageLanesRow(float[] src, int base, int pixStep, int np, int[] tapOff, int taps,
      int kw, float[] w, float[] bias, int cout, float[] out, int outOff, int coStride) {
    imageLanes.row(src, base, pixStep, np, tapOff, taps, kw, w, bias, cout, out, outOff, coStride);
  }

  @Override
  public String toString() {
    return "panama(" + bits + " bits)";
  }
}
