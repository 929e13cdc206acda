package dev.jconv.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-2 row copies with the Vector API (loaded only when {@code jdk.incubator.vector} is
 * present): two loads and one two-vector permute per vector of even (or odd) elements, where the
 * plain loops move one element per iteration (C2 does not vectorize a stride-2 loop). Vectors of
 * at most 8 lanes: the rows they serve are short (28 phase elements on res3x3_s2), and 16-lane
 * steps would leave most of such a row to the scalar tail.
 */
final class VectorStrideTwo implements PhaseBackward.StrideTwo {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() <= 8
      ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_256;
  private static final VectorSpecies<Integer> SI = S.withLanes(int.class);
  private static final int L = S.length();
  /** Lanes 0, 2, 4, ... of the pair (a, b) taken as one 2L-lane row. */
  private static final IntVector EVEN = IntVector.fromArray(SI, indices(0, 2, 0), 0);
  /** Lanes 0, L, 1, L+1, ...: the first half of a and b interleaved. */
  private static final IntVector LOW = IntVector.fromArray(SI, indices(0, 0, 1), 0);
  /** Lanes L/2, L + L/2, ...: their second half interleaved. */
  private static final IntVector HIGH = IntVector.fromArray(SI, indices(L / 2, 0, 1), 0);

  /** {@code step 2}: start, start+2, ...; {@code zip 1}: start, L+start, start+1, L+start+1, ... */
  private static int[] indices(int start, int step, int zip) {
    int[] ix = new int[L];
    for (int i = 0; i < L; i++) {
      ix[i] = zip == 0 ? start + step * i : start + i / 2 + (i % 2) * L;
    }
    return ix;
  }

  @Override
  public void gather(float[] src, int s, float[] dst, int d, int n) {
    int j = 0;
    // A step reads src[s + 2j, s + 2j + 2L), whose last element is past the last one copied
    // (s + 2n - 2) unless j + L < n: it may lie past the array's end.
    for (; j + L < n; j += L) {
      IntVector a = FloatVector.fromArray(S, src, s + 2 * j).reinterpretAsInts();
      IntVector b = FloatVector.fromArray(S, src, s + 2 * j + L).reinterpretAsInts();
      EVEN.selectFrom(a, b).reinterpretAsFloats().intoArray(dst, d + j);
    }
    for (; j < n; j++) {
      dst[d + j] = src[s + 2 * j];
    }
  }

  @Override
  public void interleave(float[] even, int e, float[] odd, int o, float[] dst, int d, int n) {
    int j = 0;
    for (; j + L <= n; j += L) {
      IntVector a = FloatVector.fromArray(S, even, e + j).reinterpretAsInts();
      IntVector b = FloatVector.fromArray(S, odd, o + j).reinterpretAsInts();
      LOW.selectFrom(a, b).reinterpretAsFloats().intoArray(dst, d + 2 * j);
      HIGH.selectFrom(a, b).reinterpretAsFloats().intoArray(dst, d + 2 * j + L);
    }
    for (; j < n; j++) {
      dst[d + 2 * j] = even[e + j];
      dst[d + 2 * j + 1] = odd[o + j];
    }
  }
}
