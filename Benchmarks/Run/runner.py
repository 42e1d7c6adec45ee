"""Runs one row: its setup, then textclf and the peer alternately, then each side's accuracy."""
import os
import statistics

from measure import run


def accuracy(side, gold, scratch):
    """The share of the test texts whose predicted label (first field of each output line) is right."""
    measured = run(side.predict, stdout=scratch)
    if measured.status:
        raise RowFailed(f"{side.name} predict: {measured.error}")
    with open(scratch, encoding="utf-8") as lines:
        predicted = [line.partition("\t")[0].rstrip("\n") for line in lines]
    if len(predicted) != len(gold):
        raise RowFailed(f"{side.name} predict: {len(predicted)} output lines for {len(gold)} texts")
    return sum(p == g for p, g in zip(predicted, gold)) / len(gold)


class RowFailed(Exception):
    """A command of the row failed; the message names the side and repeats its error line."""


def summary(side, runs, row, scratch):
    wall = statistics.median(m.wall for m in runs)
    return {"name": side.name, "wall_s": [round(m.wall, 3) for m in runs], "median_wall_s": round(wall, 3),
            "median_cpu_s": round(statistics.median(m.cpu for m in runs), 3),
            "peak_rss_mib": round(max(m.rss_mib for m in runs), 1), "throughput": row.work / wall,
            "model_bytes": os.path.getsize(side.model), "accuracy": accuracy(side, row.gold, scratch)}


def run_row(row, reps, scratch, progress):
    """The row's result: medians per side and their ratio, or its status when it could not run."""
    result = {"key": row.key, "group": row.group, "corpus": row.corpus, "task": row.task,
              "threads": row.threads, "unit": row.unit, "work": row.work}
    if row.missing:
        return dict(result, status=row.missing)
    try:
        for side in [row.textclf, *row.peers]:
            for path, command in side.setup:
                if not os.path.exists(path):
                    measured = run(command)
                    if measured.status:
                        raise RowFailed(f"{side.name} setup: {measured.error}")
        runs = {side.name: [] for side in [row.textclf, *row.peers]}
        peers = list(row.peers)
        for rep in range(reps):
            for side in [row.textclf, *peers]:  # alternately: textclf, peer, textclf, peer, ...
                measured = run(side.command)
                if measured.status:
                    raise RowFailed(f"{side.name}: {measured.error}")
                runs[side.name].append(measured)
                progress(f"  rep {rep + 1}/{reps} {side.name:16} {measured.wall:7.2f} s  {measured.rss_mib:7.1f} MiB")
            if rep == 0 and len(peers) > 1:
                # Variants of one peer (packed or padded batches): the faster first run is kept.
                peers = [min(peers, key=lambda peer: runs[peer.name][0].wall)]
        ours = summary(row.textclf, runs[row.textclf.name], row, scratch)
        theirs = summary(peers[0], runs[peers[0].name], row, scratch)
    except RowFailed as failure:
        return dict(result, status=f"failed: {failure}")
    return dict(result, status="ok", textclf=ours, peer=theirs,
                ratio=ours["throughput"] / theirs["throughput"])
