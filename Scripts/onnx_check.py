#!/usr/bin/env python3
"""Check that onnxruntime, on a textclf model's ONNX export, gives textclf's probabilities.

    venv/bin/python Scripts/onnx_check.py MODEL TEXTS.txt [--onnx MODEL.onnx] [--textclf PATH]
        [--batch-size 64] [--tolerance 1e-5]

Runs `textclf classify -m MODEL --all-probabilities --format jsonl` on TEXTS.txt (one text per
line; leading `__label__X` tokens are dropped, as classify does), tokenizes the texts classify
echoes with `Scripts/textclf_torch.py`'s tokenizer (PyICU, the rules of textclf's tokenizer),
runs onnxruntime on those ids in batches of --batch-size (so batch and sequence sizes vary),
and prints the largest |difference| of any probability. Without --onnx, MODEL is exported
first with `Scripts/to_onnx.py` to a temporary file. Exit 0 when the largest difference is at
most --tolerance (classify prints 6 decimals, so 5e-7 of it is rounding) and every text has
tokens in both or in neither; else exit 1.

textclf prints no token ids, so the ids come from the Python tokenizer: a difference in
tokenization shows up as a difference in probabilities, and the check fails. For a model with
word n-grams or subwords the hashed rows of each position come from `Scripts/textclf_ids.py`
(through `to_onnx.bag_ids`), so a difference in hashing fails the check too.
Needs torch, safetensors, onnx, onnxruntime and PyICU.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

from textclf_torch import encode  # noqa: E402
from to_onnx import bag_ids, export, minimum_sequence, uses_hashed_rows  # noqa: E402


def fail(message):
    print(f"onnx_check: error: {message}", file=sys.stderr)
    sys.exit(1)


def textclf_reference(textclf, model, texts_path):
    """(texts as classify read them, probabilities per text or None when it has no token)."""
    command = [textclf, "classify", "-m", model, "--all-probabilities", "--format", "jsonl", "--quiet", texts_path]
    print(" ".join(command), file=sys.stderr, flush=True)
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        fail(f"{textclf}: {error}")
    if run.returncode != 0:
        fail(f"textclf classify exited {run.returncode}: {run.stderr.strip()}")
    texts, probabilities = [], []
    for line in run.stdout.splitlines():
        record = json.loads(line)
        texts.append(record["text"])
        probabilities.append(record["probabilities"] or None)
    return texts, probabilities


def onnx_probabilities(session, texts, vocabulary, config, batch_size):
    """Probabilities per text from onnxruntime, or None for a text without tokens."""
    shortest = minimum_sequence(config)
    results = [None] * len(texts)
    for start in range(0, len(texts), batch_size):
        batch = texts[start: start + batch_size]
        if uses_hashed_rows(config):
            ids, lengths, kept = bag_ids(batch, vocabulary, config)  # padded for a cnn already
        else:
            ids, lengths, kept = encode(batch, vocabulary, config)
            ids, lengths = ids.numpy(), lengths.numpy()
            if ids.shape[1] < shortest:  # a cnn pads short batches with <pad>, as textclf does
                ids = np.pad(ids, ((0, 0), (0, shortest - ids.shape[1])))
        if not kept:
            continue
        outputs = session.run(["probabilities"], {"ids": ids, "lengths": lengths})[0]
        for position, row in zip(kept, outputs):
            results[start + position] = row
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", metavar="MODEL", help="textclf model file")
    parser.add_argument("texts", metavar="TEXTS.txt", help="one text per line")
    parser.add_argument("--onnx", help="an existing export of MODEL (default: export it now)")
    parser.add_argument("--textclf", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                          ".build", "release", "textclf"))
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--tolerance", type=float, default=1e-5)
    options = parser.parse_args()

    import onnxruntime
    from textclf_torch import load

    _, config, vocabulary, labels = load(options.model)
    texts, reference = textclf_reference(options.textclf, options.model, options.texts)
    with tempfile.TemporaryDirectory() as folder:
        onnx_path = options.onnx
        if onnx_path is None:
            onnx_path = os.path.join(folder, "model.onnx")
            try:
                export(options.model, onnx_path)
            except Exception as error:  # noqa: BLE001 -- as to_onnx.py: one line for torch's, onnx's and its own errors
                fail(f"{options.model}: export: {error}")
        session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
        exported_labels = json.loads(session.get_modelmeta().custom_metadata_map["textclf_labels"])
        if exported_labels != labels:
            fail(f"{onnx_path} has labels {exported_labels}, {options.model} has {labels}")
        computed = onnx_probabilities(session, texts, vocabulary, config, options.batch_size)

    largest, where, compared, mismatched = 0.0, None, 0, []
    for line, (expected, actual) in enumerate(zip(reference, computed), 1):
        if (expected is None) != (actual is None):
            mismatched.append(line)
            continue
        if expected is None:
            continue
        compared += 1
        difference = float(np.max(np.abs(np.asarray(expected, dtype=np.float64) - actual)))
        if difference > largest:
            largest, where = difference, line
    print(f"onnx_check: {config['arch']}, {len(texts)} lines, {compared} compared, max |Δp| = {largest:.2e}"
          + (f" (line {where})" if where else "") + f", tolerance {options.tolerance:g}")
    if mismatched:
        fail(f"{options.texts}:{mismatched[0]}: tokens in one of textclf and the Python tokenizer only "
             f"({len(mismatched)} lines)")
    if largest > options.tolerance:
        fail(f"{options.texts}:{where}: |Δp| {largest:.2e} is above the tolerance {options.tolerance:g}")


if __name__ == "__main__":
    main()
