#!/usr/bin/env bash
# Side by side on this machine: the book's LeNet recipe trained by jconv and by PyTorch, epochs alternating,
# then a summary table. A thin wrapper over `./jconv train MODEL --compare torch`.
#
#   tools/bench/compare_lenet.sh                     lenet, 10 epochs, 2 threads
#   tools/bench/compare_lenet.sh lenet-relu 10 2     model, epochs, threads
#
# Needs Debian's dataset-fashion-mnist and python3-torch (/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL="${1:-lenet}"
EPOCHS="${2:-10}"
THREADS="${3:-2}"
OUT="$(mktemp -d)"
exec ./jconv train "$MODEL" --epochs "$EPOCHS" --threads "$THREADS" --no-progress --out "$OUT" --compare torch
