"""Exports scikit-learn's bundled copy of the UCI 8x8 handwritten digits to corpora/digits/.

The data ship inside the scikit-learn package (sklearn/datasets/data/digits.csv.gz), so
nothing is downloaded. Run once, from the repository root:

    python3 -m venv venv && venv/bin/pip install scikit-learn
    venv/bin/python Scripts/export_digits.py

Output: corpora/digits/digits.csv, a header `p0,...,p63,label`, then one row per image: its
64 pixels (integers 0..16, row-major) and the digit.
"""
import csv
import os

from sklearn.datasets import load_digits

digits = load_digits()
out_dir = os.path.join(os.path.dirname(__file__), "..", "corpora", "digits")
os.makedirs(out_dir, exist_ok=True)
path = os.path.join(out_dir, "digits.csv")
with open(path, "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow([f"p{i}" for i in range(64)] + ["label"])
    for pixels, label in zip(digits.data, digits.target):
        writer.writerow([int(v) for v in pixels] + [int(label)])
print(f"wrote {path}: {len(digits.target)} images")
