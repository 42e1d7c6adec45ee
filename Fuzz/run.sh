#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs each for SECONDS (default 600),
# two at a time, on copies of the committed seeds. Crashes land in Fuzz/findings/TARGET/.
#   Fuzz/run.sh 600            all four targets, ten minutes each
#   Fuzz/run.sh 60 FuzzModelFile
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzCorpusReader FuzzVocabulary FuzzModelFile FuzzTokenizer)
# swiftc keeps only its last -sanitize= flag (-sanitize=fuzzer -sanitize=address has no
# coverage), so the combined flag goes last; SwiftPM's own flags still pick the runtimes.
build=(swift build -c debug --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address)
"${build[@]}" 2>&1 | tail -1
bin=$("${build[@]}" --show-bin-path)
declare -A seeds=([FuzzCorpusReader]=corpus [FuzzVocabulary]=vocabulary [FuzzModelFile]=model [FuzzTokenizer]=tokenizer)
run_one() {
    local target=$1
    local work=findings/$target
    mkdir -p "$work/corpus"
    cp -n Seeds/${seeds[$target]}/* "$work/corpus/" 2>/dev/null || true
    # Runs past the first crash (-fork with -ignore_crashes) so one finding cannot hide the next.
    ASAN_OPTIONS=detect_leaks=0 "$bin/$target" "$work/corpus" -max_total_time="$seconds" -rss_limit_mb=4096 \
        -max_len=65536 -timeout=20 -artifact_prefix="$work/" -print_final_stats=1 > "$work/log.txt" 2>&1 || true
    echo "$target: $(grep -E '^stat::number_of_executed_units' "$work/log.txt" | tail -1) \
crashes: $(ls "$work" | grep -cE '^(crash|oom|timeout|leak)-' || true)"
}
pids=()
for target in "${targets[@]}"; do
    run_one "$target" &
    pids+=($!)
    if [ ${#pids[@]} -eq 2 ]; then wait "${pids[0]}" "${pids[1]}"; pids=(); fi
done
[ ${#pids[@]} -gt 0 ] && wait "${pids[@]}"
exit 0
