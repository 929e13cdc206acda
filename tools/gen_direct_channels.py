#!/usr/bin/env python3
# Writes the direct-channels kernels of Panama512.java (everything from directChannels to the end
# of the class: unrolled register blocks, tedious and error-prone by hand), then run
# tools/gen_panama_widths.sh for the 128/256-bit copies. Edit the blocks here, not in the Java.
#   python3 tools/gen_direct_channels.py jconv-core/src/main/java/dev/jconv/internal/vector/Panama512.java
import sys

def vec_off(base, v):
    return base if v == 0 else f"{base} + {v} * L"

def block_method(name, V, P, gather):
    pix = "int[] pixOff" if gather else "int base"
    b = []
    b.append(f"  /** Pixels i .. i+{P-1}, channels cv .. cv+{V*16 if False else V}*L-1 (see the caller). */".replace(f"cv+{V}*L-1", f"cv + {V}L - 1" if V > 1 else "cv + L - 1"))
    b.append(f"  private static void {name}(float[] src, {pix}, int i, int[] tapOff, int taps,")
    b.append("      float[] w, float[] bias, int cpad, int cv, float[] out, int outOff) {")
    if gather:
        for r in range(P):
            b.append(f"    int p{r} = pixOff[i + {r}];")
    for v in range(V):
        b.append(f"    FloatVector vb{v} = FloatVector.fromArray(S, bias, {vec_off('cv', v)});")
    for r in range(P):
        for v in range(V):
            b.append(f"    FloatVector a{r}_{v} = vb{v};")
    b.append("    for (int t = 0; t < taps; t++) {")
    b.append("      int wi = t * cpad + cv;")
    for v in range(V):
        b.append(f"      FloatVector w{v} = FloatVector.fromArray(S, w, {vec_off('wi', v)});")
    b.append("      int o = tapOff[t];" if gather else "      int q = base + i + tapOff[t];")
    for r in range(P):
        idx = f"p{r} + o" if gather else ("q" if r == 0 else f"q + {r}")
        b.append(f"      {'FloatVector ' if r == 0 else ''}x = FloatVector.broadcast(S, src[{idx}]);")
        for v in range(V):
            b.append(f"      a{r}_{v} = x.fma(w{v}, a{r}_{v});")
    b.append("    }")
    b.append("    int oi = outOff + i * cpad + cv;")
    for r in range(P):
        for v in range(V):
            parts = []
            if r == 1: parts.append("cpad")
            elif r > 1: parts.append(f"{r} * cpad")
            if v == 1: parts.append("L")
            elif v > 1: parts.append(f"{v} * L")
            off = " + ".join(parts)
            b.append(f"    a{r}_{v}.intoArray(out, oi{(' + ' + off) if off else ''});")
    b.append("  }")
    b.append("")
    return b

def chan_method(V, P, cond, comment, gather):
    kind = "gather" if gather else "row"
    name = f"{kind}{V}x{P}"
    pix = "int[] pixOff" if gather else "int base"
    pixArg = "pixOff" if gather else "base"
    b = [comment]
    b.append(f"  private static int {name}(float[] src, {pix}, int np, int[] tapOff, int taps, float[] w,")
    b.append("      float[] bias, int cpad, float[] out, int outOff, int cv) {")
    b.append(f"    for (; {cond}cv + {V} * L <= cpad; cv += {V} * L) {{" if V > 1 else "    for (; cv < cpad; cv += L) {")
    b.append("      int i = 0;")
    b.append(f"      for (; i + {P} <= np; i += {P}) {{")
    b.append(f"        {name}Block(src, {pixArg}, i, tapOff, taps, w, bias, cpad, cv, out, outOff);")
    b.append("      }")
    b.append("      for (; i < np; i++) {")
    for v in range(V):
        b.append(f"        FloatVector a{v} = FloatVector.fromArray(S, bias, {vec_off('cv', v)});")
    b.append("        int q = pixOff[i];" if gather else "        int q = base + i;")
    b.append("        for (int t = 0; t < taps; t++) {")
    b.append("          FloatVector x = FloatVector.broadcast(S, src[q + tapOff[t]]);")
    b.append("          int wi = t * cpad + cv;")
    for v in range(V):
        b.append(f"          a{v} = x.fma(FloatVector.fromArray(S, w, {vec_off('wi', v)}), a{v});")
    b.append("        }")
    for v in range(V):
        b.append(f"        a{v}.intoArray(out, outOff + i * cpad + {vec_off('cv', v)});")
    b.append("      }")
    b.append("    }")
    b.append("    return cv;")
    b.append("  }")
    b.append("")
    b += block_method(name + "Block", V, P, gather)
    return b

