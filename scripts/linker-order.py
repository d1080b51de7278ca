#!/usr/bin/env python3
"""Regenerates Linker/tend.order: the functions a typical tend run executes, in the order the release link lays
them out first (lld --symbol-ordering-file).

Why: the kernel maps a binary's code in 64 KiB windows around each page a process touches, so a run that executes
a few MiB of functions scattered over 37 MiB of code keeps most of the code resident. Laid out together, the same
functions take a fraction of the pages. Functions not listed (or gone since) keep their usual place; listed names
that no longer exist are ignored, so a stale file costs memory, never correctness.

How: a release build of tend, stripped of debug information (valgrind cannot read Swift's), runs a set of ordinary
commands under valgrind's callgrind, each in a scratch directory: the quickstart's validate/plan/apply/plan/drift/
destroy, a plan and drift of 1,000 local files, and, when moto_server is installed, plan/apply/plan --json/drift/
destroy of a small AWS stack on a moto_server on 127.0.0.1. Every function any of them entered is listed, in the
address order of the build that was profiled (neighbours stay neighbours).

Usage: scripts/linker-order.py [--tend .build/release/tend]   (needs valgrind; minutes)
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Linker", "tend.order")
NAME = re.compile(r"^c?fn=\(\d+\) (.+)$")


def callgrind(binary, args, cwd, env, scratch):
    out = os.path.join(scratch, f"cg.{len(os.listdir(scratch))}")
    subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", binary, *args],
                   cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
    names = set()
    with open(out, errors="replace") as f:
        for line in f:
            m = NAME.match(line.rstrip("\n"))
            if m:
                names.add(m.group(1))
    return names


def local_runs(binary, scratch, env):
    names = set()
    work = os.path.join(scratch, "quickstart")
    shutil.copytree(os.path.join(ROOT, "examples", "quickstart"), work,
                    ignore=shutil.ignore_patterns(".tend", "out"))
    for args in (["validate"], ["plan"], ["apply", "--auto-approve"], ["plan"], ["drift"], ["show"],
                 ["history"], ["destroy", "--auto-approve"]):
        names |= callgrind(binary, args, work, env, scratch)
    files = os.path.join(scratch, "files")
    os.makedirs(files)
    sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
    import local_bench
    local_bench.generate(files, 1000)
    subprocess.run([binary, "apply", "--auto-approve"], cwd=files, env=env, stdout=subprocess.DEVNULL, check=True)
    for args in (["plan"], ["drift"], ["plan", "--json"]):
        names |= callgrind(binary, args, files, env, scratch)
    return names


def aws_runs(binary, scratch, env):
    if shutil.which("moto_server") is None:
        print("moto_server not installed: AWS runs left out", file=sys.stderr)
        return set()
    sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
    from aws_tools import Moto, manifest, workload
    moto = Moto()
    try:
        work = os.path.join(scratch, "aws")
        os.makedirs(work)
        header = ["stack: order", "providers:", "  aws: { region: us-east-1, endpoint: \"${env.AWS_ENDPOINT_URL}\" }"]
        with open(os.path.join(work, "main.yaml"), "w") as f:
            f.write(manifest(workload(20, prefix="order"), header))
        aws_env = dict(env, AWS_ENDPOINT_URL=moto.endpoint, AWS_ACCESS_KEY_ID="testing",
                       AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1")
        names = set()
        for args in (["plan"], ["apply", "--auto-approve"], ["plan", "--json"], ["drift"],
                     ["destroy", "--auto-approve"]):
            names |= callgrind(binary, args, work, aws_env, scratch)
        return names
    finally:
        moto.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tend", default=os.path.join(ROOT, ".build", "release", "tend"))
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="tend-order.")
    try:
        binary = os.path.join(scratch, "tend")
        shutil.copy(args.tend, binary)
        subprocess.run(["strip", "-g", binary], check=True)
        env = dict(os.environ, NO_COLOR="1", HOME=scratch)
        names = local_runs(binary, scratch, env) | aws_runs(binary, scratch, env)
        # Only functions defined in tend itself, in the profiled binary's address order.
        listing = subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True, check=True)
        ordered, seen = [], set()
        for line in listing.stdout.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW" and parts[2] in names and parts[2] not in seen:
                seen.add(parts[2])
                ordered.append(parts[2])
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "w") as f:
            f.write("\n".join(ordered) + "\n")
        print(f"{len(ordered)} functions written to {os.path.relpath(OUT, ROOT)}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
