#!/usr/bin/env python3
"""Writes the model-file parity fixtures: small models that textclf trains, and the
probabilities that PyTorch computes after loading each file with `load_state_dict`.

Run from the repository root after `swift build -c release`:

    /path/to/venv/bin/python Tests/Fixtures/make_model_fixtures.py

Needs torch, safetensors and PyICU (see Tests/Fixtures/README.md). Writes
Tests/Fixtures/models/NAME.safetensors and NAME.probabilities.json; the Swift test
`ModelParityTests` loads each model with `Classifier` and compares within SPEC section 4's
tolerance, so CI needs no torch.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Scripts"))

import torch  # noqa: E402

from textclf_torch import encode, load  # noqa: E402

CLI = os.path.join(ROOT, ".build", "release", "textclf")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "models")
SMALL = ["--dim", "8", "--hidden", "6", "--filters", "4", "--epochs", "1", "--seed", "7", "--quiet"]

# name: (corpus, extra train options)
MODELS = {
    "pool_mean": ("contains", ["--arch", "pool", "--level", "char"]),
    "pool_max_bce": ("contains", ["--arch", "pool", "--level", "char", "--pooling", "max", "--loss", "bce"]),
    "rnn_last": ("contains", ["--arch", "rnn", "--level", "char"]),
    "lstm_bidirectional_two_layers": ("contains", ["--arch", "lstm", "--level", "char", "--bidirectional", "--layers", "2"]),
    "gru_mean_mse": ("contains", ["--arch", "gru", "--level", "char", "--pooling", "mean", "--loss", "mse"]),
    "cnn_max": ("contains", ["--arch", "cnn", "--level", "char", "--kernel-sizes", "2,4"]),
    "lstm_words_multilingual": ("langid", ["--arch", "lstm", "--lowercase", "--normalize", "nfkc", "--max-size", "300"]),
    "cnn_words_mean": ("langid", ["--arch", "cnn", "--pooling", "mean", "--max-size", "300", "--kernel-sizes", "3,5"]),
}

CONTAINS_LINES = ["abcab", "xyz", "", "a", "qq", "zzzzzzzzzazzzz", "ab a ba", "é好a", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]


def langid_lines():
    with open(os.path.join(ROOT, "corpora", "manpages_langid", "test.tsv"), encoding="utf-8") as handle:
        texts = [line.rstrip("\n").split("\t", 1)[1] for line in handle]
    # Every 40th line covers all languages, zh and ja included; add edge cases.
    return texts[::40] + ["", "!!! ...", "Hello, World 👋 ünïcödé ＡＢＣ", "我喜欢自然语言处理 and English"]


def main():
    corpora = {"contains": os.path.join(ROOT, "corpora", "contains_a", "train.txt"),
               "langid": os.path.join(ROOT, "corpora", "manpages_langid", "train.tsv")}
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, (corpus, options) in MODELS.items():
            model = os.path.join(OUT, name + ".safetensors")
            subprocess.run([CLI, "train", "--train", corpora[corpus], *options, *SMALL, "-o", model], check=True)
            lines = CONTAINS_LINES if corpus == "contains" else langid_lines()
            net, config, vocabulary, labels = load(model)
            ids, lengths, kept = encode(lines, vocabulary, config)
            with torch.no_grad():
                probabilities = net.probabilities(ids, lengths).tolist() if kept else []
            rows = dict(zip(kept, probabilities))
            fixture = {"labels": labels, "lines": lines, "probabilities": [rows.get(i) for i in range(len(lines))]}
            with open(os.path.join(OUT, name + ".probabilities.json"), "w", encoding="utf-8") as handle:
                json.dump(fixture, handle, ensure_ascii=False, indent=1)
            print(f"{name}: {len(kept)} of {len(lines)} lines classified, {os.path.getsize(model)} bytes")


if __name__ == "__main__":
    main()
