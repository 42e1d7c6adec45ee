#!/usr/bin/env bash
# Load test of textclf-server against a FastAPI + uvicorn + PyTorch peer serving the same model,
# with wrk on loopback. Prints requests/s and p50/p99 latency for 1-text and 64-text requests,
# for a pool and an lstm model, at 1, 16 and 64 connections, and the ratios to the peer.
#
#     Benchmarks/serve.sh [SECONDS_PER_RUN] [ROUNDS]      (defaults: 3 s, 3 rounds; medians)
#
# Runs with 64-text requests last 4 × SECONDS_PER_RUN: at 64 connections an lstm request waits
# seconds, and a closed loop needs several per connection.
# Needs: wrk (apt-get install wrk); a venv at ./venv with torch safetensors PyICU fastapi uvicorn
# (python3 -m venv venv && venv/bin/pip install torch safetensors PyICU numpy fastapi 'uvicorn[standard]';
# uvicorn's standard extras, httptools and uvloop, are what a production deployment uses).
# Builds the release CLI and Server/ when missing; trains the two models once into
# .build-serve-bench/ (the pool and lstm defaults on corpora/manpages_langid, 5 epochs).
# Both servers: 2 threads (textclf-server --threads 2; uvicorn 2 workers × 1 torch thread),
# access logs off. wrk runs one thread; every run is bounded by SECONDS_PER_RUN.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
rounds=${2:-3}
work=.build-serve-bench
mkdir -p "$work"
venv=${VENV:-venv}
command -v wrk > /dev/null || { echo "serve.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -x "$venv/bin/uvicorn" ] || { echo "serve.sh: $venv/bin/uvicorn is missing (see the header)" >&2; exit 1; }
[ -x .build/release/textclf ] || swift build -c release --product textclf
server_bin=$(swift build -c release --package-path Server --show-bin-path)/textclf-server
[ -x "$server_bin" ] || swift build -c release --package-path Server --product textclf-server

for arch in pool lstm; do
    if [ ! -f "$work/$arch.safetensors" ]; then
        .build/release/textclf train --arch "$arch" --train corpora/manpages_langid/train.tsv \
            --epochs 5 --threads 2 --seed 1 -o "$work/$arch.safetensors" > /dev/null
    fi
done
"$venv/bin/python" - "$work" <<'PY'
import json, sys
texts = [line.rstrip("\n").split("\t", 1)[1] for line in open("corpora/manpages_langid/test.tsv", encoding="utf-8")]
for count in (1, 64):
    with open(f"{sys.argv[1]}/body{count}.json", "w", encoding="utf-8") as out:
        json.dump({"texts": texts[:count]}, out, ensure_ascii=False)
PY

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; wait 2> /dev/null || true; }
trap cleanup EXIT

wait_port() {  # wait until something answers on 127.0.0.1:$1 (at most 60 s)
    for _ in $(seq 600); do
        curl -s -o /dev/null "http://127.0.0.1:$1/v1/classify" && return 0
        sleep 0.1
    done
    echo "serve.sh: nothing listens on port $1" >&2; exit 1
}

start_servers() {  # $1 = model file; textclf-server on 8090, the peer on 8091
    "$server_bin" -m "$1" --port 8090 --threads 2 --quiet 2> "$work/server.log" &
    pids+=($!)
    TEXTCLF_MODEL="$1" "$venv/bin/uvicorn" --app-dir Benchmarks/Serve peer_server:app \
        --host 127.0.0.1 --port 8091 --workers 2 --no-access-log --log-level warning 2> "$work/peer.log" &
    pids+=($!)
    wait_port 8090
    wait_port 8091
}

run_wrk() {  # $1 port, $2 connections, $3 body file, $4 seconds → "requests/s p50_ms p99_ms errors"
    BODY_FILE="$3" wrk -t1 -c"$2" -d"$4s" --timeout 10s --latency -s Benchmarks/Serve/post.lua \
        "http://127.0.0.1:$1/v1/classify" | "$venv/bin/python" -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)[: ]+(\d+)", text))
print(rate, ms("50%"), ms("99%"), errors)'
}

results="$work/results.txt"
: > "$results"
for arch in pool lstm; do
    start_servers "$work/$arch.safetensors"
    for texts in 1 64; do
        body="$work/body$texts.json"
        duration=$(( texts == 1 ? seconds : 4 * seconds ))
        run_wrk 8090 16 "$body" 2 > /dev/null   # warm-up
        run_wrk 8091 16 "$body" 2 > /dev/null
        for connections in 1 16 64; do
            for round in $(seq "$rounds"); do
                echo "$arch $texts $connections textclf $(run_wrk 8090 "$connections" "$body" "$duration")" >> "$results"
                echo "$arch $texts $connections peer $(run_wrk 8091 "$connections" "$body" "$duration")" >> "$results"
            done
        done
    done
    cleanup
    pids=()
done

"$venv/bin/python" - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    arch, texts, connections, server, rate, p50, p99, errors = line.split()
    rows.setdefault((arch, int(texts), int(connections), server), []).append((float(rate), float(p50), float(p99), int(errors)))
def ratio(ours, theirs):
    return f"{ours / theirs:.1f}×" if theirs > 0 else "peer 0"
def median(key, i):
    return statistics.median(r[i] for r in rows[key])
print("| model | texts/request | connections | textclf req/s | p50 ms | p99 ms | peer req/s | p50 ms | p99 ms | ratio | errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for arch, texts, connections in sorted({k[:3] for k in rows}, key=lambda k: (k[0] != "pool", k[1], k[2])):
    t, p = (arch, texts, connections, "textclf"), (arch, texts, connections, "peer")
    errors = sum(r[3] for r in rows[t] + rows[p])
    print(f"| {arch} | {texts} | {connections} | {median(t, 0):,.0f} | {median(t, 1):.2f} | {median(t, 2):.2f} "
          f"| {median(p, 0):,.0f} | {median(p, 1):.2f} | {median(p, 2):.2f} | {ratio(median(t, 0), median(p, 0))} | {errors} |")
PY
