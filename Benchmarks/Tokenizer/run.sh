#!/usr/bin/env bash
# Tokenizer throughput: textclf (text → ids) against a plain C loop over ICU's break
# iterator, on the `en` and `zh` lines of ../shared/corpora/manpages_langid/train.tsv.
# Both are built optimized. Usage: bash Benchmarks/Tokenizer/run.sh [SECONDS per measurement]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="${CORPUS:-$here/../../../shared/corpora/manpages_langid/train.tsv}"
seconds="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for lang in en zh; do
    awk -F '\t' -v l="$lang" '$1 == l { sub(/^[^\t]*\t/, ""); print }' "$corpus" > "$work/$lang.txt"
done
cc -O2 -o "$work/icu_break_loop" "$here/C/icu_break_loop.c" -licuuc -licudata
(cd "$here" && swift build -c release --product TokenizerBenchmark >/dev/null)
swift_bin="$here/.build/release/TokenizerBenchmark"

printf '%-5s %-5s %8s %12s %12s %7s\n' lang level MB "C MB/s" "textclf MB/s" ratio
for lang in en zh; do
    size=$(wc -c < "$work/$lang.txt")
    for level in word char; do
        c=$("$work/icu_break_loop" "$work/$lang.txt" "$level" "$seconds" 2>/dev/null | cut -d' ' -f1)
        s=$("$swift_bin" "$work/$lang.txt" "$level" "$seconds" | cut -d' ' -f1)
        awk -v l="$lang" -v v="$level" -v m="$size" -v c="$c" -v s="$s" \
            'BEGIN { printf "%-5s %-5s %8.2f %12.2f %12.2f %6.0f%%\n", l, v, m / 1e6, c, s, 100 * s / c }'
    done
done
