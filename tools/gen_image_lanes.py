#!/usr/bin/env python3
# Writes PanamaImageLanes128/256/512.java: the Vector API kernels of ImageLanesConv (a group of
# images across the lanes). The register blocks are unrolled by hand in Java, tedious and
# error-prone, so they are written here; edit this file, not the Java.
#   python3 tools/gen_image_lanes.py
import os

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "../jconv-core/src/main/java/dev/jconv/internal/vector")

# Register blocks (channels x pixels) per width. AVX-512 has 32 vector registers: 4 x 5 = 20
# accumulators, with up to 5 live inputs and a broadcast weight in the sliding block (4 weights and
# an input in the plain one). Narrower vectors mean AVX2 or NEON-like register files (16 on AVX2):
# 2 x 5 = 10 accumulators keep clear of spills. Measured on LeNet's second layer (AVX-512): the
# 4 x 5 sliding block at ~98% of the FMA peak, the per-tap 4 x 5 block at ~81%.
BLOCKS = {512: (4, 5), 256: (2, 5), 128: (2, 5)}

# The kernel widths with sliding blocks (see slide()): LeNet's 5x5 and the common 3x3. Other
# widths take the per-tap blocks.
SLIDE_KWS = (5, 3)


def pixel_loops(cb, P, indent):
    # The pixels of a row for channels co .. co+cb-1: sliding blocks where the row allows them,
    # then per-tap blocks of P pixels, then single pixels.
    b = []
    for K in SLIDE_KWS:
        b.append(f"for (; slide{K} && j + {P} <= np; j += {P}) {{")
        b.append(f"  slide{cb}x{P}k{K}(src, base + j * L, tapOff, taps, w, bias, co, out,")
        b.append("      outOff + co * coStride + j * L, coStride);")
        b.append("}")
    b.append(f"for (; j + {P} <= np; j += {P}) {{")
    b.append(f"  block{cb}x{P}(src, base + j * pixStep, pixStep, tapOff, taps, w, bias, co, out,")
    b.append("      outOff + co * coStride + j * L, coStride);")
    b.append("}")
    b.append("for (; j < np; j++) {")
    b.append(f"  block{cb}x1(src, base + j * pixStep, pixStep, tapOff, taps, w, bias, co, out,")
    b.append("      outOff + co * coStride + j * L, coStride);")
    b.append("}")
    return "\n".join(" " * indent + line for line in b) + "\n"


def block(CB, P):
    name = f"block{CB}x{P}"
    b = []
    b.append(f"  /** Channels co .. co+{CB - 1}, pixels j .. j+{P - 1} of the row (see imageLanesRow). */")
    b.append(f"  private static void {name}(float[] src, int q0, int pixStep, int[] tapOff, int taps,")
    b.append("      float[] w, float[] bias, int co, float[] out, int o0, int coStride) {")
    for c in range(CB):
        for p in range(P):
            b.append(f"    FloatVector a{c}_{p} = FloatVector.broadcast(S, bias[{'co' if c == 0 else f'co + {c}'}]);" if p == 0
                     else f"    FloatVector a{c}_{p} = a{c}_0;")
    b.append("    int wb = co * taps;")
    b.append("    for (int t = 0; t < taps; t++) {")
    b.append("      int q = q0 + tapOff[t];")
    for c in range(CB):
        wi = "wb + t" if c == 0 else ("wb + taps + t" if c == 1 else f"wb + {c} * taps + t")
        b.append(f"      FloatVector w{c} = FloatVector.broadcast(S, w[{wi}]);")
    for p in range(P):
        idx = "q" if p == 0 else ("q + pixStep" if p == 1 else f"q + {p} * pixStep")
        b.append(f"      {'FloatVector ' if p == 0 else ''}x = FloatVector.fromArray(S, src, {idx});")
        for c in range(CB):
            b.append(f"      a{c}_{p} = x.fma(w{c}, a{c}_{p});")
    b.append("    }")
    for c in range(CB):
        for p in range(P):
            parts = []
            if c == 1:
                parts.append("coStride")
            elif c > 1:
                parts.append(f"{c} * coStride")
            if p == 1:
                parts.append("L")
            elif p > 1:
                parts.append(f"{p} * L")
            off = " + ".join(parts)
            b.append(f"    a{c}_{p}.intoArray(out, o0{(' + ' + off) if off else ''});")
    b.append("  }")
    b.append("")
    return b


