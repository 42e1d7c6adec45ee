#!/usr/bin/env python3
"""Export a textclf model file to ONNX: token ids in, every label's probability out.

    venv/bin/python Scripts/to_onnx.py model.safetensors model.onnx

The graph is `Scripts/textclf_torch.py`'s module (the one `to_pytorch.py` loads), exported with
PyTorch's TorchScript-based exporter (`torch.onnx.export(dynamo=False)`): its `torch.export`
exporter cannot trace the packed sequences the recurrent archs run on, and the TorchScript one
turns them into ONNX RNN/LSTM/GRU nodes with `sequence_lens`, which onnxruntime runs exactly.
Tokenizing stays outside the graph; `textclf_torch.encode` gives the ids. Inputs, with batch
and sequence sizes free:
  ids      int64 [batch, sequence]  token ids, padded with 0 (`<pad>`) after each text's tokens
  lengths  int64 [batch]            tokens per text, at least 1
For a model with word n-grams or subwords (config `word_ngrams` > 1 or `minn` > 0), whose
ids `textclf_torch.encode_bags` / `textclf_ids.HashedRows` compute as textclf does, `ids` is
[batch, sequence, bag] instead: each position holds the rows it averages (the token's own id,
unless unknown, then its subword rows at vocabulary + hash mod buckets; <unk> alone for an
unknown token without subwords), padded with 0; for `pool` the word n-gram rows follow the
tokens as one-row positions, counted in `lengths`. A real row is never 0, so the graph takes
each position as the mean of the rows of its non-zero ids, as `nn.EmbeddingBag(mode='mean')`
does (an all-zero padding position embeds to zero). `bag_ids` below builds these inputs.
Output `probabilities` float32 [batch, labels], in the model's label order. For `cnn` the
sequence must be at least the largest kernel size (pad with 0, as textclf does). The ONNX
file's metadata records `textclf_labels` and `textclf_config` (JSON) and
`textclf_minimum_sequence`. Needs torch, safetensors and onnx.
"""
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from textclf_torch import load, text_bags, uses_hashed_rows  # noqa: E402

OPSET = 17


def minimum_sequence(config):
    """The shortest sequence the graph accepts: the cnn's largest kernel, else 1."""
    return max(config["kernel_sizes"]) if config["arch"] == "cnn" else 1


class BagMeanEmbedding(nn.Module):
    """The mean of the rows of each position's non-zero ids: ids [B, T, K] -> [B, T, D]."""

    def __init__(self, weight):
        super().__init__()
        self.weight = weight

    def forward(self, ids):
        present = (ids != 0).unsqueeze(-1)  # [B, T, K, 1]: row 0 is not relied on to be zero
        rows = nn.functional.embedding(ids, self.weight) * present.to(self.weight.dtype)  # [B, T, K, D]
        counts = present.sum(dim=2).clamp(min=1).to(rows.dtype)
        return rows.sum(dim=2) / counts


class Probabilities(nn.Module):
    """The loaded network with its probabilities as the forward pass, which the exporter traces.
    A TextClfBagNet takes flat bags (rows, offsets) that do not export with free sizes, so its
    EmbeddingBag becomes a BagMeanEmbedding over ids [B, T, K] with the same table."""

    def __init__(self, net, bags):
        super().__init__()
        self.net = net
        self.bags = BagMeanEmbedding(net.embedding.weight) if bags else None

    def forward(self, ids, lengths):
        if self.bags is None:
            return self.net.probabilities(ids, lengths)
        return self.net.probabilities_of(self.net.forward_embedded(self.bags(ids), lengths))


def bag_ids(texts, vocabulary, config):
    """(ids int64 [B, T, K], lengths int64 [B], kept) for a hashed model's texts that hold a
    token (kept lists their indexes): textclf_ids.HashedRows's bags, padded with 0 to the
    longest bag and the longest text (and, for cnn, to the largest kernel)."""
    import numpy as np

    texts_bags, kept = text_bags(texts, vocabulary, config)
    steps = max([len(bags) for bags in texts_bags] + [minimum_sequence(config)])
    width = max([len(bag) for bags in texts_bags for bag in bags] + [1])
    ids = np.zeros((len(texts_bags), steps, width), dtype=np.int64)
    for t, bags in enumerate(texts_bags):
        for p, bag in enumerate(bags):
            ids[t, p, : len(bag)] = bag
    return ids, np.array([len(bags) for bags in texts_bags], dtype=np.int64), kept


def example_inputs(config, bags):
    """Ids and lengths to trace with: two texts of different lengths, long enough for any cnn."""
    length = minimum_sequence(config) + 2
    ids = torch.zeros(2, length, dtype=torch.long)
    ids[0, :] = 2
    ids[1, : length - 1] = 3
    if bags:
        ids = torch.stack([ids, ids], dim=2)
    return ids, torch.tensor([length, length - 1], dtype=torch.long)


def export(model_path, onnx_path):
    """Writes the ONNX graph of the textclf model at model_path (via a temporary file)."""
    import onnx
    from safetensors import safe_open

    net, config, _, labels = load(model_path)
    bags = uses_hashed_rows(config)
    if bags:
        with safe_open(model_path, framework="pt") as handle:
            if "embedding.rows" in handle.keys():
                raise ValueError("a cut model (quantize --cutoff) with word n-grams or subwords: its hashed ids "
                                 "would need mapping to the kept rows, which is not done")
    ids_axes = {0: "batch", 1: "sequence", 2: "bag"} if bags else {0: "batch", 1: "sequence"}
    temporary = onnx_path + ".part"
    try:
        with warnings.catch_warnings():
            # The warnings do not apply: cnn's padding branch is traced away because the graph requires
            # the minimum sequence instead; `last` indexes with lengths - 1, never negative; and the
            # recurrent graphs run any batch size (onnx_check.py runs them on other sizes than traced).
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            torch.onnx.export(Probabilities(net, bags), example_inputs(config, bags), temporary, dynamo=False,
                              opset_version=OPSET, input_names=["ids", "lengths"], output_names=["probabilities"],
                              dynamic_axes={"ids": ids_axes, "lengths": {0: "batch"}, "probabilities": {0: "batch"}})
        graph = onnx.load(temporary)
        for key, value in (("textclf_labels", json.dumps(labels, ensure_ascii=False)),
                           ("textclf_config", json.dumps(config, ensure_ascii=False, sort_keys=True)),
                           ("textclf_minimum_sequence", str(minimum_sequence(config)))):
            graph.metadata_props.add(key=key, value=value)
        onnx.checker.check_model(graph)
        onnx.save(graph, temporary)
        os.replace(temporary, onnx_path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return config, labels


def main():
    if len(sys.argv) != 3 or sys.argv[1].startswith("-"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        config, labels = export(sys.argv[1], sys.argv[2])
    except Exception as error:  # noqa: BLE001 -- safetensors, torch and onnx each raise their own types; one line for all
        print(f"to_onnx: error: {sys.argv[1]}: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"to_onnx: wrote {sys.argv[2]} ({config['arch']}, {len(labels)} labels, opset {OPSET})", file=sys.stderr)


if __name__ == "__main__":
    main()
