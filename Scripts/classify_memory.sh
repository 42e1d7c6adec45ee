#!/usr/bin/env bash
# Shows that `textclf classify` streams: classifies generated inputs of 10 MB and 200 MB and
# prints the peak resident memory of each run (GNU time's maximum RSS), which should be about
# the same. Run from the repository root after `swift build -c release`.
set -euo pipefail
cli=.build/release/textclf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cli" train --arch pool --level char --train corpora/contains_a/train.txt --epochs 1 --quiet -o "$work/model.safetensors"

# Lines of 6 to 60 letters, ~34 bytes each on average.
make_input() {  # make_input FILE MEGABYTES
    python3 - "$1" "$2" <<'PY'
import random, sys
path, megabytes = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
letters = "abcdefghijklmnopqrstuvwxyz"
with open(path, "w") as out:
    written = 0
    while written < megabytes * 1_000_000:
        line = "".join(rng.choice(letters) for _ in range(rng.randint(6, 60))) + "\n"
        out.write(line)
        written += len(line)
PY
}

printf '%-8s %10s %10s %14s\n' input lines seconds "peak RSS MiB"
for size in 10 200; do
    make_input "$work/in$size.txt" "$size"
    lines=$(wc -l < "$work/in$size.txt")
    /usr/bin/time -f '%e %M' -o "$work/time" "$cli" classify -m "$work/model.safetensors" "$work/in$size.txt" > /dev/null
    read -r seconds kib < "$work/time"
    printf '%-8s %10d %10.1f %14.1f\n' "${size} MB" "$lines" "$seconds" "$(echo "$kib / 1024" | bc -l)"
done
