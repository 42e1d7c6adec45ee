#!/usr/bin/env python3
"""The embedding rows of a textclf model with word n-grams or subwords, in pure Python.

textclf (SPEC section 2, `TokenHashing` in the library) embeds each token position as the mean
of a bag of rows of a table of V vocabulary rows followed by B hashed rows:
  - a known token: its id, then the rows of its subwords;
  - an unknown token: the rows of its subwords, or <unk> (id 1) when it has none;
  - with word n-grams (pool only), one position per n-gram after the tokens: its row alone.
Hashes: FNV-1a-32 over UTF-8 bytes; n-gram rows combine the token hashes (h * 116049371 + next,
64-bit, no sign extension); a subword is a run of minn..maxn graphemes of "<" token ">" (the
brackets are graphemes of their own, the lone "<" and ">" are skipped).

Tokenization is textclf's: for --level space it is a split on fastText's spaces
(textclf_torch.tokenize), for ICU words give this module the tokens textclf produced (the
library's `TokenizerSession.tokens(_:)`), or let textclf_torch.tokenize use PyICU. Graphemes
come from PyICU when it is installed; otherwise from the pure-Python rules below (UAX #29
without Prepend and Indic conjunct rules, Extended_Pictographic approximated by the emoji
blocks), which agree with textclf for Latin, CJK, Hangul, combining marks, emoji with skin
tones or ZWJ sequences, and flags.

Command line (no torch needed):

    python3 Scripts/textclf_ids.py MODEL.safetensors < tokens.tsv

reads one text per line as tab-separated tokens and prints, per text, its bags: positions
separated by tabs, the rows of a position by spaces.
"""
import json
import struct
import sys
import unicodedata

FNV_OFFSET = 2166136261
FNV_PRIME = 16777619
NGRAM_MULTIPLIER = 116049371


def fnv1a32(data):
    """FNV-1a-32 of bytes (or of a str's UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return h


def word_ngram_rows(token_hashes, max_n, first_row, buckets):
    """Rows of the 2..max_n-grams of the tokens, by start position then length."""
    rows = []
    for i in range(len(token_hashes)):
        h = token_hashes[i]
        for j in range(i + 1, min(i + max_n, len(token_hashes))):
            h = (h * NGRAM_MULTIPLIER + token_hashes[j]) & 0xFFFFFFFFFFFFFFFF
            rows.append(first_row + h % buckets)
    return rows


def subwords(token, minn, maxn):
    """The subwords of token as strings, in row order."""
    pieces = ["<"] + graphemes(token) + [">"]
    result = []
    for i in range(len(pieces)):
        for n in range(minn, maxn + 1):
            if i + n > len(pieces):
                break
            if n == 1 and (i == 0 or i == len(pieces) - 1):
                continue
            result.append("".join(pieces[i:i + n]))
    return result


def subword_rows(token, minn, maxn, first_row, buckets):
    return [first_row + fnv1a32(piece) % buckets for piece in subwords(token, minn, maxn)]


# --- Graphemes ---

def graphemes(text):
    """The extended grapheme clusters of text: ICU's when PyICU is installed, else the rules below."""
    try:
        import icu
    except ImportError:
        return _graphemes_by_rules(text)
    unicode_text = icu.UnicodeString(text)
    breaker = icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())
    breaker.setText(unicode_text)
    result, start = [], 0
    for end in breaker:
        result.append(str(unicode_text[start:end]))
        start = end
    return result


def _kind(cp):
    if cp == 0x0D:
        return "CR"
    if cp == 0x0A:
        return "LF"
    if cp == 0x200D:
        return "ZWJ"
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return "RI"
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp == 0x200C:
        return "Extend"
    category = unicodedata.category(chr(cp))
    if category in ("Mn", "Me"):
        return "Extend"
    if category == "Mc":
        return "SpacingMark"
    if category in ("Cc", "Zl", "Zp") or (category == "Cf" and cp not in (0x200D,)):
        return "Control"
    if (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2300 <= cp <= 0x23FF
            or 0x2B00 <= cp <= 0x2BFF or cp in (0xA9, 0xAE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D,
                                                0x3297, 0x3299) or 0x2194 <= cp <= 0x21AA):
        return "Pictographic"
    return "Other"


def _graphemes_by_rules(text):
    clusters = []
    previous = None
    regional_run = 0          # regional indicators in the current run
    emoji_state = 0           # 1: in Pictographic Extend*, 2: ... followed by ZWJ
    for character in text:
        kind = _kind(ord(character))
        joins = False
        if previous is not None:
            if previous == "CR" and kind == "LF":
                joins = True
            elif previous in ("CR", "LF", "Control") or kind in ("CR", "LF", "Control"):
                joins = False
            elif previous == "L" and kind in ("L", "V", "LV", "LVT"):
                joins = True
            elif previous in ("LV", "V") and kind in ("V", "T"):
                joins = True
            elif previous in ("LVT", "T") and kind == "T":
                joins = True
            elif kind in ("Extend", "ZWJ", "SpacingMark"):
                joins = True
            elif emoji_state == 2 and kind == "Pictographic":
                joins = True
            elif previous == "RI" and kind == "RI" and regional_run % 2 == 1:
                joins = True
        if joins:
            clusters[-1] += character
        else:
            clusters.append(character)
        regional_run = regional_run + 1 if kind == "RI" else 0
        if kind == "Pictographic":
            emoji_state = 1
        elif kind == "Extend" and emoji_state == 1:
            emoji_state = 1
        elif kind == "ZWJ" and emoji_state == 1:
            emoji_state = 2
        else:
            emoji_state = 0
        previous = kind
    return clusters


# --- Models ---

def read_model_metadata(path):
    """(config, vocabulary) from a textclf model file's safetensors header, without safetensors."""
    with open(path, "rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
    metadata = header["__metadata__"]
    return json.loads(metadata["config"]), json.loads(metadata["vocabulary"])


class HashedRows:
    """The bags of a model's positions (see the module's documentation)."""

    def __init__(self, config, vocabulary):
        self.word_ngrams = config.get("word_ngrams", 1)
        self.minn, self.maxn = config.get("minn", 0), config.get("maxn", 0)
        self.buckets = config.get("buckets", 2000000)
        self.vocabulary_size = len(vocabulary)
        self.index = {token: i for i, token in enumerate(vocabulary) if i >= 2}

    def bags(self, tokens):
        """One bag (a list of rows) per position of the tokens: tokens, then n-grams."""
        V, B = self.vocabulary_size, self.buckets
        result = []
        for token in tokens:
            id = self.index.get(token, 1)
            rows = subword_rows(token, self.minn, self.maxn, V, B) if self.minn > 0 else []
            if id != 1:
                result.append([id] + rows)
            else:
                result.append(rows or [1])
        if self.word_ngrams > 1:
            hashes = [fnv1a32(token) for token in tokens]
            result.extend([row] for row in word_ngram_rows(hashes, self.word_ngrams, V, B))
        return result


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    config, vocabulary = read_model_metadata(sys.argv[1])
    rows = HashedRows(config, vocabulary)
    for line in sys.stdin:
        line = line.rstrip("\n")
        tokens = line.split("\t") if line else []
        tokens = tokens[: config["max_length"]]
        print("\t".join(" ".join(str(r) for r in bag) for bag in rows.bags(tokens)))


if __name__ == "__main__":
    main()
