#!/usr/bin/env python3
"""Writes the "contains the target character" corpus in corpora/contains_a/.

Each line is a fastText example `__label__1 <string>` when the string contains the target
character and `__label__0 <string>` otherwise. Strings have a fixed length over an alphabet;
half of them are positive, with the target at one to three random positions. Until
`textclf generate contains` exists, this script is how the shipped corpus is made:

    python3 Scripts/make_contains_corpus.py            # rewrites corpora/contains_a/*.txt
"""
import pathlib
import random
import string

TARGET = "a"
ALPHABET = string.ascii_lowercase
LENGTH = 6
SPLITS = {"train": 2000, "test": 500}
SEED = 20261123


def example(rng: random.Random, positive: bool) -> str:
    others = [c for c in ALPHABET if c != TARGET]
    chars = [rng.choice(others) for _ in range(LENGTH)]
    if positive:
        for position in rng.sample(range(LENGTH), rng.randint(1, 3)):
            chars[position] = TARGET
    return "".join(chars)


def main() -> None:
    rng = random.Random(SEED)
    directory = pathlib.Path(__file__).resolve().parent.parent / "corpora" / "contains_a"
    directory.mkdir(parents=True, exist_ok=True)
    for split, count in SPLITS.items():
        labels = [1] * (count // 2) + [0] * (count - count // 2)
        rng.shuffle(labels)
        lines = [f"__label__{label} {example(rng, label == 1)}\n" for label in labels]
        (directory / f"{split}.txt").write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
