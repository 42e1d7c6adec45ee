#!/usr/bin/env python3
"""Benchmarks/run's driver: plans the rows, runs them, prints the table, writes JSON and SVG.

Called by Benchmarks/run (which builds textclf and the venv first); see the README's Benchmarks
section and rows.py for what each row compares.
"""
import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import time

from inputs import Inputs
from rows import GROUPS, Planner, estimate_seconds
from runner import run_row
from svg_chart import write_chart
from table import markdown, write_json

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def arguments():
    """The parsed options; a usage error exits 2 with argparse's message."""
    parser = argparse.ArgumentParser(prog="Benchmarks/run", description="textclf against fastText and PyTorch, "
                                     "whole processes, alternately; prints medians and ratios.")
    parser.add_argument("--quick", action="store_true", help="1 repetition on small inputs: checks every row runs")
    parser.add_argument("--reps", type=int, help="repetitions per side (default 3, 1 with --quick)")
    parser.add_argument("--only", help=f"comma-separated groups among {','.join(GROUPS)}")
    parser.add_argument("--binary", default=os.path.join(REPOSITORY, ".build/release/textclf"))
    parser.add_argument("--corpora", default=os.path.join(REPOSITORY, "..", "shared", "corpora"))
    parser.add_argument("--results", default=os.path.join(REPOSITORY, "Benchmarks", "results"))
    args = parser.parse_args()
    args.groups = GROUPS if not args.only else args.only.split(",")
    unknown = [group for group in args.groups if group not in GROUPS]
    if unknown:
        parser.error(f"--only: unknown group {unknown[0]!r} (groups: {', '.join(GROUPS)})")
    if args.reps is None:
        args.reps = 1 if args.quick else 3
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    return args


def features(binary):
    """Which commands and options under test exist in this binary (others' rows print n/a)."""
    def help_text(*command):
        return subprocess.run([binary, *command, "--help"], capture_output=True, text=True).stdout
    return {"word_ngrams": "--word-ngrams" in help_text("train"), "quantize": "quantize" in help_text(),
            "vnni": cpu_has_vnni()}


def cpu_has_vnni():
    """Whether the CPU has AVX-512 VNNI or AVX-VNNI, which textclf's int8 products use (AVX2 else)."""
    with open("/proc/cpuinfo") as info:
        flags = next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), [])
    return "avx512_vnni" in flags or "avx_vnni" in flags


def cpu_name():
    """The CPU's model name from /proc/cpuinfo, for the JSON."""
    with open("/proc/cpuinfo") as info:
        return next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "unknown")


def main():
    """Plans, runs and reports; exits 1 when a row failed."""
    args = arguments()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"run: error: {args.binary}: no textclf binary (swift build -c release --product textclf)")
    work = os.path.join(REPOSITORY, "Benchmarks", ".work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.makedirs(args.results, exist_ok=True)
    found = features(args.binary)
    planner = Planner(Inputs(os.path.abspath(args.corpora), work, args.quick), args.binary, sys.executable,
                      found, args.quick)
    rows = planner.rows(args.groups)
    estimate = sum(estimate_seconds(row, args.reps) for row in rows)
    print(f"{len(rows)} rows, {args.reps} repetition(s); estimated {estimate / 60:.0f} min on 2 idle cores",
          file=sys.stderr)
    started, results = time.monotonic(), []
    for number, row in enumerate(rows, 1):
        print(f"[{number}/{len(rows)}] {row.key}", file=sys.stderr)
        result = run_row(row, args.reps, os.path.join(work, "predicted.txt"),
                         lambda line: print(line, file=sys.stderr))
        results.append(result)
        print(f"  {result['status']}" + (f"  ratio {result['ratio']:.2f}×" if "ratio" in result else ""),
              file=sys.stderr)
    minutes = (time.monotonic() - started) / 60
    print(markdown(results))
    print(f"\n{args.reps} repetition(s), medians, whole processes; ratio = textclf ÷ peer throughput "
          f"(> 1: textclf faster); {minutes:.1f} min", file=sys.stderr)
    document = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "command": "Benchmarks/run " + " ".join(sys.argv[1:]),
                "reps": args.reps, "quick": args.quick, "minutes": round(minutes, 1),
                "machine": {"cpu": cpu_name(), "cores": os.cpu_count(), "load_average": os.getloadavg(),
                            "python": platform.python_version()},
                "features": found, "rows": results}
    write_json(os.path.join(args.results, "latest.json"), document)
    write_chart(os.path.join(args.results, "ratios.svg"), results,
                f"textclf ÷ peer, medians of {args.reps}, whole process ({document['date'][:10]})")
    shutil.rmtree(work, ignore_errors=True)
    failed = [r["key"] for r in results if r["status"].startswith("failed")]
    if failed:
        sys.exit(f"run: error: {len(failed)} row(s) failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
