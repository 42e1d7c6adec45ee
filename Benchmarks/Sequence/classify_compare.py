#!/usr/bin/env python3
"""Inference throughput of the neural archs: `textclf classify` against PyTorch's forward.

Usage (from the repository root, after `swift build -c release --product textclf`):
    /path/to/venv/bin/python Benchmarks/Sequence/classify_compare.py \
        --models rnn.safetensors lstm.safetensors --corpus ../shared/corpora/sst2/train.tsv \
        --copies 80 [--threads 1 2] [--repeats 3]

The input is the text column of the corpus repeated `copies` times. textclf is timed as the
user runs it: the whole `textclf classify` process (read, tokenize, forward, write), output to
/dev/null. PyTorch is timed on its forward only (the module of Scripts/textclf_torch.py, under
torch.no_grad(), batches of 512 texts in input order, packed with pack_padded_sequence), with
the ids prepared beforehand, so the comparison favours the peer. Runs alternate between the
two sides; each row gives the median of `repeats` runs in texts/s and the ratio
textclf / PyTorch.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Scripts"))
from textclf_torch import load  # noqa: E402

BATCH = 512


def texts_of(corpus):
    with open(corpus, encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t", 1)[-1] for line in handle]


def encoded(texts, vocabulary, config):
    """The ids of each text: the space-separated words the vocabulary knows, punctuation-only
    tokens dropped as textclf's word level drops them, unknown words as <unk>. Close to what
    textclf's tokenizer gives on this pre-tokenized corpus; only the forward is timed."""
    index = {token: i for i, token in enumerate(vocabulary)}
    rows = []
    for text in texts:
        words = [w for w in text.split() if any(c.isalnum() for c in w)]
        if config["tokenizer"].get("lowercase"):
            words = [w.lower() for w in words]
        ids = [index.get(w, 1) for w in words][: config["max_length"]]
        rows.append(ids or [1])
    return rows


def torch_seconds(net, rows, threads):
    torch.set_num_threads(threads)
    batches = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        longest = max(len(r) for r in chunk)
        ids = torch.zeros(len(chunk), longest, dtype=torch.long)
        for r, row in enumerate(chunk):
            ids[r, :len(row)] = torch.tensor(row)
        batches.append((ids, torch.tensor([len(r) for r in chunk], dtype=torch.long)))
    with torch.no_grad():
        start = time.perf_counter()
        for ids, lengths in batches:
            net.probabilities(ids, lengths)
        return time.perf_counter() - start


def textclf_seconds(binary, model, path, threads):
    start = time.perf_counter()
    subprocess.run([binary, "classify", "-m", model, "--threads", str(threads), path],
                   stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+", required=True)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared/corpora/sst2/train.tsv"))
    parser.add_argument("--copies", type=int, default=80)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--binary", default=str(ROOT / ".build/release/textclf"))
    args = parser.parse_args()

    texts = texts_of(args.corpus)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "input.txt")
        with open(path, "w", encoding="utf-8") as handle:
            for _ in range(args.copies):
                handle.write("\n".join(texts) + "\n")
        count = len(texts) * args.copies
        megabytes = os.path.getsize(path) / 1e6
        print(f"{count} texts, {megabytes:.1f} MB; medians of {args.repeats}; texts/s")
        print(f"{'model':<24} {'threads':>7} {'textclf':>10} {'pytorch':>10} {'ratio':>6}")
        for model in args.models:
            net, config, vocabulary, _ = load(model)
            rows = encoded(texts, vocabulary, config) * args.copies
            for threads in args.threads:
                ours, theirs = [], []
                for _ in range(args.repeats):
                    ours.append(count / textclf_seconds(args.binary, model, path, threads))
                    theirs.append(count / torch_seconds(net, rows, threads))
                a, b = statistics.median(ours), statistics.median(theirs)
                print(f"{Path(model).name:<24} {threads:>7} {a:>10.0f} {b:>10.0f} {a / b:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
