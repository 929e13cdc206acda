#!/bin/sh
# Regenerates the 128- and 256-bit Vector API pooling classes from the 512-bit one: they are the
# same code with the width changed (C2 needs a constant species per class). PanamaPoolCopiesTest
# fails when they drift apart.
set -e
dir="$(dirname "$0")/../jconv-core/src/main/java/dev/jconv/internal/vector"
for bits in 128 256; do
  sed "s/512/$bits/g" "$dir/PanamaPool512.java" > "$dir/PanamaPool$bits.java"
done
