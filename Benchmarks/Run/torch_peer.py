#!/usr/bin/env python3
"""The PyTorch side of the rnn, lstm, gru and cnn rows: training and inference as users write them.

    torch_peer.py train --arch lstm --train TRAIN.tsv --vocab VOCAB.txt --threads 2
                        --variant packed|padded [--epochs 5] -o MODEL.pt
    torch_peer.py infer --model MODEL.pt --input TEXTS.txt --threads 2 [--variant packed|padded]

The module is Scripts/textclf_torch.py's TextClfNet, the network textclf trains (dim 64, hidden
128, Conv1d 3,4,5 x 100; last pooling for recurrent archs, max for cnn; no dropout, as textclf
runs with --dropout 0 here). Training: examples sorted by length and cut into batches of 64, the
batches shuffled every epoch, cross entropy, Adam 1e-3, gradient norm clipped at 5 (textclf's
default), max length 256. `packed` runs the recurrent module on pack_padded_sequence;
`padded` runs it on the padded batch and reads each row's output at its last real position
(the same result for a unidirectional network). Inference reads the texts a chunk at a time,
sorts each chunk by length into batches of 512, and writes `label<TAB>probability` per line
(an empty line for a text without any token).

Tokens are whitespace-split and looked up in the textclf vocabulary file VOCAB.txt (built with
`textclf build-vocab --level space`), so both sides see the same token ids.
"""
import argparse
import os
import random
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts"))
from textclf_torch import TextClfNet  # noqa: E402

MAX_LENGTH = 256
UNKNOWN = 1
CHUNK = 512 * 16


def read_vocabulary(path):
    """{token: id} from a textclf vocabulary file (ids 0 and 1 are <pad> and <unk> by position)."""
    escapes = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
    index = {}
    with open(path, encoding="utf-8") as lines:
        next(lines)  # the header
        for position, line in enumerate(lines):
            token = line.rstrip("\n").rsplit("\t", 1)[0]
            for escaped, plain in escapes.items():
                token = token.replace(escaped, plain)  # textclf escapes only these four
            if position >= 2:
                index[token] = position
    return index


def encode(text, index):
    """The ids of the whitespace-separated tokens of text, at most MAX_LENGTH."""
    return [index.get(token, UNKNOWN) for token in text.split()][:MAX_LENGTH]


def configuration(arch):
    """The textclf configuration TextClfNet takes, for the benchmark's sizes."""
    return {"arch": arch, "dim": 64, "hidden": 128, "layers": 1, "bidirectional": False,
            "kernel_sizes": [3, 4, 5], "filters": 100, "loss": "ce", "multilabel": False,
            "pooling": "max" if arch == "cnn" else "last"}


def logits(net, ids, lengths, variant):
    """The network's logits, the recurrent module run on the packed or the padded batch."""
    if variant == "padded" and net.config["arch"] != "cnn":
        out, _ = net.rnn(net.embedding(ids))
        return net.fc(out[torch.arange(ids.shape[0]), lengths - 1])
    return net(ids, lengths)


def padded(rows):
    """(ids [B, T], lengths [B]) for a list of id lists."""
    lengths = torch.tensor([len(row) for row in rows])
    ids = torch.zeros(len(rows), int(lengths.max()), dtype=torch.long)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = torch.tensor(row)
    return ids, lengths


def train(args):
    """Trains and saves the module with its labels and vocabulary path."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    random.seed(1)
    index = read_vocabulary(args.vocab)
    examples = []
    with open(args.train, encoding="utf-8") as lines:
        for line in lines:
            label, _, text = line.rstrip("\n").partition("\t")
            ids = encode(text, index)
            if ids:
                examples.append((ids, label))
    labels = sorted({label for _, label in examples}, key=lambda label: label.encode())
    label_ids = {label: i for i, label in enumerate(labels)}
    examples.sort(key=lambda example: len(example[0]))
    batches = []
    for start in range(0, len(examples), args.batch_size):
        chunk = examples[start: start + args.batch_size]
        ids, lengths = padded([ids for ids, _ in chunk])
        batches.append((ids, lengths, torch.tensor([label_ids[label] for _, label in chunk])))
    net = TextClfNet(configuration(args.arch), len(index) + 2, len(labels))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_function = nn.CrossEntropyLoss()
    net.train()
    for _ in range(args.epochs):
        random.shuffle(batches)
        for ids, lengths, targets in batches:
            optimizer.zero_grad()
            loss_function(logits(net, ids, lengths, args.variant), targets).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optimizer.step()
    torch.save({"arch": args.arch, "labels": labels, "vocabulary": args.vocab, "state": net.state_dict()},
               args.output)


def infer(args):
    """Classifies the input lines with a saved module."""
    torch.set_num_threads(args.threads)
    saved = torch.load(args.model)
    labels = saved["labels"]
    index = read_vocabulary(saved["vocabulary"])
    net = TextClfNet(configuration(saved["arch"]), len(index) + 2, len(labels))
    net.load_state_dict(saved["state"])
    net.eval()
    output = sys.stdout
    with open(args.input, encoding="utf-8", errors="replace") as lines, torch.no_grad():
        while True:
            chunk = [encode(line, index) for _, line in zip(range(CHUNK), lines)]
            if not chunk:
                break
            answers = [""] * len(chunk)
            order = sorted((i for i, ids in enumerate(chunk) if ids), key=lambda i: len(chunk[i]))
            for start in range(0, len(order), args.batch_size):
                rows = order[start: start + args.batch_size]
                ids, lengths = padded([chunk[i] for i in rows])
                best, which = torch.softmax(logits(net, ids, lengths, args.variant), dim=1).max(dim=1)
                for i, p, c in zip(rows, best.tolist(), which.tolist()):
                    answers[i] = f"{labels[c]}\t{p:.6f}"
            output.write("\n".join(answers) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    training = commands.add_parser("train")
    training.add_argument("--arch", choices=["rnn", "lstm", "gru", "cnn"], required=True)
    training.add_argument("--train", required=True)
    training.add_argument("--vocab", required=True)
    training.add_argument("--epochs", type=int, default=5)
    training.add_argument("--batch-size", type=int, default=64)
    training.add_argument("-o", "--output", required=True)
    inference = commands.add_parser("infer")
    inference.add_argument("--model", required=True)
    inference.add_argument("--input", required=True)
    inference.add_argument("--batch-size", type=int, default=512)
    for command in (training, inference):
        command.add_argument("--threads", type=int, default=2)
        command.add_argument("--variant", choices=["packed", "padded"], default="packed")
    args = parser.parse_args()
    train(args) if args.command == "train" else infer(args)


if __name__ == "__main__":
    main()
