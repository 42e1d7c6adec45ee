#!/usr/bin/env python3
"""Writes the PyTorch parity fixtures of word n-grams and subwords: Tests/Fixtures/core/subwords_*.safetensors.

Run from the repository root with a venv that has torch and safetensors:

    venv/bin/python Tests/Fixtures/make_subword_fixtures.py

Every position of a batch is an nn.EmbeddingBag(mode='mean') over its bag of rows (SPEC section 2):
a known token's row and its subword rows, an unknown token's subword rows, <unk> alone, or (pool
with word n-grams) an n-gram's row alone; padding positions have empty bags and embed to zero.
The bags here are drawn at random over vocabulary + bucket rows, repeats included: the ids
themselves are tested in Swift against independently computed values. Each fixture holds the
weights (state_dict names), the bags, the lengths, the logits, dL/dlogits of the mean cross
entropy and the gradient of every parameter, the embedding's as a dense [rows, D] table.

The modules run in float64 on float32-rounded weights, so the references carry no float32
rounding of their own. The Swift test is SubwordParityTests.
"""
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "Scripts"))
from textclf_torch import TextClfBagNet  # noqa: E402

VOCABULARY = 9      # <pad>, <unk> and 7 tokens
BUCKETS = 13
LENGTHS = [5, 2, 4, 1]
STEPS = 6
LABELS = [2, 0, 1, 2]


def config(arch, pooling, **extra):
    base = {"arch": arch, "pooling": pooling, "dim": 5, "hidden": 4, "layers": 1, "bidirectional": False,
            "kernel_sizes": [2, 3], "filters": 3, "dropout": 0.0, "loss": "ce", "multilabel": False,
            "max_length": 256, "word_ngrams": 1, "minn": 3, "maxn": 6, "buckets": BUCKETS}
    base.update(extra)
    return base


def random_bags(generator, ngram_positions=0):
    """Per position of the padded batch, its rows: 1 to 4 rows, the first a token row (or not,
    for an unknown token), the rest bucket rows; n-gram positions one bucket row each."""
    bags = []
    for length in LENGTHS:
        tokens = length - ngram_positions if length > ngram_positions else length
        for t in range(STEPS):
            if t >= length:
                bags.append([])
            elif t >= tokens:
                bags.append([VOCABULARY + int(torch.randint(BUCKETS, (1,), generator=generator))])
            else:
                kind = int(torch.randint(4, (1,), generator=generator))
                subwords = [VOCABULARY + int(r) for r in torch.randint(BUCKETS, (int(torch.randint(1, 4, (1,), generator=generator)),), generator=generator)]
                if kind == 0:
                    bags.append([1])                     # unknown without subwords
                elif kind == 1:
                    bags.append(subwords)                # unknown with subwords
                else:
                    token = int(torch.randint(2, VOCABULARY, (1,), generator=generator))
                    bags.append([token] + subwords + subwords[:1])  # a known token, one subword repeated
    return bags


def run(name, settings, bags, seed):
    torch.manual_seed(seed)
    net = TextClfBagNet(settings, VOCABULARY, 3)
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.copy_(parameter.to(torch.float32))
        net.embedding.weight[0].zero_()
    net = net.double()
    rows = torch.tensor([r for bag in bags for r in bag], dtype=torch.long)
    offsets = torch.tensor([0] + list(torch.cumsum(torch.tensor([len(b) for b in bags]), 0)[:-1]), dtype=torch.long)
    lengths = torch.tensor(LENGTHS, dtype=torch.long)
    logits = net(rows, offsets, lengths, STEPS)
    logits.retain_grad()
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(LABELS))
    loss.backward()
    tensors = {key: value.detach() for key, value in net.state_dict().items()}
    tensors.update({"grad." + key: p.grad for key, p in net.named_parameters()})
    ends = torch.cumsum(torch.tensor([len(b) for b in bags]), 0)
    tensors.update({"bag_rows": rows.double(), "bag_offsets": torch.cat([torch.zeros(1), ends.double()]),
                    "lengths": lengths.double(), "logits": logits.detach(), "logits_grad": logits.grad,
                    "loss": loss.detach().reshape(1)})
    stored = {key: value.to(torch.float32).contiguous() for key, value in tensors.items()}
    save_file(stored, str(HERE / "core" / f"{name}.safetensors"),
              metadata={"config": json.dumps(settings, sort_keys=True), "vocabulary_size": str(VOCABULARY),
                        "steps": str(STEPS)})
    print(name, f"loss {loss.item():.6f}")


def main():
    generator = torch.Generator().manual_seed(12)
    # pool with word n-grams (no subwords): the last positions of each example are n-gram rows,
    # every position a bag of one row, so the example is EmbeddingBag over tokens and n-grams.
    single = [[b[0]] if b else [] for b in random_bags(generator, ngram_positions=2)]
    run("subwords_pool_ngrams", config("pool", "mean", word_ngrams=2, minn=0, maxn=0), single, 1)
    run("subwords_pool_max", config("pool", "max", word_ngrams=2), random_bags(generator, ngram_positions=1), 2)
    run("subwords_lstm_last", config("lstm", "last"), random_bags(generator), 3)
    run("subwords_gru_bidirectional_mean", config("gru", "mean", bidirectional=True), random_bags(generator), 4)
    run("subwords_cnn_max", config("cnn", "max"), random_bags(generator), 5)


if __name__ == "__main__":
    main()
