"""The peer for Benchmarks/serve.sh: a FastAPI app serving a textclf model through PyTorch.

The model is loaded with Scripts/textclf_torch.py (the module Scripts/to_pytorch.py uses) and
answers POST /v1/classify {"texts": [...]} as textclf-server does: the best label of each text
with its probability. One torch thread per process; run it under uvicorn with 2 workers:

    TEXTCLF_MODEL=model.safetensors venv/bin/uvicorn --app-dir Benchmarks/Serve peer_server:app \
        --workers 2 --port 8091 --no-access-log
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts"))

import torch  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from textclf_torch import load, tokenize  # noqa: E402

torch.set_num_threads(1)
net, config, vocabulary, labels = load(os.environ["TEXTCLF_MODEL"])
# Token ids looked up in a table built once (ids 0 and 1 are <pad> and <unk> by position).
token_ids = {token: i for i, token in enumerate(vocabulary) if i >= 2}
app = FastAPI()


def encode(texts):
    """(ids [B, T] padded with 0, lengths [B], kept) for the texts that hold a token."""
    rows, kept = [], []
    for position, text in enumerate(texts):
        ids = [token_ids.get(token, 1) for token in tokenize(text, config["tokenizer"])][: config["max_length"]]
        if ids:
            rows.append(ids)
            kept.append(position)
    ids = torch.zeros(len(rows), max([len(row) for row in rows] + [1]), dtype=torch.long)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = torch.tensor(row)
    return ids, torch.tensor([len(row) for row in rows], dtype=torch.long), kept


class ClassifyRequest(BaseModel):
    texts: list[str]


@app.post("/v1/classify")
def classify(request: ClassifyRequest):
    ids, lengths, kept = encode(request.texts)
    rows = {}
    if kept:
        with torch.inference_mode():
            probabilities = net.probabilities(ids, lengths)
        best = probabilities.max(dim=1)
        rows = dict(zip(kept, zip(best.indices.tolist(), best.values.tolist())))
    predictions = []
    for position in range(len(request.texts)):
        if position in rows:
            index, probability = rows[position]
            predictions.append({"labels": [labels[index]], "probabilities": [probability]})
        else:
            predictions.append({"labels": [], "probabilities": []})
    return {"model": "pytorch", "predictions": predictions}
