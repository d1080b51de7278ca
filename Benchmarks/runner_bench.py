#!/usr/bin/env python3
"""Benchmark tend with its state on PostgreSQL (issue 13, part 5).

Starts its own PostgreSQL (initdb and pg_ctl from Debian's postgresql package, as the postgres user, in a temporary
folder, on 127.0.0.1 and a free port) and stops it at the end.

1. No-op plan of 10,000 local files (the local benchmark's workload) with the state in SQLite and in PostgreSQL:
   median of three runs each. Target: PostgreSQL within 1.5x of SQLite.
2. Drift checks per minute over 200 small local stacks (two files each) registered with `tend stack register`, checked
   by 1, 2 and 3 `tend runner` processes (one check at a time each), each count on a fresh schema with a one-hour
   interval so every stack is due once: the time from the first check started to the last one finished, on the
   server's clock. Checks the log: every stack checked exactly once, and each runner's share. Target: 2 runners at
   least 1.7x one runner.
Exit 1 when a target is missed.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import local_bench
import measure

STACKS = 200


class Postgres:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="tend-bench-pg-")
        os.chmod(self.dir, 0o777)
        versions = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)
        self.bin = f"/usr/lib/postgresql/{versions[-1]}/bin"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        data = os.path.join(self.dir, "data")
        self.as_postgres([f"{self.bin}/initdb", "-D", data, "-A", "trust", "-U", "postgres"])
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
        self.as_postgres([f"{self.bin}/pg_ctl", "-D", data, "-o", options, "-l", os.path.join(self.dir, "log"), "start", "-w"])

    def as_postgres(self, cmd):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def url(self, schema, stack=None):
        url = f"postgres://postgres@127.0.0.1:{self.port}/postgres?schema={schema}"
        return url + (f"&stack={stack}" if stack else "")

    def stop(self):
        self.as_postgres([f"{self.bin}/pg_ctl", "-D", os.path.join(self.dir, "data"), "stop", "-m", "fast", "-w"])
        shutil.rmtree(self.dir, ignore_errors=True)


def noop_plan(tend, pg, files):
    work = tempfile.mkdtemp(prefix="tend-bench-state-")
    try:
        local_bench.generate(work, files)
        results = {}
        for name, state in [("SQLite", []), ("PostgreSQL", ["--state", pg.url("bench_noop", "files")])]:
            measure.run([tend, "apply", "--auto-approve"] + state, work)
            times = [measure.run([tend, "plan", "--detailed-exitcode"] + state, work)[0] for _ in range(3)]
            results[name] = statistics.median(times)
            shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)
            shutil.rmtree(os.path.join(work, ".tend"), ignore_errors=True)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def runners(tend, pg, count, stacks_dir, directories):
    schema = f"bench_runners_{count}"
    url = pg.url(schema)
    subprocess.run([tend, "stack", "register", "--interval", "1h", "--state", url] + directories, check=True,
                   stdout=subprocess.DEVNULL)
    procs = [subprocess.Popen([tend, "runner", "--state", url, "--name", f"runner{i + 1}", "--concurrency", "1",
                               "--poll", "100ms", "--listen", "127.0.0.1:0", "--no-color"],
                              cwd=stacks_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(count)]
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            listed = json.loads(subprocess.run([tend, "stack", "list", "--json", "--state", url], capture_output=True,
                                               text=True, check=True).stdout)
            if sum(s["checks"] for s in listed) >= len(directories):
                break
            time.sleep(0.5)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
    checks = json.loads(subprocess.run([tend, "stack", "checks", "--json", "--state", url], capture_output=True, text=True,
                                       check=True).stdout)
    done = [c for c in checks if c.get("outcome") == "succeeded"]
    per_stack = {}
    for c in done:
        per_stack[c["stack"]] = per_stack.get(c["stack"], 0) + 1
    shares = {}
    for c in done:
        shares[c["runner"]] = shares.get(c["runner"], 0) + 1
    span = max(c["finished"] for c in done) - min(c["started"] for c in done)
    return {"checks": len(done), "span": span, "per_minute": len(done) / span * 60,
            "twice": sum(1 for n in per_stack.values() if n > 1), "unchecked": len(directories) - len(per_stack),
            "shares": shares}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tend", required=True)
    parser.add_argument("--files", type=int, default=10000)
    args = parser.parse_args()
    tend = os.path.abspath(args.tend)
    pg = Postgres()
    failures = []
    stacks_dir = tempfile.mkdtemp(prefix="tend-bench-stacks-")
    try:
        plan = noop_plan(tend, pg, args.files)
        ratio = plan["PostgreSQL"] / plan["SQLite"]
        print(f"\nNo-op plan of {args.files} local files, median of 3 (target: PostgreSQL within 1.5x of SQLite)\n")
        print("| state | time |")
        print("| --- | ---: |")
        for name in ["SQLite", "PostgreSQL"]:
            print(f"| {name} | {plan[name]:.2f} s |")
        print(f"\nPostgreSQL / SQLite: {ratio:.2f}x  {'PASS' if ratio <= 1.5 else 'MISS'}")
        if ratio > 1.5:
            failures.append("no-op plan on PostgreSQL")

        directories = []
        for i in range(STACKS):
            d = os.path.join(stacks_dir, f"stack{i:03d}")
            os.makedirs(d)
            with open(os.path.join(d, "main.yaml"), "w") as f:
                f.write("resources:\n")
                for name in ["a", "b"]:
                    f.write(f"  {name}:\n    type: local_file\n    properties: {{ path: {name}.txt, content: \"{i}\\n\" }}\n")
            directories.append(d)
        results = {n: runners(tend, pg, n, stacks_dir, directories) for n in (1, 2, 3)}
        base = results[1]["per_minute"]
        print(f"\nDrift checks of {STACKS} small local stacks, each runner one check at a time "
              f"(target: 2 runners >= 1.7x one; no stack checked twice)\n")
        print("| runners | checks | time | checks/min | vs 1 runner | checked twice | each runner's share |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for n, r in results.items():
            shares = ", ".join(f"{k} {v}" for k, v in sorted(r["shares"].items()))
            print(f"| {n} | {r['checks']} | {r['span']:.1f} s | {r['per_minute']:.0f} | {r['per_minute'] / base:.2f}x | "
                  f"{r['twice']} | {shares} |")
            if r["twice"] or r["unchecked"]:
                failures.append(f"{n} runners: {r['twice']} stacks checked twice, {r['unchecked']} not checked")
        speedup = results[2]["per_minute"] / base
        print(f"\n2 runners / 1 runner: {speedup:.2f}x  {'PASS' if speedup >= 1.7 else 'MISS'}")
        if speedup < 1.7:
            failures.append("2 runners")
    finally:
        pg.stop()
        shutil.rmtree(stacks_dir, ignore_errors=True)
    sys.exit(measure.verdict(failures))


if __name__ == "__main__":
    main()
