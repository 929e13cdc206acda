#!/usr/bin/env bash
# Side by side on this machine: the book's LeNet recipe trained by jconv (./jconv train) and by PyTorch
# (tools/bench/train_lenet_torch.py), one after the other with the same threads, then a summary table.
#
#   tools/bench/compare_lenet.sh                     lenet, 10 epochs, 2 threads
#   tools/bench/compare_lenet.sh lenet-relu 10 2     model, epochs, threads
#
# Needs Debian's dataset-fashion-mnist and python3-torch (/usr/bin/python3). The two runs share the
# machine with whatever else runs: the load average is printed with the results.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL="${1:-lenet}"
EPOCHS="${2:-10}"
THREADS="${3:-2}"
OUT="$(mktemp -d)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
./jconv train "$MODEL" --epochs "$EPOCHS" --threads "$THREADS" --no-progress --out "$OUT" | tee "$OUT/jconv.txt"
/usr/bin/python3 tools/bench/train_lenet_torch.py --model "$MODEL" --epochs "$EPOCHS" --threads "$THREADS" \
  | tee "$OUT/torch.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-8s %-10s %-10s %-12s %-12s %-10s %s\n' "" "loss" "train acc" "test acc" "images/s" "" ""
for who in jconv torch; do
  last="$(grep -E '^loss ' "$OUT/$who.txt" | tail -1)"
  speed="$(grep -E 'examples/sec' "$OUT/$who.txt" | awk '{print $1}')"
  printf '%-8s %s   %s images/s (mean over epochs)\n' "$who" "$last" "$speed"
done
j="$(grep -E 'examples/sec' "$OUT/jconv.txt" | awk '{print $1}')"
t="$(grep -E 'examples/sec' "$OUT/torch.txt" | awk '{print $1}')"
awk -v j="$j" -v t="$t" 'BEGIN { printf "jconv / PyTorch images/s: %.2fx\n", j / t }'
echo "(full logs and jconv's $MODEL.png, $MODEL.safetensors in $OUT)"
