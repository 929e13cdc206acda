package dev.jconv.internal.vector;

import dev.jconv.internal.parallel.Parallel;

/**
 * The plain-Java kernels: always available, and the second opinion the Vector API kernels are
 * tested against. Loops are written so that C2's auto-vectorizer can handle the inner ones.
 */
public final class PlainProvider implements KernelProvider {

  static final PlainProvider INSTANCE = new PlainProvider();

  private PlainProvider() {}

  @Override
  public String name() {
    return "plain";
  }

  @Override
  public int vectorBits() {
    return 0;
  }

  @Override
  public String toString() {
    return "plain";
  }

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    PlainGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public PackedMatrix packA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
    return packA(transA, m, k, a, aOff, lda, null);
  }

  @Override
  public PackedMatrix packA(boolean transA, int m, int k, float[] a, int aOff, int lda,
      PackedMatrix reuse) {
    boolean fits = reuse != null && reuse.owner == this && reuse.rows == m && reuse.cols == k;
    float[] data = fits ? reuse.data : new float[m * k];
    int off = fits ? reuse.offset : 0;
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        data[off + i * k + p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
      }
    }
    return fits ? reuse : new PackedMatrix(m, k, data, this);
  }

  @Override
  public PackedMatrix[] packA(int count, int m, int k, PackSource source, PackedMatrix[] reuse) {
    int stride = PackedMatrix.setStride(m * k);
    boolean fits = PackedMatrix.reusableSet(reuse, count, m, k, stride, this);
    float[] data = fits ? reuse[0].data : new float[Math.multiplyExact(count, stride)];
    // Row-major, as packA(boolean, ...) packs: row i of every matrix at i * k.
    Parallel.forRange(m, Math.ceilDiv(4096, Math.max(1, k)),
        (start, end) -> source.write(start, end - start, 0, k, data, start * k, stride, k, 1));
    return PackedMatrix.set(count, m, k, data, stride, this, reuse, fits);
  }

  @Override
  public void sgemmPacked(PackedMatrix a, boolean transB, int n, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    assert a.owner == this : "matrix packed by another provider";
    PlainGemm.sgemm(false, transB, a.rows, n, a.cols, a.data, a.offset, a.cols, b, bOff, ldb, beta, c,
        cOff, ldc);
  }

  @Override
  public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      sum += x[xOff + i] * y[yOff + i];
    }
    return sum;
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void winogradInput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] v, int vOff, int vStride) {
    PlainWinograd.input(src, srcOff, ld, offsets, offOff, count, v, vOff, vStride);
  }

  @Override
  public void winogradOutput(float[] m, int mOff, int mStride, int count, float[] y, int yStride) {
    PlainWinograd.output(m, mOff, mStride, count, y, yStride);
  }

  @Override
  public void winogradGradOutput(float[] src, int srcOff, int ld, int[] offsets, int offOff,
      int count, float[] u, int uOff, int uStride) {
    PlainWinograd.gradOutput(src, srcOff, ld, offsets, offOff, count, u, uOff, uStride);
  }

  @Override
  public void depthwiseRow(float[] src, int[] rowOff, int kh, int kw, int dw, float[] w, int wOff,
      float bias, float[] out, int outOff, int n) {
    for (int j = 0; j < n; j++) {
      float sum = bias;
      for (int ky = 0; ky < kh; ky++) {
        int row = rowOff[ky] + j;
        int wr = wOff + ky * kw;
        for (int kx = 0; kx < kw; kx++) {
          sum = Math.fma(w[wr + kx], src[row + kx * dw], sum);
        }
      }
      out[outOff + j] = sum;
    }
  }

  @Override
  public void depthwise3x3Rows2(float[] src, int r0, int wp, int dw, float[] w, int wOff, float bias,
      float[] out, int outOff, int outW, int n) {
    for (int r = 0; r < 2; r++) {
      for (int j = 0; j < n; j++) {
        float sum = bias;
        for (int ky = 0; ky < 3; ky++) {
          int row = r0 + (r + ky) * wp + j;
          for (int kx = 0; kx < 3; kx++) {
            sum = Math.fma(w[wOff + ky * 3 + kx], src[row + kx * dw], sum);
          }
        }
        out[outOff + r * outW + j] = sum;
      }
    }
  }

  @Override
  public void directRow6(float[] src, int[] tapOff, int taps, float[] w6, float[] bias6,
      float[] out, int outOff, int outStride, int rows, int n) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        float sum = bias6[r];
        for (int t = 0; t < taps; t++) {
          sum = Math.fma(w6[t * 6 + r], src[tapOff[t] + j], sum);
        }
        out[outOff + r * outStride + j] = sum;
      }
    }
  }

  @Override
  public void directChannels(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    for (int i = 0; i < np; i++) {
      int o = outOff + i * cpad;
      System.arraycopy(bias, 0, out, o, cpad);
      for (int t = 0; t < taps; t++) {
        float xv = src[pixOff[i] + tapOff[t]];
        int wt = t * cpad;
        for (int c = 0; c < cpad; c++) {
          out[o + c] = Math.fma(w[wt + c], xv, out[o + c]);
        }
      }
    }
  }

  @Override
  public void directChannelsRow(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    for (int i = 0; i < np; i++) {
      int o = outOff + i * cpad;
      System.arraycopy(bias, 0, out, o, cpad);
      for (int t = 0; t < taps; t++) {
        float xv = src[base + i + tapOff[t]];
        int wt = t * cpad;
        for (int c = 0; c < cpad; c++) {
          out[o + c] = Math.fma(w[wt + c], xv, out[o + c]);
        }
      }
    }
  }

  @Override
  public void blockToPlanes(float[] block, int np, int cpad, int cout, float[] out, int outOff,
      int plane) {
    for (int c = 0; c < cout; c++) {
      int dst = outOff + c * plane;
      for (int i = 0; i < np; i++) {
        out[dst + i] = block[i * cpad + c];
      }
    }
  }

  @Override
  public int imageLanes() {
    return PlainImageLanes.LANES;
  }

  @Override
  public void toImageLanes(float[] x, int xOff, int imageStride, int count, int len, float[] dst,
      int dstOff) {
    PlainImageLanes.toLanes(x, xOff, imageStride, count, len, dst, dstOff);
  }

  @Override
  public void fromImageLanes(float[] src, int len, int count, float[] out, int outOff,
      int imageStride) {
    PlainImageLanes.fromLanes(src, len, count, out, outOff, imageStride);
  }

  @Override
  public void imageLanesRow(float[] src, int base, int pixStep, int np, int[] tapOff, int taps,
      int kw, float[] w, float[] bias, int cout, float[] out, int outOff, int coStride) {
    PlainImageLanes.row(src, base, pixStep, np, tapOff, taps, kw, w, bias, cout, out, outOff, coStride);
  }
}
