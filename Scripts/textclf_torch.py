"""PyTorch modules of the same shape as textclf's networks, loaded from a textclf model file.

A textclf model file is a safetensors file whose tensor names follow PyTorch's modules
(`embedding.weight`, `rnn.weight_ih_l0`, `conv.0.weight`, `fc.weight`, ...), so
`TextClfNet(config).load_state_dict(tensors)` restores it. The network is SPEC section 4:
Embedding -> (RNN | LSTM | GRU | Conv1d bank | nothing) -> pooling over the real positions
-> Linear; dropout is off in evaluation, so it is left out here.
"""
import json

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class TextClfNet(nn.Module):
    def __init__(self, config, vocabulary_size, label_count):
        super().__init__()
        self.config = config
        arch, dim = config["arch"], config["dim"]
        self.embedding = nn.Embedding(vocabulary_size, dim, padding_idx=0)
        directions = 2 if config.get("bidirectional") else 1
        if arch in ("rnn", "lstm", "gru"):
            module = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[arch]
            self.rnn = module(dim, config["hidden"], num_layers=config["layers"],
                              bidirectional=directions == 2, batch_first=True)
            features = config["hidden"] * directions
        elif arch == "cnn":
            self.conv = nn.ModuleList(nn.Conv1d(dim, config["filters"], k) for k in config["kernel_sizes"])
            features = config["filters"] * len(config["kernel_sizes"])
        else:
            features = dim
        outputs = 1 if config["loss"] == "bce" and not config["multilabel"] and label_count == 2 else label_count
        self.fc = nn.Linear(features, outputs)

    def forward(self, ids, lengths):
        """ids: [B, T] long, padded with 0; lengths: [B] long. Returns logits [B, outputs]."""
        return self.forward_embedded(self.embedding(ids), lengths)

    def forward_embedded(self, x, lengths):
        """x: [B, T, D], the embedded positions (zero beyond each length). Returns logits."""
        config, arch = self.config, self.config["arch"]
        if arch in ("rnn", "lstm", "gru"):
            packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, _ = self.rnn(packed)
            x, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        elif arch == "cnn":
            largest = max(config["kernel_sizes"])
            if x.shape[1] < largest:
                x = nn.functional.pad(x, (0, 0, 0, largest - x.shape[1]))
            pooled = []
            for k, conv in zip(config["kernel_sizes"], self.conv):
                y = torch.relu(conv(x.transpose(1, 2))).transpose(1, 2)  # [B, T-k+1, F]
                valid = torch.clamp(lengths, min=largest) - k + 1
                pooled.append(pool(y, valid, config["pooling"]))
            return self.fc(torch.cat(pooled, dim=1))
        if config["pooling"] == "last":
            hidden = config["hidden"]
            last = x[torch.arange(x.shape[0]), lengths - 1, :hidden]
            if config.get("bidirectional"):
                last = torch.cat([last, x[:, 0, hidden:]], dim=1)
            return self.fc(last)
        return self.fc(pool(x, lengths, config["pooling"]))

    def probabilities(self, ids, lengths):
        return self.probabilities_of(self.forward(ids, lengths))

    def probabilities_of(self, logits):
        """The labels' probabilities from logits, as the model's loss defines them."""
        if self.fc.out_features == 1:
            positive = torch.sigmoid(logits[:, 0])
            return torch.stack([1 - positive, positive], dim=1)
        if self.config["loss"] in ("bce", "mse") or self.config["multilabel"]:
            return torch.sigmoid(logits)
        return torch.softmax(logits, dim=1)


class TextClfBagNet(TextClfNet):
    """TextClfNet for a model with word n-grams or subwords (config word_ngrams > 1 or minn > 0):
    the embedding is an nn.EmbeddingBag(mode='mean') over vocabulary + buckets rows, and each
    position is the mean of a bag of rows (textclf_ids.py computes the bags)."""

    def __init__(self, config, vocabulary_size, label_count):
        super().__init__(config, vocabulary_size, label_count)
        rows = vocabulary_size + config["buckets"]
        self.embedding = nn.EmbeddingBag(rows, config["dim"], mode="mean")

    def forward(self, rows, offsets, lengths, steps):
        """rows, offsets: the flat bags of B x steps positions, batch-major (an empty bag at a
        padding position embeds to zero); lengths: [B] long. Returns logits [B, outputs]."""
        x = self.embedding(rows, offsets).view(len(lengths), steps, -1)
        return self.forward_embedded(x, lengths)

    def probabilities(self, rows, offsets, lengths, steps):
        return self.probabilities_of(self.forward(rows, offsets, lengths, steps))


