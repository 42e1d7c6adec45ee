#!/usr/bin/env python3
"""Forward + backward throughput of the sequence encoders: textclf against PyTorch CPU.

Usage (from Benchmarks/Sequence, after `swift build -c release`):
    /work/venv/bin/python compare.py [--seconds 3] [--binary .build/release/SequenceBenchmark]

Both sides run Embedding(10000, 64) → {RNN, LSTM, GRU (hidden 128, last pooling), Conv1d bank
(kernels 3, 4, 5 × 100 filters, ReLU, max pooling)} → Linear(·, 6) → cross entropy on a batch of
64 sequences of 64 tokens, forward and backward (no optimizer step), on 1 and 2 threads. PyTorch
runs the padded batch without packing (all lengths are equal, so packing would only add work)
with torch.set_num_threads(n). Both sides time each step and keep the fastest (the machine is
shared; other jobs only slow steps down). The table gives tokens/s, the ratio textclf / PyTorch (with glibc's
default heap and with the heap kept, see KEEP_HEAP), the multiply-adds per token and the tokens/s
that textclf's measured GEMM peak would allow.
"""
import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import torch
from torch import nn

B, T, D, H, V, CLASSES = 64, 64, 64, 128, 10_000, 6
KERNELS, FILTERS = [3, 4, 5], 100
# glibc otherwise returns the large freed training buffers to the kernel and takes page faults
# to get them back at the next batch.
KEEP_HEAP = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "1073741824"}


class Net(nn.Module):
    def __init__(self, arch):
        super().__init__()
        self.arch = arch
        self.embedding = nn.Embedding(V, D, padding_idx=0, sparse=True)
        if arch == "cnn":
            self.conv = nn.ModuleList(nn.Conv1d(D, FILTERS, k) for k in KERNELS)
            width = FILTERS * len(KERNELS)
        else:
            self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[arch](D, H, batch_first=True)
            width = H
        self.fc = nn.Linear(width, CLASSES)

    def forward(self, ids):
        x = self.embedding(ids)
        if self.arch == "cnn":
            x = x.transpose(1, 2)
            pooled = torch.cat([torch.relu(conv(x)).max(dim=2).values for conv in self.conv], dim=1)
        else:
            _, state = self.rnn(x)
            pooled = (state[0] if self.arch == "lstm" else state)[-1]
        return self.fc(pooled)


def pytorch_tokens_per_second(arch, threads, seconds):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Net(arch)
    ids = torch.randint(1, V, (B, T))
    targets = torch.randint(0, CLASSES, (B,))
    loss_function = nn.CrossEntropyLoss()

    def step():
        model.zero_grad(set_to_none=True)
        loss_function(model(ids), targets).backward()

    step(), step()
    # The fastest step, as the Swift side measures: other jobs on the machine only slow steps down.
    calls, fastest, start = 0, float("inf"), time.perf_counter()
    while time.perf_counter() - start < seconds or calls < 3:
        before = time.perf_counter()
        step()
        fastest = min(fastest, time.perf_counter() - before)
        calls += 1
    return B * T / fastest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--binary", default=str(Path(__file__).parent / ".build/release/SequenceBenchmark"))
    args = parser.parse_args()

    def run_textclf(extra_environment):
        environment = dict(os.environ, BENCH_SECONDS=str(args.seconds), **extra_environment)
        lines = subprocess.run([args.binary], check=True, capture_output=True, text=True, env=environment).stdout
        return [json.loads(line) for line in lines.splitlines()]

    default = run_textclf({})
    kept = run_textclf(KEEP_HEAP)
    peak = default[0]["gemm_peak_macs_per_s"]
    print(f"textclf GEMM peak (one thread, [4096,128]·[128,512]): {peak / 1e9:.1f} G multiply-adds/s")
    print("heap kept: glibc told to keep freed memory (" + " ".join(f"{k}={v}" for k, v in KEEP_HEAP.items()) + ")")
    print(f"{'arch':5} {'thr':>3} {'PyTorch':>9} {'textclf':>9} {'ratio':>6} {'heap kept':>9} {'ratio':>6} "
          f"{'MACs/token':>11} {'GEMM limit':>10} {'of limit':>8}")
    for record, record_kept in zip(default[1:], kept[1:]):
        arch, threads = record["arch"], record["threads"]
        theirs = pytorch_tokens_per_second(arch, threads, args.seconds)
        ours, ours_kept, limit = record["tokens_per_s"], record_kept["tokens_per_s"], record["limit_tokens_per_s"]
        print(f"{arch:5} {threads:>3} {theirs:>9,.0f} {ours:>9,.0f} {ours / theirs:>6.2f} {ours_kept:>9,.0f} "
              f"{ours_kept / theirs:>6.2f} {record['macs_per_token']:>11,} {limit:>10,.0f} {max(ours, ours_kept) / limit:>8.0%}")
    print("tokens/s throughout; GEMM limit = threads × peak / (MACs/token); of limit uses the faster textclf figure")


if __name__ == "__main__":
    main()
