package dev.jconv.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API constants of jconv, in one place. They are {@code static final} on purpose: C2
 * turns Vector API calls into SIMD instructions only when the species is a compile-time
 * constant; with a species read from an instance field the same code runs about 60x slower.
 *
 * <p>Loaded only by the Panama classes, so a JVM without {@code jdk.incubator.vector} never
 * touches it.
 */
final class PanamaConstants {
  static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;
  static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
  static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512;

  /** The widest float vector the CPU runs natively (512 on AVX-512, 256 on AVX2, 128 on NEON). */
  static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

  private PanamaConstants() {}
}