def pool(x, lengths, how):
    """Mean or max of x [B, T, F] over the first lengths[b] positions of each row."""
    mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).unsqueeze(-1)
    if how == "max":
        return x.masked_fill(~mask, float("-inf")).max(dim=1).values
    return (x * mask).sum(dim=1) / lengths[:, None].to(x.dtype)


def uses_hashed_rows(config):
    """Whether the model has word n-gram or subword rows (then the module is a TextClfBagNet)."""
    return config.get("word_ngrams", 1) > 1 or config.get("minn", 0) > 0


def load(path):
    """(module in eval mode, config, vocabulary, labels) from a textclf model file."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(path, framework="pt") as handle:
        metadata = handle.metadata()
    config = json.loads(metadata["config"])
    vocabulary = json.loads(metadata["vocabulary"])
    labels = json.loads(metadata["labels"])
    tensors, kept_rows = dequantized(load_file(path))
    module = TextClfBagNet if uses_hashed_rows(config) else TextClfNet
    net = module(config, len(vocabulary), len(labels))
    if kept_rows is not None:
        # A cut file's table holds only the kept rows; ids reach them through embedding_row().
        net.embedding.weight = nn.Parameter(torch.zeros(len(kept_rows), config["dim"]))
    net.load_state_dict(tensors)
    net.eval()
    return net, config, vocabulary, labels


# --- Quantized files (textclf quantize), SPEC section 3, format version 2. ---

def dequantized(tensors):
    """(float state dict, kept ids or None) from a textclf file's tensors.

    Every int8 matrix NAME stands for NAME * NAME.scale per row (its first dimension), computed
    in float32 as textclf does. A cut embedding (quantize --cutoff) has the I32 tensor
    embedding.rows: the ids its rows hold, ascending; it is taken out and returned, and the
    module keeps the cut table as it is. Every vocabulary id of the file is kept and is its own
    row, so plain token ids need no change; a hashed id goes through embedding_row().
    """
    tensors = dict(tensors)
    rows = tensors.pop("embedding.rows", None)
    for name in [name for name, tensor in tensors.items() if tensor.dtype == torch.int8]:
        q = tensors[name]
        scale = tensors.pop(name + ".scale")
        tensors[name] = q.to(torch.float32) * scale.reshape(-1, *([1] * (q.dim() - 1)))
    return tensors, None if rows is None else rows.tolist()


def embedding_row(token_id, kept_rows, vocabulary_size):
    """The row of token_id in a cut embedding, or None when its row was cut (a hashed id,
    which is then left out of its average, as textclf and fastText do)."""
    if kept_rows is None or token_id < vocabulary_size:
        return token_id
    from bisect import bisect_left
    position = bisect_left(kept_rows, token_id, vocabulary_size)
    return position if position < len(kept_rows) and kept_rows[position] == token_id else None


# --- Tokenization, as textclf's Tokenizer does it (SPEC section 3), through PyICU. ---

FASTTEXT_SPACES = " \t\n\v\f\r\0"


def tokenize(text, options):
    """The tokens of text under the model's tokenizer options (config["tokenizer"]). PyICU is
    needed for normalization, lowercasing and the word and char levels, not for plain space level."""
    form = options.get("normalize", "none")
    if form != "none" or options.get("lowercase") or options.get("level", "word") != "space":
        import icu
    if form != "none":
        normalizer = icu.Normalizer2.getNFCInstance() if form == "nfc" else icu.Normalizer2.getNFKCInstance()
        text = str(normalizer.normalize(text))
    if options.get("lowercase"):
        text = str(icu.UnicodeString(text).toLower(icu.Locale.getRoot()))
    level = options.get("level", "word")
    if level == "space":
        tokens, current = [], ""
        for character in text:
            if character in FASTTEXT_SPACES:
                if current:
                    tokens.append(current)
                current = ""
            else:
                current += character
        return tokens + ([current] if current else [])
    unicode_text = icu.UnicodeString(text)
    if level == "char":
        breaker = icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())
    else:
        breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    breaker.setText(unicode_text)
    tokens, start = [], 0
    for end in breaker:
        token = str(unicode_text[start:end])
        start = end
        if level == "word" and breaker.getRuleStatus() < 100:
            kind = segment_kind(token)
            if kind == "space" or (kind == "punctuation" and not options.get("keep_punctuation")):
                continue
        tokens.append(token)
    return tokens


def segment_kind(token):
    """word, punctuation or space, decided by the characters as textclf's ICU shim does."""
    import icu

    word_types = {icu.UCharCategory.UPPERCASE_LETTER, icu.UCharCategory.LOWERCASE_LETTER,
                  icu.UCharCategory.TITLECASE_LETTER, icu.UCharCategory.MODIFIER_LETTER,
                  icu.UCharCategory.OTHER_LETTER, icu.UCharCategory.NON_SPACING_MARK,
                  icu.UCharCategory.ENCLOSING_MARK, icu.UCharCategory.COMBINING_SPACING_MARK,
                  icu.UCharCategory.DECIMAL_DIGIT_NUMBER, icu.UCharCategory.LETTER_NUMBER,
                  icu.UCharCategory.OTHER_NUMBER}
    space_types = {icu.UCharCategory.SPACE_SEPARATOR, icu.UCharCategory.LINE_SEPARATOR,
                   icu.UCharCategory.PARAGRAPH_SEPARATOR, icu.UCharCategory.CONTROL_CHAR,
                   icu.UCharCategory.FORMAT_CHAR, icu.UCharCategory.UNASSIGNED,
                   icu.UCharCategory.PRIVATE_USE_CHAR, icu.UCharCategory.SURROGATE}
    kind = "space"
    for character in token:
        category = icu.Char.charType(character)
        if category in word_types:
            return "word"
        if category in space_types:
            continue
        if icu.Char.hasBinaryProperty(character, icu.UProperty.EXTENDED_PICTOGRAPHIC) or \
                icu.Char.hasBinaryProperty(character, icu.UProperty.REGIONAL_INDICATOR):
            return "word"
        kind = "punctuation"
    return kind


