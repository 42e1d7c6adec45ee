"""A plain PyTorch CNN in the style of Kim (2014), written independently of textclf, to tell a
recipe's accuracy apart from textclf's implementation on the shared sst2 and trec corpora.

Embedding (dim) -> Conv1d widths 3, 4, 5 x 100 -> ReLU -> max over time -> dropout 0.5 ->
Linear; Adam 1e-3, batch 50, lowercased whitespace tokens. trec holds out a random tenth of
train for validation, as Kim did. Prints validation and test accuracy after every epoch.

    venv/bin/python Scripts/kim_cnn_reference.py --corpus sst2 --init uniform
    venv/bin/python Scripts/kim_cnn_reference.py --corpus trec --init normal
"""
import argparse
import random

import torch
import torch.nn as nn
import torch.nn.functional as F


def read(path):
    examples = []
    for line in open(path, encoding="utf-8"):
        label, text = line.rstrip("\n").split("\t", 1)
        examples.append((text.lower().split(), label))
    return examples


class KimCNN(nn.Module):
    def __init__(self, vocabulary_size, dim, label_count, init):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary_size, dim, padding_idx=0)
        if init == "uniform":  # Kim's random vectors: uniform in ±0.25
            nn.init.uniform_(self.embedding.weight, -0.25, 0.25)
            with torch.no_grad():
                self.embedding.weight[0].zero_()
        self.convs = nn.ModuleList([nn.Conv1d(dim, 100, width) for width in (3, 4, 5)])
        self.fc = nn.Linear(300, label_count)

    def forward(self, ids):
        x = self.embedding(ids).transpose(1, 2)
        pooled = torch.cat([F.relu(conv(x)).max(dim=2).values for conv in self.convs], dim=1)
        return self.fc(F.dropout(pooled, 0.5, self.training))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", choices=["sst2", "trec"], required=True)
    parser.add_argument("--corpora", default="../shared/corpora")
    parser.add_argument("--init", choices=["normal", "uniform"], default="normal",
                        help="normal: PyTorch's N(0, 1); uniform: ±0.25")
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    random.seed(args.seed)

    folder = f"{args.corpora}/{args.corpus}"
    train, test = read(f"{folder}/train.tsv"), read(f"{folder}/test.tsv")
    if args.corpus == "sst2":
        valid = read(f"{folder}/valid.tsv")
    else:
        random.shuffle(train)
        valid, train = train[: len(train) // 10], train[len(train) // 10:]
    labels = sorted({label for _, label in train})
    vocabulary = {"<pad>": 0, "<unk>": 1}
    for words, _ in train:
        for word in words:
            vocabulary.setdefault(word, len(vocabulary))

    def encode(examples):
        return [([vocabulary.get(w, 1) for w in words], labels.index(label)) for words, label in examples]

    def tensors(examples):
        length = max(5, max(len(ids) for ids, _ in examples))  # at least the widest kernel
        ids = torch.tensor([ids + [0] * (length - len(ids)) for ids, _ in examples])
        return ids, torch.tensor([label for _, label in examples])

    train, valid, test = encode(train), encode(valid), encode(test)
    model = KimCNN(len(vocabulary), args.dim, len(labels), args.init)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def accuracy(examples):
        model.eval()
        ids, truth = tensors(examples)
        with torch.no_grad():
            predicted = model(ids).argmax(dim=1)
        model.train()
        return (predicted == truth).float().mean().item() * 100

    for epoch in range(1, args.epochs + 1):
        random.shuffle(train)
        for start in range(0, len(train), 50):
            ids, truth = tensors(train[start:start + 50])
            loss = F.cross_entropy(model(ids), truth)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}  valid {accuracy(valid):.2f}%  test {accuracy(test):.2f}%", flush=True)


if __name__ == "__main__":
    main()
