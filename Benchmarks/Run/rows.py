"""The rows of the benchmark: what textclf and its peer run, on which input, with which settings.

Groups (the names `--only` takes):
- pool: `textclf train --arch pool` against fastText supervised (manpages_langid at --level space
  and with ICU words, word n-grams 1 and 2; sst2, trec and sms_spam at --level space).
- cjk: the same on the zh and ja lines of manpages_langid, repeated, ICU words for textclf and
  the raw text for fastText.
- neural: `textclf train --arch rnn|lstm|gru|cnn` against the same PyTorch module.
- infer: `textclf classify` with those models against PyTorch inference, fp32 and int8.
- classify: `textclf classify` with pool models against fastText predict, fp32 and quantized.
"""
import os
from dataclasses import dataclass, field

GROUPS = ["pool", "cjk", "neural", "infer", "classify"]
EPOCHS, DIM = 5, 64
# textclf's SGD averages the gradient over a batch of 64 where fastText steps once per example,
# so its rate is larger: 10 came out best of 0.1, 1, 4, 10, 20, 40 on manpages_langid, sst2, trec.
POOL_LR, FASTTEXT_LR = 10, 0.1
HERE = os.path.dirname(os.path.abspath(__file__))

# Input sizes (MB) and matrices; a quick run only checks that every kind of row runs.
FULL = {"cjk_mb": 20, "infer_mb": 4, "classify_mb": 50, "cjk_classify_mb": 20, "neural_corpora": ["trec", "sst2"],
        "threads": [1, 2], "limit": None}
QUICK = {"cjk_mb": 1, "infer_mb": 0.3, "classify_mb": 2, "cjk_classify_mb": 1, "neural_corpora": ["trec"],
         "threads": [2], "limit": 300}

# Rough seconds per unit of work on this 2-core machine when idle, for the printed estimate only.
RATES = {"textclf": {"tok/s": 2.5e6, "lines/s": 1e5}, "peer": {"tok/s": 2e6, "lines/s": 6e4}}
NEURAL_RATES = {"textclf": {"tok/s": 2e5, "lines/s": 2e4}, "peer": {"tok/s": 4e4, "lines/s": 8e3}}
START_SECONDS = {"textclf": 0.3, "peer": 2.5}


@dataclass
class Side:
    """One side of a row: the timed command, the model it uses or writes, and its predictor."""
    name: str
    command: list
    model: str
    predict: list  # prints `label<TAB>probability` per line of the row's test texts
    setup: list = field(default_factory=list)  # untimed (output path, command) pairs, run when the path is missing


@dataclass
class Row:
    """One comparison: textclf against one or more peer variants (the faster one is kept)."""
    group: str
    corpus: str
    task: str
    threads: int
    unit: str
    work: float  # tokens or lines processed; throughput = work / median wall seconds
    textclf: Side
    peers: list
    test_texts: str
    gold: list
    missing: str = ""  # why the row cannot run with this binary

    @property
    def key(self):
        """The row's name in progress lines and the JSON."""
        return f"{self.group} {self.corpus} {self.task} t{self.threads}"


