"""The results as one Markdown table (what `Benchmarks/run` prints) and as JSON."""
import json
import os


def throughput(value, unit):
    """value in unit with a k or M prefix, for the table."""
    for scale, prefix in ((1e6, " M"), (1e3, " k")):
        if value >= scale:
            return f"{value / scale:.2f}{prefix}{unit}"
    return f"{value:.0f} {unit}"


def size(model_bytes):
    """A model file's size in KiB or MiB."""
    return f"{model_bytes / 2**20:.1f} MiB" if model_bytes >= 2**20 else f"{model_bytes / 2**10:.0f} KiB"


def markdown(results):
    """One row per result; ratio = textclf throughput ÷ peer throughput (> 1: textclf faster)."""
    lines = ["| corpus | task | thr | peer | textclf | peer | ratio | CPU s textclf / peer "
             "| RSS MiB textclf / peer | model textclf / peer | accuracy textclf / peer |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        head = f"| {r['corpus']} | {r['task']} | {r['threads']} |"
        if r["status"] != "ok":
            lines.append(f"{head} | {r['status']} | | | | | | |")
            continue
        ours, theirs = r["textclf"], r["peer"]
        lines.append(f"{head} {theirs['name']} | {throughput(ours['throughput'], r['unit'])} "
                     f"| {throughput(theirs['throughput'], r['unit'])} | **{r['ratio']:.2f}×** "
                     f"| {ours['median_cpu_s']:.2f} / {theirs['median_cpu_s']:.2f} "
                     f"| {ours['peak_rss_mib']:.0f} / {theirs['peak_rss_mib']:.0f} "
                     f"| {size(ours['model_bytes'])} / {size(theirs['model_bytes'])} "
                     f"| {100 * ours['accuracy']:.2f}% / {100 * theirs['accuracy']:.2f}% |")
    return "\n".join(lines)


def write_json(path, document):
    """Writes document to path through a temporary file, so a failed run leaves the old file."""
    with open(path + ".part", "w", encoding="utf-8") as out:
        json.dump(document, out, indent=1, ensure_ascii=False)
        out.write("\n")
    os.replace(path + ".part", path)
