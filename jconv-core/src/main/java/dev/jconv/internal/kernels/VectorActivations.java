package dev.jconv.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link Activations}' exponential kernels; loaded only when
 * {@code jdk.incubator.vector} is present. Main loop over whole vectors of the preferred width,
 * then the tail in scalar code with the same formula.
 */
final class VectorActivations implements Activations.Impl {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Override
  public void sigmoid(float[] x, float[] y, int from, int to) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      FloatVector e = FloatVector.fromArray(S, x, i).neg().lanewise(VectorOperators.EXP);
      one.div(one.add(e)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
    }
  }

  @Override
  public void tanh(float[] x, float[] y, int from, int to) {
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
      FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = (float) Math.tanh(x[i]);
    }
  }
}
