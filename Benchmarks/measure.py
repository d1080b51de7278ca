"""Runs one command and measures its wall time and peak memory.

Peak memory comes from GNU time (`/usr/bin/time -f %M`), not from this Python
process's wait4: on Linux a child's max RSS starts at its parent's RSS at fork
time, so a benchmark that holds boto3 or test data would inflate every number.
GNU time is a small C program, so what it reports is tend's own peak.
"""
import os
import subprocess
import sys
import tempfile
import time

GNU_TIME = "/usr/bin/time"


def run(cmd, cwd, env=None, expect=(0,)):
    """(wall seconds, peak MiB, stderr text); exits with the command's stderr when its code is unexpected."""
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"{GNU_TIME} is missing: install the Debian package 'time' (make deps does)")
    with tempfile.NamedTemporaryFile(prefix="tend-bench-rss-", delete=False) as out:
        rss_file = out.name
    try:
        start = time.perf_counter()
        proc = subprocess.run([GNU_TIME, "-f", "%M", "-o", rss_file, *cmd], cwd=cwd, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        err = proc.stderr.decode(errors="replace")
        if proc.returncode not in expect:
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode} (expected {expect}):\n{err[-3000:]}")
        with open(rss_file) as f:
            lines = [line.strip() for line in f if line.strip()]
        return elapsed, int(lines[-1]) / 1024.0, err  # KiB -> MiB
    finally:
        os.unlink(rss_file)


def summary(runs):
    """One row for several runs of a step: the run with the median wall time, with the largest peak of them all.

    Runs are tuples starting (seconds, peak MiB, ...); the rest of the median run is kept (request counts)."""
    ordered = sorted(runs, key=lambda r: r[0])
    middle = ordered[len(ordered) // 2]
    return (middle[0], max(r[1] for r in runs), *middle[2:])


def verdict(failures):
    """Prints the outcome of the target checks; exits 1 when any was missed."""
    if failures:
        print("MISSED: " + "; ".join(failures))
        sys.exit(1)
    print("all targets met")
