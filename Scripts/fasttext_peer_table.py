#!/usr/bin/env python3
"""fastText's test accuracy on the shared corpora: the peer column of the README's accuracy table.

    venv/bin/python Scripts/fasttext_peer_table.py [--corpora trec,sst2,sms_spam,manpages_langid]
        [--seeds 1,2,3] [--threads 2] [--autotune 300,600] [--autotune-corpora sst2,trec]
        [--autotune-memory 8] [--typos CORPUS=FILE.tsv] [--work /tmp/fasttext_peers] [--results RESULTS.json]

For each corpus (../shared/corpora/NAME/{train,valid,test}.tsv) it trains fastText (the
`fasttext-wheel` package) with
  defaults   train_supervised() as shipped (dim 100, 5 epochs, lr 0.1, no n-grams),
  bigrams    wordNgrams=2, epoch=25,
  subwords   minn=3, maxn=6, epoch=25 (no word n-grams),
  quantized  the bigrams model after quantize(qnorm=True, retrain=True, cutoff=100000), first seed
             only (quantizing takes minutes: it trains product quantizers),
  autotune   autotuneValidationFile + autotuneDuration=S for each budget S in --autotune,
and prints test accuracy (precision at 1, which is accuracy for one label per line), file sizes
and training times as a Markdown table, then the same as one JSON object. Small corpora are
trained once per seed and reported as mean (min-max); manpages_langid, the large one, with the
first seed only. Autotune runs once (first seed), on --autotune-corpora for budgets above the
smallest, each in a child process whose memory is limited by --autotune-memory (a failure is
recorded as such). fastText trains with --threads Hogwild threads, so a run is not bit-for-bit repeatable.

Texts are given to fastText as they are in the TSV (fastText splits on whitespace, keeps case).
Corpora without valid.tsv get a validation file for autotune only: a seeded 10% of train
(5% for manpages_langid, as the README's textclf table holds out), autotune training on the
rest; the other rows train on the whole of train.tsv, as fastText users do.

With --typos CORPUS=FILE.tsv the fixed-option rows of CORPUS are also tested on FILE (its test
set with typos, from Scripts/make_typos.py), printed as a second table.

With --results FILE, measured cells are read from and written to FILE after each run, so a
long measurement can be resumed or assembled from several invocations. Every fastText call
is printed to standard error before it runs.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time

CORPORA = ["trec", "sst2", "sms_spam", "manpages_langid"]
LARGE = {"manpages_langid"}
HOLDOUT = {"manpages_langid": 0.05}
CONFIGS = {
    "defaults": {},
    "bigrams": {"wordNgrams": 2, "epoch": 25},
    "subwords": {"minn": 3, "maxn": 6, "epoch": 25},
}
QUANTIZE = {"qnorm": True, "retrain": True, "cutoff": 100000}


def to_fasttext_lines(tsv_path, out_path, rows=None):
    """Writes `__label__L text` lines for the TSV's rows (all, or the given line indexes)."""
    with open(tsv_path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    lines = [line for line in lines if line]
    chosen = lines if rows is None else [lines[i] for i in rows]
    with open(out_path + ".part", "w", encoding="utf-8") as out:
        for number, line in enumerate(chosen, 1):
            label, tab, text = line.partition("\t")
            if not tab or not label or " " in label:
                sys.exit(f"fasttext_peer_table: error: {tsv_path}:{number}: not a `label<TAB>text` line")
            out.write(f"__label__{label} {text}\n")
    os.replace(out_path + ".part", out_path)
    return len(chosen)


def prepare(corpus, corpora_dir, work, typos_tsv):
    """Paths of the fastText files for one corpus: train, test, autotune's train and valid, typos."""
    source = os.path.join(corpora_dir, corpus)
    folder = os.path.join(work, corpus)
    os.makedirs(folder, exist_ok=True)
    files = {name: os.path.join(folder, name + ".txt") for name in ("train", "test", "tune_train", "tune_valid")}
    train_count = to_fasttext_lines(os.path.join(source, "train.tsv"), files["train"])
    to_fasttext_lines(os.path.join(source, "test.tsv"), files["test"])
    if typos_tsv:
        files["typos"] = os.path.join(folder, "typos.txt")
        to_fasttext_lines(typos_tsv, files["typos"])
    valid_tsv = os.path.join(source, "valid.tsv")
    if os.path.exists(valid_tsv):
        files["tune_train"] = files["train"]
        to_fasttext_lines(valid_tsv, files["tune_valid"])
    else:
        order = list(range(train_count))
        random.Random(1).shuffle(order)
        held = int(round(train_count * HOLDOUT.get(corpus, 0.1)))
        to_fasttext_lines(os.path.join(source, "train.tsv"), files["tune_valid"], sorted(order[:held]))
        to_fasttext_lines(os.path.join(source, "train.tsv"), files["tune_train"], sorted(order[held:]))
    return files


def call(function, **arguments):
    """Runs fasttext.FUNCTION(**arguments) after printing it; returns (result, wall seconds, CPU seconds)."""
    import fasttext

    shown = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
    print(f"fasttext.{function}({shown})", file=sys.stderr, flush=True)
    start, cpu_start = time.monotonic(), time.process_time()
    result = getattr(fasttext, function)(**arguments)
    return result, time.monotonic() - start, time.process_time() - cpu_start


def accuracy(model, test_path):
    """Test accuracy in %: fastText's precision at 1 over the test file."""
    print(f"model.test({test_path!r})", file=sys.stderr, flush=True)
    count, precision, _ = model.test(test_path)
    return 100.0 * precision, count


def save(model, path):
    """Saves the model and returns its file size in bytes."""
    print(f"model.save_model({path!r})", file=sys.stderr, flush=True)
    model.save_model(path)
    return os.path.getsize(path)


def measure_config(name, files, seed, threads, folder, quantize):
    """One row cell: train with CONFIGS[name] and test; with quantize, also the quantized bigrams model."""
    model, seconds, _ = call("train_supervised", input=files["train"], seed=seed, thread=threads,
                             verbose=0, **CONFIGS[name])
    cell = {"seed": seed, "train_seconds": round(seconds, 1)}
    cell["accuracy"], cell["test_examples"] = accuracy(model, files["test"])
    if "typos" in files:
        cell["typos_accuracy"], _ = accuracy(model, files["typos"])
    path = os.path.join(folder, f"{name}_seed{seed}.bin")
    cell["file_bytes"] = save(model, path)
    cells = {name: cell}
    if quantize and name == "bigrams":
        start = time.monotonic()
        shown = ", ".join(f"{key}={value!r}" for key, value in QUANTIZE.items())
        print(f"model.quantize(input={files['train']!r}, thread={threads}, {shown})", file=sys.stderr, flush=True)
        model.quantize(input=files["train"], thread=threads, **QUANTIZE)
        small = {"seed": seed, "quantize_seconds": round(time.monotonic() - start, 1)}
        small["accuracy"], small["test_examples"] = accuracy(model, files["test"])
        small["file_bytes"] = save(model, os.path.join(folder, f"{name}_seed{seed}.ftz"))
        cells["quantized"] = small
    os.remove(path)  # only the size is kept: a bigram model is about 800 MB
    return cells


def measure_autotune(budget, files, seed, threads, memory_gib):
    """fastText's autotune with a budget of seconds, tested, with the options it chose.

    It runs in a child process limited to memory_gib of address space: the search tries
    buckets up to 10M and dims up to 1000, and one run here grew past 17 GB and was killed by
    the kernel's OOM killer, on a machine shared with other work. Over the limit the child
    aborts and the cell records the failure instead of an accuracy.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=autotune_child, args=(queue, budget, files, seed, threads, memory_gib))
    child.start()
    child.join()
    if child.exitcode != 0:
        return {"seed": seed, "accuracy": None,
                "failed": f"child exited {child.exitcode}; its address space was limited to {memory_gib} GiB"}
    return queue.get()


def autotune_child(queue, budget, files, seed, threads, memory_gib):
    """measure_autotune's child: sets the memory limit, runs, and puts the cell on the queue."""
    import resource

    limit = memory_gib << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    model, seconds, cpu_seconds = call("train_supervised", input=files["tune_train"],
                                       autotuneValidationFile=files["tune_valid"], autotuneDuration=budget,
                                       seed=seed, thread=threads, verbose=0)
    # On a shared machine the budget buys fewer trials: the CPU time shows how many cores it had.
    cell = {"seed": seed, "seconds": round(seconds, 1), "cpu_seconds": round(cpu_seconds, 1)}
    cell["accuracy"], cell["test_examples"] = accuracy(model, files["test"])
    chosen = model.f.getArgs()
    cell["chosen"] = {key: getattr(chosen, key) for key in ("dim", "epoch", "lr", "wordNgrams", "minn", "maxn", "bucket")}
    queue.put(cell)


def summary(cells):
    """mean, min, max of the cells' accuracies, and the mean file size."""
    values = [cell["accuracy"] for cell in cells if cell["accuracy"] is not None]
    if not values:
        return None
    sizes = [cell["file_bytes"] for cell in cells if "file_bytes" in cell]
    return {"mean": statistics.mean(values), "min": min(values), "max": max(values), "runs": len(values),
            "file_bytes": int(statistics.mean(sizes)) if sizes else None}


def markdown(results, corpora, columns):
    """One row per corpus: accuracy per column, then the file sizes."""
    def accuracy_text(entry):
        if entry is None:
            return "failed"
        if entry["runs"] == 1:
            return f"{entry['mean']:.1f}"
        return f"{entry['mean']:.1f} ({entry['min']:.1f}–{entry['max']:.1f})"

    def size_text(entry):
        return "–" if entry is None or entry["file_bytes"] is None else f"{entry['file_bytes'] / 1e6:,.1f} MB"

    header = ["corpus"] + columns + ["defaults size", "bigrams size", "quantized size"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for corpus in corpora:
        row = results.get(corpus, {})
        entries = {column: summary(row[column]) for column in columns if row.get(column)}
        lines.append("| " + " | ".join([corpus] + [accuracy_text(entries[c]) if c in entries else "–" for c in columns]
                                        + [size_text(entries.get(c)) for c in ("defaults", "bigrams", "quantized")]) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--corpora-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                              "..", "..", "shared", "corpora"))
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--configs", default="defaults,bigrams,subwords", help="which fixed-option rows to train")
    parser.add_argument("--autotune", default="300,600", help="autotune budgets in seconds; empty for none")
    parser.add_argument("--autotune-corpora", default="sst2,trec",
                        help="corpora that also get the budgets above the smallest")
    parser.add_argument("--autotune-memory", type=int, default=8, metavar="GiB",
                        help="address-space limit of each autotune run (default 8)")
    parser.add_argument("--work", default="/tmp/fasttext_peers")
    parser.add_argument("--typos", action="append", default=[], metavar="CORPUS=FILE.tsv",
                        help="also test the fixed-option rows of CORPUS on this copy of its test set with typos "
                             "(Scripts/make_typos.py)")
    parser.add_argument("--results", help="JSON file of measured cells: read, extended, rewritten after each run")
    options = parser.parse_args()

    corpora = [c for c in options.corpora.split(",") if c]
    seeds = [int(s) for s in options.seeds.split(",")]
    typos = dict(entry.split("=", 1) for entry in options.typos)
    budgets = sorted(int(b) for b in options.autotune.split(",") if b)
    results = {}
    if options.results and os.path.exists(options.results):
        with open(options.results, encoding="utf-8") as handle:
            results = json.load(handle)

    def record(corpus, column, cell):
        results.setdefault(corpus, {}).setdefault(column, [])
        results[corpus][column] = [c for c in results[corpus][column] if c["seed"] != cell["seed"]] + [cell]
        if options.results:
            with open(options.results + ".part", "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=1, sort_keys=True)
            os.replace(options.results + ".part", options.results)

    def measured(corpus, column, seed):
        return any(cell["seed"] == seed for cell in results.get(corpus, {}).get(column, []))

    for corpus in corpora:
        files = prepare(corpus, options.corpora_dir, options.work, typos.get(corpus))
        folder = os.path.dirname(files["train"])
        for seed in seeds[:1] if corpus in LARGE else seeds:
            for name in [c for c in options.configs.split(",") if c]:
                quantize = seed == seeds[0]
                if measured(corpus, name, seed) and (name != "bigrams" or not quantize or measured(corpus, "quantized", seed)):
                    continue
                for column, cell in measure_config(name, files, seed, options.threads, folder, quantize).items():
                    record(corpus, column, cell)
        for budget in budgets:
            if budget != budgets[0] and corpus not in options.autotune_corpora.split(","):
                continue
            column = f"autotune {budget} s"
            if not measured(corpus, column, seeds[0]):
                record(corpus, column, measure_autotune(budget, files, seeds[0], options.threads,
                                                        options.autotune_memory))

    columns = list(CONFIGS) + ["quantized"] + sorted({c for row in results.values() for c in row if c.startswith("autotune")},
                                                     key=lambda c: int(c.split()[1]))
    print(markdown(results, corpora, columns))
    for corpus in corpora:
        rows = [(name, summary(cells), statistics.mean(c["typos_accuracy"] for c in cells))
                for name, cells in results.get(corpus, {}).items() if cells and "typos_accuracy" in cells[0]]
        if rows:
            print(f"\n{corpus}, test set with typos:\n\n| row | clean | typos | loss |\n|---|---:|---:|---:|")
            for name, clean, typo in sorted(rows):
                print(f"| {name} | {clean['mean']:.1f} | {typo:.1f} | {clean['mean'] - typo:.1f} |")
    print()
    print(json.dumps({corpus: results.get(corpus, {}) for corpus in corpora}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