def encode(texts, vocabulary, config):
    """(ids [B, T], lengths [B], kept) for the texts that hold a token; kept lists their indexes."""
    index = {token: i for i, token in enumerate(vocabulary)}
    index.pop("<pad>", None)  # ids 0 and 1 are special by position, not by spelling
    index.pop("<unk>", None)
    rows, kept = [], []
    for position, text in enumerate(texts):
        ids = [index.get(token, 1) for token in tokenize(text, config["tokenizer"])][: config["max_length"]]
        if ids:
            rows.append(ids)
            kept.append(position)
    longest = max([len(row) for row in rows] + [1])
    ids = torch.zeros(len(rows), longest, dtype=torch.long)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = torch.tensor(row)
    return ids, torch.tensor([len(row) for row in rows], dtype=torch.long), kept


def text_bags(texts, vocabulary, config):
    """(bags, kept): the positions of each text that holds a token as bags of rows
    (textclf_ids.HashedRows), and the indexes of those texts."""
    from textclf_ids import HashedRows

    hashed = HashedRows(config, vocabulary)
    texts_bags, kept = [], []
    for position, text in enumerate(texts):
        tokens = tokenize(text, config["tokenizer"])[: config["max_length"]]
        if tokens:
            texts_bags.append(hashed.bags(tokens))
            kept.append(position)
    return texts_bags, kept


def encode_bags(texts, vocabulary, config):
    """(rows, offsets, lengths, steps, kept) for a TextClfBagNet: each text's positions as bags of
    rows (textclf_ids.HashedRows), padded with empty bags to the longest; kept lists the indexes
    of the texts that hold a token."""
    texts_bags, kept = text_bags(texts, vocabulary, config)
    steps = max([len(bags) for bags in texts_bags] + [1])
    if config["arch"] == "cnn":
        steps = max(steps, max(config["kernel_sizes"]))
    rows, offsets = [], []
    for bags in texts_bags:
        for bag in bags + [[]] * (steps - len(bags)):
            offsets.append(len(rows))
            rows.extend(bag)
    lengths = torch.tensor([len(bags) for bags in texts_bags], dtype=torch.long)
    return (torch.tensor(rows, dtype=torch.long), torch.tensor(offsets, dtype=torch.long), lengths, steps, kept)
