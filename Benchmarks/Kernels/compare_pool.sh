#!/bin/sh
# The pool-model step of textclf (fused embedding+mean) against PyTorch's EmbeddingBag, as a
# ratio per thread count. Run from anywhere; PYTHON defaults to the development venv.
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/work/venv/bin/python}
(cd "$here" && swift build -c release --product KernelBenchmarks >/dev/null)
swift_out=$("$here/.build/release/KernelBenchmarks" pool)
torch_out=$("$python" "$here/pool_step_torch.py")
echo "$swift_out"
echo "$torch_out"
for threads in 1 2; do
    ours=$(echo "$swift_out" | sed -n "s/^threads $threads: .*, \([0-9.]*\) µs fused.*/\1/p")
    theirs=$(echo "$torch_out" | sed -n "s/.* threads $threads: median \([0-9.]*\) µs.*/\1/p")
    echo "threads $threads: PyTorch / textclf = $(echo "$theirs $ours" | awk '{printf "%.1f", $1 / $2}')×"
done
