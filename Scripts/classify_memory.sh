#!/usr/bin/env bash
# Shows that `textclf classify` streams: classifies generated inputs of 10 MB, 100 MB and 1 GB
# and prints the peak resident memory of each run (GNU time's maximum RSS), which should stay
# about the same; then the 100 MB input through a reader that sleeps between reads (RSS must
# stay flat and every line must arrive), and through `head -1` (a closed pipe: exit 0, quiet).
# Run from the repository root after `swift build -c release`. SIZES="10 100" skips the 1 GB run.
set -euo pipefail
cli=.build/release/textclf
sizes=${SIZES:-10 100 1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cli" train --arch pool --level char --train corpora/contains_a/train.txt --epochs 1 --quiet -o "$work/model.safetensors"

# A 10 MB block of lines of 6 to 60 letters (~34 bytes each), repeated up to the size asked.
python3 - "$work/block.txt" <<'PY'
import random, sys
rng = random.Random(1)
letters = "abcdefghijklmnopqrstuvwxyz"
with open(sys.argv[1], "w") as out:
    written = 0
    while written < 10_000_000:
        line = "".join(rng.choice(letters) for _ in range(rng.randint(6, 60))) + "\n"
        out.write(line)
        written += len(line)
PY
make_input() {  # make_input FILE MEGABYTES
    : > "$1"
    for _ in $(seq 1 $(( $2 / 10 ))); do cat "$work/block.txt" >> "$1"; done
}

printf '%-22s %10s %10s %14s\n' input lines seconds "peak RSS MiB"
for size in $sizes; do
    make_input "$work/in.txt" "$size"
    lines=$(wc -l < "$work/in.txt")
    /usr/bin/time -f '%e %M' -o "$work/time" "$cli" classify -m "$work/model.safetensors" "$work/in.txt" > /dev/null
    read -r seconds kib < "$work/time"
    printf '%-22s %10d %10.1f %14.1f\n' "${size} MB" "$lines" "$seconds" "$(echo "$kib / 1024" | bc -l)"
done

make_input "$work/in.txt" 100
lines=$(wc -l < "$work/in.txt")
# The reader takes 64 KiB, then sleeps 2 ms: classify blocks on the full pipe instead of buffering.
/usr/bin/time -f '%e %M' -o "$work/time" "$cli" classify -m "$work/model.safetensors" "$work/in.txt" \
    | python3 -c '
import sys, time
count = 0
while True:
    chunk = sys.stdin.buffer.read(65536)
    if not chunk: break
    count += chunk.count(b"\n")
    time.sleep(0.002)
print(count, file=open(sys.argv[1], "w"))' "$work/received"
read -r seconds kib < "$work/time"
printf '%-22s %10d %10.1f %14.1f\n' "100 MB, slow reader" "$(cat "$work/received")" "$seconds" "$(echo "$kib / 1024" | bc -l)"
[ "$(cat "$work/received")" -eq "$lines" ] || { echo "slow reader: $(cat "$work/received") of $lines lines" >&2; exit 1; }

set +o pipefail
"$cli" classify -m "$work/model.safetensors" "$work/in.txt" 2> "$work/err" | head -1 > /dev/null
status=${PIPESTATUS[0]}
set -o pipefail
echo "closed pipe (| head -1): exit $status, stderr $(wc -c < "$work/err") bytes"
[ "$status" -eq 0 ] && [ ! -s "$work/err" ]
