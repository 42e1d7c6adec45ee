"""PyTorch CPU reference for the pool-model step timed by KernelBenchmarks.

EmbeddingBag(mode='mean') → Linear → cross entropy, forward + backward, batch 64 of 64 tokens,
dim 64, vocabulary 50k, 6 classes; median of 15 samples, for 1 and 2 threads, and for one
thread also the least thread CPU time per step (robust to other processes on the machine).
Run: /work/venv/bin/python Benchmarks/Kernels/pool_step_torch.py
"""
import time

import torch

B, T, D, V, C = 64, 64, 64, 50_000, 6
torch.manual_seed(2)
bag = torch.nn.EmbeddingBag(V, D, mode="mean", sparse=True)
fc = torch.nn.Linear(D, C)
ids = torch.randint(1, V, (B, T))
targets = torch.randint(0, C, (B,))


def step():
    bag.zero_grad(set_to_none=True)
    fc.zero_grad(set_to_none=True)
    loss = torch.nn.functional.cross_entropy(fc(bag(ids)), targets)
    loss.backward()


def seconds_per_step(clock, batch_seconds, samples):
    """Per-step times of `samples` batches on `clock`, each batch calling `step` often enough
    to last `batch_seconds`."""
    step()
    calls = 1
    while True:
        start = clock()
        for _ in range(calls):
            step()
        if clock() - start > batch_seconds:
            break
        calls *= 2
    times = []
    for _ in range(samples):
        start = clock()
        for _ in range(calls):
            step()
        times.append((clock() - start) / calls)
    return times


def median_seconds(samples=15):
    return sorted(seconds_per_step(time.perf_counter, 0.02, samples))[samples // 2]


def least_thread_cpu_seconds(samples=30):
    """Least CPU time of this thread per step over samples of ~2 ms (one thread only: with
    more, the work runs on other threads too)."""
    return min(seconds_per_step(time.thread_time, 0.002, samples))


for threads in (1, 2):
    torch.set_num_threads(threads)
    print(f"torch {torch.__version__} threads {threads}: median {median_seconds() * 1e6:.1f} µs per step")
    if threads == 1:
        print(f"torch threads 1: least thread CPU time {least_thread_cpu_seconds() * 1e6:.1f} µs per step")