class Planner:
    """Builds the rows from the inputs, the textclf binary and the Python of the venv."""

    def __init__(self, inputs, binary, python, features, quick):
        self.inputs, self.binary, self.python, self.features = inputs, binary, python, features
        self.sizes = QUICK if quick else FULL

    def textclf(self, *arguments):
        """A textclf command line."""
        return [self.binary, *map(str, arguments)]

    def fasttext(self, *arguments):
        """A command line of the fastText peer."""
        return [self.python, os.path.join(HERE, "fasttext_peer.py"), *map(str, arguments)]

    def torch(self, *arguments):
        """A command line of the PyTorch peer."""
        return [self.python, os.path.join(HERE, "torch_peer.py"), *map(str, arguments)]

    def rows(self, groups):
        """The rows of the named groups, in GROUPS order."""
        made = {"pool": self.pool_rows, "cjk": self.cjk_rows, "neural": self.neural_rows,
                "infer": self.infer_rows, "classify": self.classify_rows}
        return [row for group in GROUPS if group in groups for row in made[group]()]

    # --- pool and cjk: training against fastText supervised ---

    def pool_training(self, group, corpus, train, test, level, ngrams, threads, unit):
        """textclf pool training against fastText supervised on one corpus and setting."""
        inputs = self.inputs
        name = f"pool-{group}-{corpus}-{level}-n{ngrams}-t{threads}"
        model, peer_model = inputs.model(name + ".safetensors"), inputs.model(name + ".bin")
        test_texts = inputs.texts(test)
        ngram_option = ["--word-ngrams", ngrams] if ngrams > 1 else []
        ours = Side("textclf", self.textclf("train", "--arch", "pool", "--train", train, "--level", level,
                                            *ngram_option, "--optimizer", "sgd", "--lr-schedule", "linear", "--lr", POOL_LR,
                                            "--dim", DIM, "--epochs", EPOCHS, "--threads", threads,
                                            "--quiet", "-o", model),
                    model, self.textclf("classify", "-m", model, "--no-text", "--quiet", test_texts))
        theirs = Side("fastText", self.fasttext("train", "--input", inputs.fasttext(train), "--output", peer_model,
                                                "--dim", DIM, "--epoch", EPOCHS, "--lr", FASTTEXT_LR,
                                                "--word-ngrams", ngrams, "--threads", threads),
                      peer_model, self.fasttext("predict", "--model", peer_model, "--input", test_texts))
        lines, tokens = inputs.counts(train)
        level_name = "ICU words" if level == "word" else "--level space"
        missing = "" if ngrams == 1 or self.features["word_ngrams"] else "n/a (option missing)"
        return Row(group, corpus, f"pool {level_name} n-grams {ngrams}", threads, unit,
                   EPOCHS * (tokens if unit == "tok/s" else lines), ours, [theirs], test_texts,
                   inputs.labels(test), missing)

    def pool_rows(self):
        inputs, limit = self.inputs, self.sizes["limit"] and self.sizes["limit"] * 10
        train = inputs.corpus("manpages_langid", "train", limit)
        test = inputs.corpus("manpages_langid", "test", limit)
        rows = [self.pool_training("pool", "manpages_langid", train, test, level, ngrams, threads, "tok/s")
                for level in ["space", "word"] for ngrams in [1, 2] for threads in self.sizes["threads"]]
        for corpus in ["sst2", "trec", "sms_spam"]:
            train, test = inputs.corpus(corpus, "train"), inputs.corpus(corpus, "test")
            rows += [self.pool_training("pool", corpus, train, test, "space", ngrams, 2, "tok/s") for ngrams in [1, 2]]
        return rows

    def cjk_rows(self):
        train = self.inputs.cjk("train", self.sizes["cjk_mb"])
        test = self.inputs.cjk("test")
        corpus = f"zh+ja {self.sizes['cjk_mb']} MB"
        return [self.pool_training("cjk", corpus, train, test, "word", 1, threads, "lines/s")
                for threads in self.sizes["threads"]]

    # --- neural: training against PyTorch ---

    def neural_training(self, corpus, arch, threads):
        """textclf training of a neural arch against the PyTorch module, packed and padded."""
        inputs = self.inputs
        train = inputs.corpus(corpus, "train", self.sizes["limit"])
        test = inputs.corpus(corpus, "test")
        name = f"neural-{corpus}-{arch}-t{threads}"
        model, vocab = inputs.model(name + ".safetensors"), inputs.model(f"vocab-{corpus}.txt")
        make_vocab = self.textclf("build-vocab", "--level", "space", "--quiet", "-o", vocab, train)
        test_texts = inputs.texts(test)
        ours = Side("textclf", self.textclf("train", "--arch", arch, "--train", train, "--vocab", vocab,
                                            "--dim", DIM, "--hidden", 128, "--epochs", EPOCHS,
                                            "--batch-size", 64, "--max-length", 256, "--optimizer", "adam",
                                            "--lr", 0.001, "--dropout", 0, "--threads", threads,
                                            "--quiet", "-o", model),
                    model, self.textclf("classify", "-m", model, "--no-text", "--quiet", test_texts),
                    setup=[(vocab, make_vocab)])
        variants = ["padded"] if arch == "cnn" else ["packed", "padded"]
        peers = []
        for variant in variants:
            peer_model = inputs.model(f"{name}-{variant}.pt")
            peers.append(Side(f"PyTorch {variant}",
                              self.torch("train", "--arch", arch, "--train", train, "--vocab", vocab,
                                         "--threads", threads, "--variant", variant, "-o", peer_model),
                              peer_model, self.torch("infer", "--model", peer_model, "--input", test_texts,
                                                     "--threads", threads, "--variant", variant)))
        _, tokens = inputs.counts(train)
        return Row("neural", corpus, f"{arch} train", threads, "tok/s", EPOCHS * tokens, ours, peers,
                   test_texts, inputs.labels(test))

    def neural_rows(self):
        rows = []
        for corpus in self.sizes["neural_corpora"]:
            # sst2's 1-thread rows would double the longest part of the run; trec has both.
            threads = self.sizes["threads"] if corpus == "trec" else [2]
            rows += [self.neural_training(corpus, arch, t) for arch in ["rnn", "lstm", "gru", "cnn"] for t in threads]
        return rows

    # --- infer and classify: inference against PyTorch and fastText predict ---

    def infer_rows(self):
        inputs = self.inputs
        corpus = self.sizes["neural_corpora"][-1]
        test = inputs.corpus(corpus, "test")
        big = inputs.texts(inputs.corpus(corpus, "train"), self.sizes["infer_mb"])
        lines, _ = inputs.counts(big)
        rows = []
        for arch in ["rnn", "lstm", "gru", "cnn"]:
            trained = self.neural_training(corpus, arch, 2)
            setup = trained.textclf.setup + [(trained.textclf.model, trained.textclf.command)]
            for quantized in [False, True]:
                model, missing = trained.textclf.model, ""
                if quantized:
                    model = inputs.model(f"{os.path.basename(model)}.int8.safetensors")
                    setup = setup + [(model, self.textclf("quantize", "-m", trained.textclf.model, "-o", model))]
                    missing = "" if self.features["quantize"] else "n/a (quantize missing)"
                # int8 is measured against PyTorch fp32 on 2 threads only: the run stays near 35 min.
                for threads in [2] if quantized else self.sizes["threads"]:
                    ours = Side("textclf", self.textclf("classify", "-m", model, "--no-text", "--quiet",
                                                        "--threads", threads, big),
                                model, self.textclf("classify", "-m", model, "--no-text", "--quiet", trained.test_texts),
                                setup=setup)
                    peers = [Side(peer.name, self.torch("infer", "--model", peer.model, "--input", big,
                                                        "--threads", threads, "--variant", peer.name.split()[-1]),
                                  peer.model, peer.predict, setup=[(peer.model, peer.command)])
                             for peer in trained.peers]
                    task = f"{arch} {'int8' if quantized else 'fp32'} classify"
                    if quantized and not self.features["vnni"]:
                        task += " (no VNNI on this CPU: AVX2 int8)"
                    rows.append(Row("infer", f"{corpus} {self.sizes['infer_mb']} MB", task, threads, "lines/s",
                                    lines, ours, peers, trained.test_texts, trained.gold, missing))
        return rows

    def pool_classify(self, trained, big, megabytes, label, quantized):
        """classify with the model of a pool row against fastText predict, per thread count."""
        inputs = self.inputs
        lines, _ = inputs.counts(big)
        ours_model, peer_model, missing = trained.textclf.model, trained.peers[0].model, ""
        ours_setup = [(ours_model, trained.textclf.command)]
        peer_setup = [(peer_model, trained.peers[0].command)]
        if quantized:
            ours_model = inputs.model(os.path.basename(ours_model) + ".q.safetensors")
            ours_setup.append((ours_model, self.textclf("quantize", "-m", trained.textclf.model, "-o", ours_model)))
            peer_model = peer_model[:-len(".bin")] + ".ftz"
            quantizing = list(trained.peers[0].command) + ["--quantize"]
            quantizing[quantizing.index("--output") + 1] = peer_model
            peer_setup = [(peer_model, quantizing)]
            missing = "" if self.features["quantize"] else "n/a (quantize missing)"
        rows = []
        for threads in self.sizes["threads"]:
            ours = Side("textclf", self.textclf("classify", "-m", ours_model, "--no-text", "--quiet",
                                                "--threads", threads, big),
                        ours_model, self.textclf("classify", "-m", ours_model, "--no-text", "--quiet",
                                                 trained.test_texts), setup=ours_setup)
            theirs = Side("fastText", self.fasttext("predict", "--model", peer_model, "--input", big), peer_model,
                          self.fasttext("predict", "--model", peer_model, "--input", trained.test_texts),
                          setup=peer_setup)
            task = f"pool {label} {'quantized' if quantized else 'fp32'} classify"
            rows.append(Row("classify", f"{trained.corpus.split()[0]} {megabytes} MB", task, threads, "lines/s",
                            lines, ours, [theirs], trained.test_texts, trained.gold, missing or trained.missing))
        return rows

    def classify_rows(self):
        inputs = self.inputs
        limit = self.sizes["limit"] and self.sizes["limit"] * 10
        train = inputs.corpus("manpages_langid", "train", limit)
        test = inputs.corpus("manpages_langid", "test", limit)
        big = inputs.texts(inputs.corpus("manpages_langid", "train"), self.sizes["classify_mb"])
        rows = []
        for level in ["space", "word"]:
            trained = self.pool_training("pool", "manpages_langid", train, test, level, 1, 2, "tok/s")
            label = "ICU words" if level == "word" else "--level space"
            mb = self.sizes["classify_mb"]
            rows += self.pool_classify(trained, big, mb, label, False) + self.pool_classify(trained, big, mb, label, True)
        cjk = self.pool_training("cjk", f"zh+ja {self.sizes['cjk_mb']} MB", inputs.cjk("train", self.sizes["cjk_mb"]),
                                 inputs.cjk("test"), "word", 1, 2, "lines/s")
        cjk_big = inputs.texts(inputs.cjk("train", self.sizes["cjk_mb"]), self.sizes["cjk_classify_mb"])
        return rows + self.pool_classify(cjk, cjk_big, self.sizes["cjk_classify_mb"], "ICU words", False)


def estimate_seconds(row, reps):
    """A rough idle-machine estimate of the row's time, for the figure printed before the run."""
    if row.missing:
        return 0
    neural = row.group in ("neural", "infer")
    rates = NEURAL_RATES if neural else RATES
    ours = START_SECONDS["textclf"] + row.work / rates["textclf"][row.unit]
    theirs = START_SECONDS["peer"] + row.work / rates["peer"][row.unit]
    return reps * (ours + theirs) + (len(row.peers) - 1) * theirs + ours + theirs  # + variants, + accuracy
