#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer, then ThreadSanitizer (each a full rebuild, in its
# own build directory so the normal build stays). XCTest itself leaks, so leak detection is off.
# The end-to-end tests drive .build/release/textclf, so build it first as for `swift test`.
#   Scripts/sanitizers.sh            both
#   Scripts/sanitizers.sh address    one of them; extra arguments go to swift test (--filter X)
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=${1:-address thread}
shift || true
[ -x .build/release/textclf ] || swift build -c release --product textclf
for kind in $kinds; do
    echo "== swift test --sanitize $kind"
    ASAN_OPTIONS=detect_leaks=0 TSAN_OPTIONS=halt_on_error=1 \
        swift test --sanitize "$kind" --scratch-path ".build-$kind" "$@"
done
