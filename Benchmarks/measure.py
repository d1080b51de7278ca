"""Runs one command and measures its wall time and peak memory.

Peak memory comes from GNU time (`/usr/bin/time -f %M`), not from this Python
process's wait4: on Linux a child's max RSS starts at its parent's RSS at fork
time, so a benchmark that holds boto3 or test data would inflate every number.
GNU time is a small C program, so what it reports is tend's own peak.

`measured` runs a tool that starts processes of its own (Terraform and its provider plugins): beside GNU time's
largest single process, it samples the sum of the whole process tree's RSS.
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

GNU_TIME = "/usr/bin/time"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


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


# --- a process tree ------------------------------------------------------------------------------------------------

def children(pid):
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(p) for p in f.read().split()]
    except (OSError, ValueError):
        pass
    return out


def descendants(pid):
    out, todo = [], children(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children(p)
    return out


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KIB
    except (OSError, ValueError, IndexError):
        return 0


def hwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Every 20 ms: the sum of the RSS of every process below `root` (GNU time, not counted), and the VmHWM (the
    kernel's own high-water mark of the RSS) of the one process GNU time runs: tend or terraform alone."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = root
        self.halt = threading.Event()
        self.tree_peak = 0
        self.own_peak = 0
        self.own = None

    def run(self):
        while not self.halt.is_set():
            if self.own is None:
                kids = children(self.root)
                self.own = kids[0] if kids else None
            self.tree_peak = max(self.tree_peak, sum(rss_kib(p) for p in descendants(self.root)))
            if self.own is not None:
                self.own_peak = max(self.own_peak, hwm_kib(self.own))
            self.halt.wait(0.02)


def measured(cmd, cwd, env, log):
    """Runs cmd under GNU time -v with the sampler beside it: a dict of seconds, the three peaks (MiB), rc, output."""
    out_path, err_path, time_path = (os.path.join(log, name) for name in ("stdout", "stderr", "time"))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([GNU_TIME, "-v", "-o", time_path, *cmd], cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        proc.wait()
        elapsed = time.perf_counter() - start
        sampler.halt.set()
        sampler.join()
    with open(time_path) as f:
        report = f.read()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    with open(out_path, errors="replace") as f:
        stdout = f.read()
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    return {"seconds": elapsed, "largest": int(match.group(1)) / 1024 if match else float("nan"),
            "tree": sampler.tree_peak / 1024, "own": sampler.own_peak / 1024, "rc": proc.returncode,
            "stdout": stdout, "stderr": stderr}

