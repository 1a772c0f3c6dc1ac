#!/usr/bin/env bash
# The merger benchmark on a GPU machine, in one step: reports the GPU, the CUDA libraries that
# TensorFlow 2.16.1 (cu121 natives) loads and whether each is found, then runs
# `./upcycle bench merger` (whose `merger` column runs on the GPU through DJL's TensorFlow engine
# when the engine reports a GPU device) and keeps its log under $OUT (default: ./gpu-bench).
# Needs what a fresh clone needs (Maven's dependencies and the natives, fetched on first use) or a
# checkout where `./upcycle` already ran. Usage: upcycle-bench/gpu-merger-bench.sh [bench options]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-$root/gpu-bench}"
mkdir -p "$out"
report="$out/gpu-environment.txt"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "== nvidia-smi"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || echo "nvidia-smi: not available"
  echo "== CUDA libraries TensorFlow 2.16.1 opens (found: path; missing: MISSING)"
  for lib in libcuda.so.1 libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcudnn.so.8 libcufft.so.11 \
             libcusolver.so.11 libcusparse.so.12 libnccl.so.2; do
    path="$(ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l {print $NF; exit}')"
    if [ -z "$path" ]; then
      path="$(find /usr/local/cuda*/ /usr/lib/x86_64-linux-gnu -name "$lib" 2>/dev/null | head -n1)"
    fi
    echo "$lib: ${path:-MISSING}"
  done
  natives="${TENSORFLOW_LIBRARY_PATH:-$root/.upcycle/natives/tensorflow-2.16.1}"
  echo "== natives in $natives: unresolved links"
  for so in "$natives"/*.so*; do
    [ -f "$so" ] && ldd "$so" 2>/dev/null | grep "not found" | sed "s|^|$(basename "$so"): |"
  done
} | tee "$report"
cd "$root" && ./upcycle bench merger "$@" 2>&1 | tee "$out/bench-merger.log"
exit "${PIPESTATUS[0]}"
