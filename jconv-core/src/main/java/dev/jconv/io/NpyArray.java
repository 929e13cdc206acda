package dev.jconv.io;

import dev.jconv.DType;
import java.util.Arrays;

/**
 * The raw contents of a {@code .npy} file: element type, shape, and the elements in C order as a
 * {@code float[]}, {@code double[]}, {@code long[]} or {@code boolean[]} (by {@code dtype}).
 */
public record NpyArray(DType dtype, int[] shape, Object data) {

  public NpyArray {
    shape = shape.clone();
    int expected = switch (dtype) {
      case FLOAT32 -> ((float[]) data).length;
      case FLOAT64 -> ((double[]) data).length;
      case INT64 -> ((long[]) data).length;
      case BOOL -> ((boolean[]) data).length;
    };
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n != expected) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " has " + n + " elements but the data has " + expected);
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public float[] floats() {
    return (float[]) data;
  }

  public double[] doubles() {
    return (double[]) data;
  }

  public long[] longs() {
    return (long[]) data;
  }

  public boolean[] booleans() {
    return (boolean[]) data;
  }

  /** The elements converted to double, whatever the dtype (booleans as 0/1). */
  public double[] toDoubles() {
    return switch (dtype) {
      case FLOAT32 -> {
        float[] f = floats();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          d[i] = f[i];
        }
        yield d;
      }
      case FLOAT64 -> doubles().clone();
      case INT64 -> Arrays.stream(longs()).asDoubleStream().toArray();
      case BOOL -> {
        boolean[] b = booleans();
        double[] d = new double[b.length];
        for (int i = 0; i < b.length; i++) {
          d[i] = b[i] ? 1 : 0;
        }
        yield d;
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NpyArray other) || other.dtype != dtype || !Arrays.equals(other.shape, shape)) {
      return false;
    }
    return switch (dtype) {
      case FLOAT32 -> Arrays.equals(floats(), other.floats());
      case FLOAT64 -> Arrays.equals(doubles(), other.doubles());
      case INT64 -> Arrays.equals(longs(), other.longs());
      case BOOL -> Arrays.equals(booleans(), other.booleans());
    };
  }

  @Override
  public int hashCode() {
    return dtype.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype + ", " + Arrays.toString(shape) + "]";
  }
}
