#!/usr/bin/env python3
"""Write a copy of a labeled corpus with seeded typos: neighbouring graphemes swapped.

    venv/bin/python Scripts/make_typos.py --seed 1 IN OUT

IN is a labeled corpus as textclf reads it: TSV (`label<TAB>text`; a `.tsv` name or a tab on the
first line) or fastText lines (`__label__A [__label__B] text`). OUT gets the same lines, labels and
spacing unchanged, with typos in the texts:
- every space-separated token of 4 or more graphemes gets one pair of neighbouring graphemes
  swapped;
- a text without any space (Chinese, Japanese) is cut into runs of 4 graphemes from its start,
  and each whole run gets one neighbouring pair swapped: one swap per 4 graphemes, none sharing
  a grapheme.
The pair is drawn by `random.Random(SEED)` among the pairs whose two graphemes differ (swapping
`ll` would change nothing); a token or run with no such pair stays as it is and is counted.
Graphemes are extended grapheme clusters, the `regex` module's `\\X` (pip install regex), so a
letter with its combining accents, or an emoji sequence, moves as one. The same seed and input
give the same output on every machine with the same `regex` version (its Unicode tables may
be newer than ICU's, which only matters for scripts added since).
Prints the counts to standard error. A malformed line is `make_typos: error: IN:LINE: problem`,
exit 1, and OUT is then left untouched (it is written to a temporary file and renamed).
"""
import argparse
import os
import random
import sys

try:
    import regex
except ImportError:
    sys.exit("make_typos: error: needs the regex module for graphemes: pip install regex")

GRAPHEME = regex.compile(r"\X")
SHORTEST_TOKEN = 4  # graphemes
RUN = 4  # graphemes per swap in a text without spaces


class Counts:
    """What was changed, for the summary line."""

    def __init__(self):
        self.lines = self.tokens = self.swapped_tokens = self.unchanged_tokens = 0
        self.spaceless_lines = self.spaceless_swaps = self.unchanged_runs = 0


def swap_one(graphemes, start, end, rng):
    """Swaps one differing neighbouring pair inside graphemes[start:end]; False when there is none."""
    pairs = [i for i in range(start, end - 1) if graphemes[i] != graphemes[i + 1]]
    if not pairs:
        return False
    i = pairs[rng.randrange(len(pairs))]
    graphemes[i], graphemes[i + 1] = graphemes[i + 1], graphemes[i]
    return True


def typo_text(text, rng, counts):
    """The text with its typos."""
    if " " not in text:
        graphemes = GRAPHEME.findall(text)
        if len(graphemes) >= RUN:
            counts.spaceless_lines += 1
        for start in range(0, len(graphemes) - RUN + 1, RUN):
            if swap_one(graphemes, start, start + RUN, rng):
                counts.spaceless_swaps += 1
            else:
                counts.unchanged_runs += 1
        return "".join(graphemes)
    tokens = text.split(" ")
    for position, token in enumerate(tokens):
        if not token:
            continue
        counts.tokens += 1
        graphemes = GRAPHEME.findall(token)
        if len(graphemes) < SHORTEST_TOKEN:
            continue
        if swap_one(graphemes, 0, len(graphemes), rng):
            counts.swapped_tokens += 1
            tokens[position] = "".join(graphemes)
        else:
            counts.unchanged_tokens += 1
    return " ".join(tokens)


def split_labels(line, fasttext, path, number):
    """(label part, text) of one line; the label part keeps its separator."""
    if fasttext:
        words = line.split(" ")
        count = 0
        while count < len(words) and words[count].startswith("__label__"):
            count += 1
        if count == 0:
            fail(path, number, "a fastText line must start with __label__")
        if count == len(words):
            return line, ""
        return " ".join(words[:count]) + " ", " ".join(words[count:])
    label, tab, text = line.partition("\t")
    if not tab or not label:
        fail(path, number, "expected label<TAB>text")
    return label + "\t", text


def fail(path, number, problem):
    print(f"make_typos: error: {path}:{number}: {problem}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, required=True, help="seed of the random generator")
    parser.add_argument("input", metavar="IN", help="labeled TSV or fastText file")
    parser.add_argument("output", metavar="OUT", help="where the copy with typos goes")
    options = parser.parse_args()

    try:
        with open(options.input, encoding="utf-8", newline="") as handle:
            lines = handle.read().split("\n")
    except (OSError, UnicodeDecodeError) as error:
        fail(options.input, 0, f"cannot read: {error}")
    first = next((line for line in lines if line.strip()), "")
    fasttext = not options.input.endswith(".tsv") and first.startswith("__label__")
    if not fasttext and "\t" not in first:
        fail(options.input, 1, "neither TSV (label<TAB>text) nor fastText lines (__label__...)")

    rng, counts = random.Random(options.seed), Counts()
    written = []
    for number, line in enumerate(lines, 1):
        ending = "\r" if line.endswith("\r") else ""
        body = line[: len(line) - len(ending)]
        if not body:
            written.append(line)
            continue
        counts.lines += 1
        labels, text = split_labels(body, fasttext, options.input, number)
        written.append(labels + typo_text(text, rng, counts) + ending)

    temporary = options.output + ".part"
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            out.write("\n".join(written))
        os.replace(temporary, options.output)
    except OSError as error:
        fail(options.output, 0, f"cannot write: {error}")
    print(f"make_typos: {counts.lines} lines; {counts.swapped_tokens} of {counts.tokens} space-separated tokens "
          f"swapped ({counts.unchanged_tokens} long tokens without two different neighbours left as they are); "
          f"{counts.spaceless_lines} lines without spaces got {counts.spaceless_swaps} swaps "
          f"({counts.unchanged_runs} runs left as they are)", file=sys.stderr)


if __name__ == "__main__":
    main()