def slide(CB, P, K):
    # A kernel row of K taps at stride and dilation 1 along the width: pixel p at tap kx reads the
    # input vector of pixel p + kx, so a row's P + K - 1 input vectors are loaded once for
    # its P*K uses (and checked once each), each as late as it is first needed.
    name = f"slide{CB}x{P}k{K}"
    b = []
    b.append(f"  /** Channels co .. co+{CB - 1}, pixels j .. j+{P - 1}, kernel rows of {K} consecutive taps. */")
    b.append(f"  private static void {name}(float[] src, int q0, int[] tapOff, int taps, float[] w,")
    b.append("      float[] bias, int co, float[] out, int o0, int coStride) {")
    for c in range(CB):
        for p in range(P):
            b.append(f"    FloatVector a{c}_{p} = FloatVector.broadcast(S, bias[{'co' if c == 0 else f'co + {c}'}]);" if p == 0
                     else f"    FloatVector a{c}_{p} = a{c}_0;")
    b.append("    int wb = co * taps;")
    b.append(f"    for (int t = 0; t + {K} <= taps; t += {K}) {{")
    b.append("      int q = q0 + tapOff[t];")
    for i in range(P):
        b.append(f"      FloatVector x{i} = FloatVector.fromArray(S, src, {'q' if i == 0 else ('q + L' if i == 1 else f'q + {i} * L')});")
    for kx in range(K):
        if kx > 0:
            i = P - 1 + kx
            b.append(f"      FloatVector x{i} = FloatVector.fromArray(S, src, q + {i} * L);")
        for c in range(CB):
            wi = "wb" if c == 0 else ("wb + taps" if c == 1 else f"wb + {c} * taps")
            b.append(f"      {'FloatVector ' if (kx == 0 and c == 0) else ''}wv = FloatVector.broadcast(S, w[{wi} + t{'' if kx == 0 else f' + {kx}'}]);")
            for p in range(P):
                b.append(f"      a{c}_{p} = x{p + kx}.fma(wv, a{c}_{p});")
    b.append("    }")
    for c in range(CB):
        for p in range(P):
            parts = []
            if c == 1:
                parts.append("coStride")
            elif c > 1:
                parts.append(f"{c} * coStride")
            if p == 1:
                parts.append("L")
            elif p > 1:
                parts.append(f"{p} * L")
            off = " + ".join(parts)
            b.append(f"    a{c}_{p}.intoArray(out, o0{(' + ' + off) if off else ''});")
    b.append("  }")
    b.append("")
    return b


def tile(L):
    # Transposes an L x L tile: row r at a[aOff + r*lda], written as column r of b[bOff + c*ldb].
    # log2(L) rounds of two-vector selects (vpermt2ps on AVX-512), each swapping the off-diagonal
    # blocks of size bs: row i (bit bs clear) and row i + bs trade their upper and lower halves.
    b = []
    b.append("  /** b[bOff + c*ldb + r] = a[aOff + r*lda + c] for r, c < L: L loads, L stores, L*log2(L) selects. */")
    b.append("  private static void tile(float[] a, int aOff, int lda, float[] b, int bOff, int ldb) {")
    for r in range(L):
        b.append(f"    IntVector r{r} = FloatVector.fromArray(S, a, aOff{'' if r == 0 else (' + lda' if r == 1 else f' + {r} * lda')}).reinterpretAsInts();")
    b.append("    IntVector t;")
    bs = L // 2
    while bs >= 1:
        b.append(f"    IntVector lo{bs} = IntVector.fromArray(SI, SWAP_LO_{bs}, 0);")
        b.append(f"    IntVector hi{bs} = IntVector.fromArray(SI, SWAP_HI_{bs}, 0);")
        for i in range(L):
            if i & bs:
                continue
            j = i + bs
            b.append(f"    t = lo{bs}.selectFrom(r{i}, r{j});")
            b.append(f"    r{j} = hi{bs}.selectFrom(r{i}, r{j});")
            b.append(f"    r{i} = t;")
        bs //= 2
    for r in range(L):
        b.append(f"    r{r}.reinterpretAsFloats().intoArray(b, bOff{'' if r == 0 else (' + ldb' if r == 1 else f' + {r} * ldb')});")
    b.append("  }")
    b.append("")
    # Index tables: lanes 0..L-1 pick from the first vector, L..2L-1 from the second.
    bs = L // 2
    consts = []
    while bs >= 1:
        lo = [l if not (l & bs) else L + l - bs for l in range(L)]
        hi = [l + bs if not (l & bs) else L + l for l in range(L)]
        consts.append(f"  private static final int[] SWAP_LO_{bs} = {{{', '.join(str(v) for v in lo)}}};")
        consts.append(f"  private static final int[] SWAP_HI_{bs} = {{{', '.join(str(v) for v in hi)}}};")
        bs //= 2
    return consts, b


