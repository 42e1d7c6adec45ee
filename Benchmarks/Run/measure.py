"""Whole-process measurement: wall-clock seconds, CPU seconds and peak RSS of one command."""
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass

# GNU time reports the peak RSS of the command alone. The kernel keeps a process's peak RSS
# across exec, so the figure that wait4 gives for a child forked from this (large) Python
# process would include this process's pages.
GNU_TIME = "/usr/bin/time"


@dataclass
class Measurement:
    """What one run of a command cost, as a user timing the whole process would see it."""
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    rss_mib: float  # peak resident set size
    status: int
    error: str  # the last line of standard error when the command failed


def run(command, stdout=None):
    """Runs command (a list), its standard output to the file named stdout (or discarded)."""
    with tempfile.NamedTemporaryFile("r") as report, open(stdout or os.devnull, "wb") as output, \
            open(os.devnull, "rb") as nothing:
        start = time.monotonic()
        child = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", report.name, *command],
                                 stdin=nothing, stdout=output, stderr=subprocess.PIPE)
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stderr.close()
        fields = report.read().split()
    lines = errors.decode("utf-8", "replace").strip().splitlines()
    kibibytes = int(fields[-1]) if fields and fields[-1].isdigit() else 0
    return Measurement(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mib=kibibytes / 1024,
                       status=child.returncode, error=lines[-1] if lines and child.returncode else "")
