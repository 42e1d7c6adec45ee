#!/usr/bin/env bash
# Checks the Spark scale-out end to end on this machine (not part of `swift test`: PySpark is
# a ~450 MB install and the run takes minutes).
#
#   bash Scripts/spark_check.sh            # LINES=1000000 by default
#
# It installs what is missing (Java 17 from Debian, PySpark 4 with pandas and pyarrow in
# .venv-spark/), builds the static binary, generates LINES lines with `textclf generate`
# (random strings over a-z and space, lengths 1-40, every 1000th line empty), trains a small
# char-level pool model, and then:
#   - runs Scripts/spark_classify.py through local[2] with 2 partitions and checks that its
#     part files, concatenated in partition order, equal a direct `textclf classify` byte for
#     byte;
#   - runs Scripts/spark_dataframe.py (mapInPandas) and checks every row's label, probability
#     and text against the same direct run;
#   - checks that a missing model, a corrupt model, an existing output directory and a missing
#     binary each end spark_classify.py with one error line and exit status 1;
#   - prints the Spark runs' wall-clock and CPU times next to the direct runs', and the
#     core-hours that 1 billion lines would take at those rates.
# Exit status 0 only if every check passed.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
venv=$repo/.venv-spark
lines=${LINES:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { echo "== $*" >&2; }
fail() { echo "spark_check.sh: FAILED: $*" >&2; exit 1; }

step "Java 17 or later"
if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
    apt-get update -q && apt-get install -y -q openjdk-17-jre-headless
fi
java -version 2>&1 | head -n 1 >&2

step "PySpark 4 in $venv"
if ! "$venv/bin/python" -c 'import pyspark, pandas, pyarrow; assert pyspark.__version__.startswith("4.") and pandas.__version__.startswith("2.")' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "pyspark>=4,<5" "pandas>=2,<3" "pyarrow>=11"
fi
python=$venv/bin/python
"$python" -c 'import pyspark; print("pyspark", pyspark.__version__)' >&2

step "static textclf"
bash Scripts/build_static.sh >&2
textclf=$repo/.build-static/release/textclf

step "data: $lines generated lines and a char-level pool model"
"$textclf" generate contains --target a --alphabet 'a-z ' --min-length 1 --max-length 40 --count 20000 \
    --seed 11 -o "$work/train.txt"
"$textclf" train --arch pool --level char --train "$work/train.txt" --epochs 3 --quiet -o "$work/model.safetensors"
"$textclf" generate contains --target a --alphabet 'a-z ' --min-length 1 --max-length 40 --count "$lines" \
    --seed 12 --format tsv -o "$work/labeled.tsv"
cut -f 2 "$work/labeled.tsv" | awk 'NR % 1000 == 0 { print ""; next } { print }' > "$work/input.txt"
rm "$work/labeled.tsv"
[[ $(wc -l < "$work/input.txt") -eq $lines ]] || fail "generated $(wc -l < "$work/input.txt") lines, not $lines"

# Wall-clock and CPU seconds of each run's whole process tree (JVM, Python workers, textclf).
timed() { "$python" Scripts/process_tree_time.py -o "$work/times" "$@"; }

step "direct runs"
timed "direct textclf classify --threads 1" \
    "$textclf" classify -m "$work/model.safetensors" --threads 1 "$work/input.txt" > "$work/direct-1.txt"
timed "direct textclf classify --threads 2" \
    "$textclf" classify -m "$work/model.safetensors" --threads 2 "$work/input.txt" > "$work/direct.txt"
cmp -s "$work/direct-1.txt" "$work/direct.txt" || fail "direct runs with 1 and 2 threads differ"

spark_classify() { "$python" Scripts/spark_classify.py "$@"; }

step "Spark's fixed cost: 1000 lines through local[2]"
head -n 1000 "$work/input.txt" > "$work/small.txt"
timed "spark_classify.py local[2], 1000 lines" \
    "$python" Scripts/spark_classify.py "$work/small.txt" "$work/small-out" -m "$work/model.safetensors" \
    --master 'local[2]' --partitions 2

step "spark_classify.py: $lines lines through local[2]"
timed "spark_classify.py local[2], $lines lines" \
    "$python" Scripts/spark_classify.py "$work/input.txt" "$work/out" -m "$work/model.safetensors" \
    --master 'local[2]' --partitions 2
parts=$(ls "$work/out" | grep -c '^part-')
[[ $parts -eq 2 ]] || fail "$parts part files, not 2"
# Part files are named by partition, and partitions hold consecutive input splits.
cat "$work"/out/part-* | cmp - "$work/direct.txt" || fail "Spark's output differs from the direct run"
echo "identical: $parts part files = direct classify ($(wc -c < "$work/direct.txt") bytes)" >&2

step "spark_dataframe.py: the same lines as a DataFrame through mapInPandas"
timed "spark_dataframe.py local[2], $lines lines" \
    "$python" Scripts/spark_dataframe.py "$work/input.txt" "$work/frame" -m "$work/model.safetensors" \
    --master 'local[2]' --partitions 2
"$python" - "$work/frame" "$work/direct.txt" "$work/input.txt" <<'EOF' || fail "the DataFrame's rows differ from the direct run"
import glob, sys
import pyarrow.parquet as pq

frame, direct, texts = sys.argv[1:]
table = pq.read_table(sorted(glob.glob(frame + "/part-*.parquet")))  # partition order
assert [str(field.type) for field in table.schema] == ["string", "double", "string"], table.schema
labels, probabilities, frame_texts = (table.column(name).to_pylist() for name in ("label", "probability", "text"))
with open(direct, encoding="utf-8") as d, open(texts, encoding="utf-8") as t:
    expected = [line.rstrip("\n").split("\t") for line in d]
    originals = [line.rstrip("\n") for line in t]
assert len(labels) == len(expected) == len(originals), (len(labels), len(expected))
for row, (label, probability, text, (want_label, want_probability, _), original) in enumerate(
        zip(labels, probabilities, frame_texts, expected, originals)):
    shown = "" if probability is None else f"{probability:.6f}"
    if (label or "", shown, text) != (want_label, want_probability, original):
        sys.exit(f"row {row}: {(label, probability, text)} != {(want_label, want_probability, original)}")
print(f"identical: {len(labels)} rows (label, probability, text) = direct classify", file=sys.stderr)
EOF

step "the README's DataFrame snippet on the first 1000 lines"
awk '/^\*\*A DataFrame\.\*\*/ { found = 1 } found && /^```python/ { inside = 1; next } inside && /^```/ { exit } inside' \
    README.md > "$work/snippet.py"
grep -q classify_texts "$work/snippet.py" || fail "no DataFrame snippet found in README.md"
# The snippet's relative paths (Scripts/, .build-static/, model.safetensors) resolve in the
# repository; the model is copied there for the run.
cp "$work/model.safetensors" model.safetensors
status=0
SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON=$python "$python" - "$work" > "$work/snippet.log" 2>&1 <<'EOF' || status=$?
import os, sys
from pyspark.sql import SparkSession

work = sys.argv[1]
spark = (SparkSession.builder.master("local[2]").config("spark.driver.host", "127.0.0.1")
         .config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").getOrCreate())
reviews = spark.read.text(os.path.join(work, "small.txt")).withColumnRenamed("value", "body")
exec(open(os.path.join(work, "snippet.py")).read())
rows = predictions.collect()
spark.stop()
with open(os.path.join(work, "direct.txt"), encoding="utf-8") as direct:
    expected = [next(direct).rstrip("\n").split("\t") for _ in range(len(rows))]
got = [[row.label or "", "" if row.probability is None else f"{row.probability:.6f}", row.text] for row in rows]
assert len(rows) == 1000 and got == expected, next((g, e) for g, e in zip(got, expected) if g != e)
print(f"identical: {len(rows)} rows from the README snippet = direct classify")
EOF
rm -f model.safetensors
[[ $status -eq 0 ]] || { cat "$work/snippet.log" >&2; fail "the README's DataFrame snippet"; }
tail -n 1 "$work/snippet.log" >&2

step "failures: one error line and exit status 1 each"
expect_failure() {  # expect_failure NAME EXPECTED_FRAGMENT ARGUMENTS...
    local name=$1 fragment=$2; shift 2
    local status=0
    spark_classify "$@" > "$work/stdout" 2> "$work/stderr" || status=$?
    [[ $status -eq 1 ]] || fail "$name: exit status $status, not 1: $(cat "$work/stderr")"
    [[ $(wc -l < "$work/stderr") -eq 1 ]] || fail "$name: stderr is not one line: $(cat "$work/stderr")"
    grep -q "^spark_classify.py: error: .*$fragment" "$work/stderr" || fail "$name: unexpected message: $(cat "$work/stderr")"
    [[ ! -s "$work/stdout" ]] || fail "$name: wrote to stdout"
    echo "$name: $(cat "$work/stderr")" >&2
}
expect_failure "missing model" "no such model file" \
    "$work/small.txt" "$work/f1" -m "$work/absent.safetensors" --master 'local[2]'
cp "$work/model.safetensors" "$work/corrupt.safetensors"
size=$(stat -c %s "$work/corrupt.safetensors")
printf 'X' | dd of="$work/corrupt.safetensors" bs=1 seek=$((size - 10)) conv=notrunc status=none
expect_failure "corrupt model" "checksum mismatch" \
    "$work/small.txt" "$work/f2" -m "$work/corrupt.safetensors" --master 'local[2]'
[[ ! -e "$work/f2" ]] || fail "corrupt model: the output directory was left behind"
expect_failure "existing output directory" "already exists" \
    "$work/small.txt" "$work/out" -m "$work/model.safetensors" --master 'local[2]'
expect_failure "missing binary" "no textclf binary there" \
    "$work/small.txt" "$work/f3" -m "$work/model.safetensors" --master 'local[2]' --binary "$work/absent/textclf"

step "times (this 2-core machine, shared: wall-clock time depends on its load, CPU time much less)"
cat "$work/times"
# CPU seconds for the lines alone: the 1000-line run's cost is Spark's start and stop.
awk -v lines="$lines" '
    { cpu[NR] = $(NF - 1) }
    END {
        direct = cpu[1]; spark = cpu[4] - cpu[3]; frame = cpu[5] - cpu[3]
        printf "CPU seconds per million lines: direct %.1f, spark_classify.py %.1f, spark_dataframe.py %.1f\n", direct * 1e6 / lines, spark * 1e6 / lines, frame * 1e6 / lines
        printf "core-hours for 1 billion lines: direct %.1f, spark_classify.py %.1f, spark_dataframe.py %.1f\n", direct * 1e9 / lines / 3600, spark * 1e9 / lines / 3600, frame * 1e9 / lines / 3600
    }' "$work/times"
echo "spark_check.sh: all checks passed"
