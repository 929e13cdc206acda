#!/bin/sh
# Regenerates the 128- and 256-bit Vector API classes (Panama128/256: GEMM and conv kernels;
# PanamaPool128/256: pooling) from the 512-bit ones: the same code with the width changed, because
# C2 needs a constant species per class (a species read from a field ran the GEMM ~70x slower).
# PanamaWidthCopiesTest fails when a copy drifts from its 512-bit source.
set -e
dir="$(dirname "$0")/../jconv-core/src/main/java/dev/jconv/internal/vector"
for family in Panama PanamaPool; do
  for bits in 128 256; do
    sed "s/512/$bits/g" "$dir/${family}512.java" > "$dir/${family}$bits.java"
  done
done