def source(bits):
    CB, P = BLOCKS[bits]
    consts = "\n".join(tile(bits // 32)[0])
    blocks = sorted({(CB, P), (CB, 1), (2, P), (2, 1), (1, P), (1, 1)}, reverse=True)
    # (pixel_loops names a block of one pixel for each channel block.)
    # With blocks of more than two channels, the last channels go two at a time, then one (LeNet's
    # first layer has 6 = 4 + 2 channels at 512 bits).
    PAIRS = "" if CB <= 2 else ("    for (; co + 2 <= cout; co += 2) {\n      int j = 0;\n"
                                + pixel_loops(2, P, 6) + "    }\n")
    SLIDES = "\n".join(f"    boolean slide{K} = pixStep == L && kw == {K};" for K in SLIDE_KWS)
    MAIN = pixel_loops(CB, P, 6)
    ONE = pixel_loops(1, P, 6)
    s = []
    s.append(f"""package dev.jconv.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

// Generated by tools/gen_image_lanes.py: edit the generator, not this file.

/** The kernels of {{@link PanamaImageLanes}} for {bits}-bit vectors ({bits // 32} images per group). */
final class PanamaImageLanes{bits} extends PanamaImageLanes {{
  private static final VectorSpecies<Float> S = PanamaConstants.F{bits};
  private static final VectorSpecies<Integer> SI = IntVector.SPECIES_{bits};
  private static final int L = {bits // 32};

  // The selects of tile(): SWAP_LO_b/SWAP_HI_b exchange the blocks of size b.
{consts}

  @Override
  int lanes() {{
    return L;
  }}

  @Override
  void toLanes(float[] x, int xOff, int imageStride, int count, int len, float[] dst, int dstOff) {{
    int e = 0;
    if (count == L) {{
      // Whole L x L tiles through registers: a gather per element ran at ~20 cycles each.
      for (; e + L <= len; e += L) {{
        tile(x, xOff + e, imageStride, dst, dstOff + e * L, L);
      }}
    }}
    // The tail, and the last, partial group of a batch.
    for (; e < len; e++) {{
      for (int i = 0; i < count; i++) {{
        dst[dstOff + e * L + i] = x[xOff + i * imageStride + e];
      }}
    }}
  }}

  @Override
  void fromLanes(float[] src, int len, int count, float[] out, int outOff, int imageStride) {{
    int e = 0;
    if (count == L) {{
      for (; e + L <= len; e += L) {{
        tile(src, e * L, L, out, outOff + e, imageStride);
      }}
    }}
    for (; e < len; e++) {{
      for (int i = 0; i < count; i++) {{
        out[outOff + i * imageStride + e] = src[e * L + i];
      }}
    }}
  }}

  @Override
  void row(float[] src, int base, int pixStep, int np, int[] tapOff, int taps, int kw, float[] w,
      float[] bias, int cout, float[] out, int outOff, int coStride) {{
    // One method per register block: as one large method C2 took long to compile it, and C1
    // could run out of registers (see Panama512.directChannels).
    int co = 0;
    // Stride 1 along the width, kernel rows of 5 or 3 taps: each input vector is loaded once per
    // kernel row instead of once per tap.
{SLIDES}
    for (; co + {CB} <= cout; co += {CB}) {{
      int j = 0;
{MAIN}    }}
{PAIRS}    for (; co < cout; co++) {{
      int j = 0;
{ONE}    }}
  }}
""")
    consts, t = tile(bits // 32)
    s.extend(t)
    for K in SLIDE_KWS:
        for cb in sorted({CB, 2, 1}, reverse=True):
            s.extend(slide(cb, P, K))
    for cb, p in blocks:
        s.extend(block(cb, p))
    while s[-1] == "":
        s.pop()
    s.append("}")
    return "\n".join(s) + "\n"


for bits in BLOCKS:
    with open(os.path.join(DIR, f"PanamaImageLanes{bits}.java"), "w") as f:
        f.write(source(bits))
