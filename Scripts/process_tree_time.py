#!/usr/bin/env python3
"""Runs a command and prints its wall-clock seconds and the CPU seconds of its whole process tree.

    process_tree_time.py [-o FILE] LABEL COMMAND [ARGUMENT...]

Prints `LABEL  wall W s  cpu C s` on standard error (or appends it to FILE) and exits with the
command's status; the command's own output goes where this script's goes. CPU
time is what sizes a cluster job, and it depends much less than wall-clock time on what else
runs on a shared machine. Spark's JVM, its Python workers and their textclf processes are not
all waited for by their parents, so rather than `getrusage` this samples the user and system
time of every process under the command from /proc every 0.1 s, keeping each one's last value;
a process loses at most its last 0.1 s.
"""

import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def process_table():
    """{pid: (parent pid, user + system ticks)} for every process now running."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                # The command name may hold spaces; the fields after its closing parenthesis don't.
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        table[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return table


def descendants(root, table):
    """`root` and every process below it."""
    children = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def main():
    arguments = sys.argv[1:]
    report = None
    if arguments[:1] == ["-o"]:
        report, arguments = arguments[1], arguments[2:]
    if len(arguments) < 2:
        sys.exit("usage: process_tree_time.py [-o FILE] LABEL COMMAND [ARGUMENT...]")
    label, command = arguments[0], arguments[1:]
    start = time.monotonic()
    child = subprocess.Popen(command)
    ticks = {}  # the last user + system ticks seen per process
    while child.poll() is None:
        table = process_table()
        for pid in descendants(child.pid, table):
            if pid in table:
                ticks[pid] = max(ticks.get(pid, 0), table[pid][1])
        time.sleep(0.1)
    wall = time.monotonic() - start
    line = f"{label:<44} wall {wall:6.1f} s  cpu {sum(ticks.values()) / TICKS:6.1f} s"
    if report:
        with open(report, "a") as file:
            print(line, file=file)
    else:
        print(line, file=sys.stderr)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
