#!/usr/bin/env python3
"""Load a textclf model file into the PyTorch module of the same shape and classify lines.

    /path/to/venv/bin/python Scripts/to_pytorch.py model.safetensors "some text" "more text"
    /path/to/venv/bin/python Scripts/to_pytorch.py model.safetensors < lines.txt

Prints one line per input: every label's probability in the model's label order, 6 decimals
(an input without any token prints an empty line). Quantized models load dequantized. Needs torch, safetensors and PyICU
(pip install torch safetensors PyICU; PyICU builds against the system's libicu-dev).
A model with word n-grams or subwords loads as a TextClfBagNet (nn.EmbeddingBag), its rows
computed by textclf_ids.py exactly as textclf computes them.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from textclf_torch import encode, encode_bags, load, uses_hashed_rows  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    net, config, vocabulary, labels = load(sys.argv[1])
    texts = sys.argv[2:] or [line.rstrip("\n") for line in sys.stdin]
    rows = {}
    if uses_hashed_rows(config):
        bag_rows, offsets, lengths, steps, kept = encode_bags(texts, vocabulary, config)
        inputs = (bag_rows, offsets, lengths, steps)
    else:
        ids, lengths, kept = encode(texts, vocabulary, config)
        inputs = (ids, lengths)
    if kept:
        with torch.no_grad():
            probabilities = net.probabilities(*inputs)
        rows = dict(zip(kept, probabilities.tolist()))
    print("\t".join(labels))
    for position in range(len(texts)):
        print(" ".join(f"{p:.6f}" for p in rows.get(position, [])))


if __name__ == "__main__":
    main()
