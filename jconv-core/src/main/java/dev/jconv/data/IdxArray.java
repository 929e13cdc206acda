package dev.jconv.data;

import dev.jconv.Tensor;
import dev.jconv.internal.Raw;

/**
 * The contents of an IDX file: its element type, its dimensions and its elements in C order. The
 * data array is {@code byte[]} for {@link Type#UBYTE} and {@link Type#BYTE}, {@code short[]},
 * {@code int[]}, {@code float[]} or {@code double[]} for the others; it is not copied.
 */
public record IdxArray(Type type, int[] shape, Object data) {

  /** The IDX element types, by their code in the file's magic number. */
  public enum Type {
    UBYTE(0x08, 1),
    BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    final int code;
    final int size;

    Type(int code, int size) {
      this.code = code;
      this.size = size;
    }

    /** The type with this code, or null. */
    static Type of(int code) {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  public IdxArray {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public int numel() {
    return java.lang.reflect.Array.getLength(data);
  }

  /**
   * The elements as a tensor: integer types as int64 (unsigned bytes 0..255), FLOAT as float32,
   * DOUBLE as float64.
   */
  public Tensor toTensor() {
    int n = numel();
    return switch (type) {
      case FLOAT -> Raw.wrap(((float[]) data).clone(), shape);
      case DOUBLE -> Raw.wrap(((double[]) data).clone(), shape);
      default -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = switch (type) {
            case UBYTE -> ((byte[]) data)[i] & 0xff;
            case BYTE -> ((byte[]) data)[i];
            case SHORT -> ((short[]) data)[i];
            case INT -> ((int[]) data)[i];
            default -> throw new AssertionError(type);
          };
        }
        yield Raw.wrap(v, shape);
      }
    };
  }
}
