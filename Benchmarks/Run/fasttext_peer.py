#!/usr/bin/env python3
"""The fastText side of the pool rows, through the fasttext-wheel module (it ships no CLI).

    fasttext_peer.py train --input TRAIN.txt --output MODEL --dim 64 --epoch 5 --lr 0.1
                           --word-ngrams 1 --threads 2 [--quantize]
    fasttext_peer.py predict --model MODEL --input TEXTS.txt

train runs `fastText supervised` (softmax loss, linear learning-rate decay, minCount 1) and
saves the model (`--quantize`: then fastText's product quantization, saved as .ftz does).
predict writes `label<TAB>probability` for each input line, as `fasttext predict-prob` would,
an empty line for a line without any token.
"""
import argparse
import sys

import fasttext

PREFIX = "__label__"
CHUNK = 10_000  # lines per predict call: one call per line would time Python, not fastText


def train(args):
    """Trains (and quantizes) a supervised model and saves it."""
    model = fasttext.train_supervised(input=args.input, dim=args.dim, epoch=args.epoch, lr=args.lr,
                                      wordNgrams=args.word_ngrams, thread=args.threads, minCount=1,
                                      loss="softmax", verbose=0)
    if args.quantize:
        model.quantize()
    model.save_model(args.output)


def predict(args):
    """Writes the best label and its probability for every input line."""
    model = fasttext.load_model(args.model)
    output = sys.stdout
    with open(args.input, encoding="utf-8", errors="replace") as lines:
        while True:
            chunk = [line.rstrip("\n") for _, line in zip(range(CHUNK), lines)]
            if not chunk:
                break
            labels, probabilities = model.predict(chunk)
            output.write("".join(f"{label[0][len(PREFIX):]}\t{probability[0]:.6f}\n" if len(label) else "\n"
                                 for label, probability in zip(labels, probabilities)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    training = commands.add_parser("train")
    training.add_argument("--input", required=True)
    training.add_argument("--output", required=True)
    training.add_argument("--dim", type=int, default=64)
    training.add_argument("--epoch", type=int, default=5)
    training.add_argument("--lr", type=float, default=0.1)
    training.add_argument("--word-ngrams", type=int, default=1)
    training.add_argument("--threads", type=int, default=2)
    training.add_argument("--quantize", action="store_true")
    prediction = commands.add_parser("predict")
    prediction.add_argument("--model", required=True)
    prediction.add_argument("--input", required=True)
    args = parser.parse_args()
    train(args) if args.command == "train" else predict(args)


if __name__ == "__main__":
    main()