C4 = '''  // Four vectors of channels x six pixels = 24 accumulators, with 32 vector registers (AVX-512,
  // the only 16-lane case): each broadcast input value feeds four FMAs (measured 1.2-1.3x the
  // two-vector block on a strided 3x3 with 128 channels, and 1.2-1.4x four vectors x 4 pixels).'''
C2 = '''  // Two vectors of channels x six pixels = 12 accumulators: fits the 16 registers of AVX2.'''
C1G = '''  // One vector of channels (LeNet's 16 outputs) x eight pixels.'''
C1R = '''  // One vector of channels (LeNet's 16 outputs) x twelve pixels.'''

m = ['''  @Override
  void directChannels(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    // (The register blocks below are written by tools/gen_direct_channels.py.)
    // One method per register block, and one more per block of pixels: as one method the blocks
    // were too large for C1 ("out of virtual registers"), and a loop over all pixels made C2
    // compile it on-stack-replacement first, which took 0.5 s on a busy machine (the
    // per-block method compiles in 0.07 s); until then the kernel runs 40x slower.
    // The four-vector block only for deep patches: a small layer such as seed hardly gains from
    // it and would wait longest for its compile.
    int cv = taps >= DEEP_TAPS
        ? gather4x6(src, pixOff, np, tapOff, taps, w, bias, cpad, out, outOff, 0) : 0;
    cv = gather2x6(src, pixOff, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
    gather1x8(src, pixOff, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
  }

  @Override
  void directChannelsRow(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    // Pixel i of every tap reads src[q + i] from one index q: the JIT checks a block's bounds once
    // and each broadcast is a single load, where directChannels pays an offset and a check per
    // pixel (measured: 1v x 12 pixels runs at 78% of peak this way).
    // (DirectChannelsConv uses it below four vectors of channels: no four-vector block here.)
    int cv = row2x6(src, base, np, tapOff, taps, w, bias, cpad, out, outOff, 0);
    // A single vector of channels takes rows of whole 10-pixel blocks as they are (LeNet's
    // 10-wide maps, which 12-pixel blocks would compute as 12), anything else in 12-pixel blocks.
    if (np % 10 == 0 && np % 12 != 0) {
      row1x10(src, base, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
    } else {
      row1x12(src, base, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
    }
  }
''']
m += chan_method(4, 6, "L == 16 && ", C4, True)
m += chan_method(2, 6, "", C2, True)
m += chan_method(1, 8, "", C1G, True)
m += chan_method(2, 6, "", C2, False)
m += chan_method(1, 12, "", C1R, False)
m += chan_method(1, 10, "", C1R.replace("twelve", "ten"), False)

f = sys.argv[1]
s = open(f).read()
start = s.index('  @Override\n  void directChannels(')
end = s.rindex('}')
s = s[:start] + "\n".join(m).rstrip() + "\n" + s[end:]
if "DEEP_TAPS = " not in s:
    s = s.replace("  private static final int L = 512 / 32;\n", "  private static final int L = 512 / 32;\n\n  /** Patch depth from which directChannels uses its four-vector block (see there). */\n  private static final int DEEP_TAPS = 64;\n", 1)
open(f, "w").write(s)
