"""The benchmark's input files, made once per run in a work directory from the shared corpora.

Every derived file (a subset, the fastText form, the texts alone, a repetition to a size) is
named after what it holds and made on first use.
"""
import os


class Inputs:
    """Makes and names the input files; `quick` cuts the training corpora to small subsets."""

    def __init__(self, corpora, work, quick):
        self.corpora, self.work, self.quick = corpora, work, quick
        self._counts = {}

    def _path(self, name):
        return os.path.join(self.work, name)

    def _make(self, name, lines):
        path = self._path(name)
        if not os.path.exists(path):
            with open(path + ".part", "w", encoding="utf-8") as out:
                out.writelines(lines)
            os.replace(path + ".part", path)
        return path

    def corpus(self, name, split, limit=None):
        """A shared corpus file (TSV), its first `limit` lines in a quick run."""
        path = os.path.join(self.corpora, name, f"{split}.tsv")
        if not os.path.exists(path):
            raise SystemExit(f"run: error: {path}: no such corpus file (the shared corpora sit beside the repository)")
        if not (self.quick and limit):
            return path
        with open(path, encoding="utf-8") as lines:
            return self._make(f"{name}-{split}-{limit}.tsv", [line for _, line in zip(range(limit), lines)])

    def cjk(self, split, megabytes=0):
        """The zh and ja lines of manpages_langid, repeated to at least `megabytes` MB."""
        with open(self.corpus("manpages_langid", split), encoding="utf-8") as lines:
            chosen = [line for line in lines if line.startswith(("zh\t", "ja\t"))]
        return self._make(f"cjk-{split}-{megabytes}mb.tsv", repeat(chosen, megabytes))

    def _name(self, path):
        """A file name that tells the corpus too (every corpus has a train.tsv)."""
        return os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)

    def fasttext(self, tsv):
        """The TSV corpus as fastText lines (`__label__L text`)."""
        with open(tsv, encoding="utf-8") as lines:
            return self._make(self._name(tsv) + ".ft.txt",
                              [f"__label__{line.partition(chr(9))[0]} {line.partition(chr(9))[2]}" for line in lines])

    def texts(self, tsv, megabytes=0):
        """The texts of a TSV corpus alone, one per line, repeated to at least `megabytes` MB."""
        with open(tsv, encoding="utf-8") as lines:
            texts = [line.partition("\t")[2] for line in lines]
        return self._make(f"{self._name(tsv)}.{megabytes}mb.txt", repeat(texts, megabytes))

    def labels(self, tsv):
        """The gold label of every line of a TSV corpus."""
        with open(tsv, encoding="utf-8") as lines:
            return [line.partition("\t")[0] for line in lines]

    def counts(self, path):
        """(lines, whitespace-separated tokens of the texts) of a TSV or text file."""
        if path not in self._counts:
            lines = tokens = 0
            with open(path, encoding="utf-8") as file:
                for line in file:
                    lines += 1
                    tokens += len((line.partition("\t")[2] if path.endswith(".tsv") else line).split())
            self._counts[path] = (lines, tokens)
        return self._counts[path]

    def model(self, name):
        """Where a model of this name goes."""
        return self._path(name)


def repeat(lines, megabytes):
    """lines, again and again from the start, until they hold `megabytes` MB (all once for 0)."""
    if not lines or not megabytes:
        return lines
    chosen, size, target = [], 0, megabytes * 1e6
    while size < target:
        for line in lines:
            chosen.append(line)
            size += len(line.encode())
            if size >= target:
                break
    return chosen
