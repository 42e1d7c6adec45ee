"""PyTorch CPU reference for the pool-model step timed by KernelBenchmarks.

EmbeddingBag(mode='mean') → Linear → cross entropy, forward + backward, batch 64 of 64 tokens,
dim 64, vocabulary 50k, 6 classes; median of 15 samples, for 1 and 2 threads.
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


def median_seconds(samples=15):
    step()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            step()
        if time.perf_counter() - start > 0.02:
            break
        calls *= 2
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(calls):
            step()
        times.append((time.perf_counter() - start) / calls)
    return sorted(times)[samples // 2]


for threads in (1, 2):
    torch.set_num_threads(threads)
    print(f"torch {torch.__version__} threads {threads}: median {median_seconds() * 1e6:.1f} µs per step")
