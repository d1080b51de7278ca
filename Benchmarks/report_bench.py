#!/usr/bin/env python3
"""Benchmark `tend report` over 100,000 recorded drift findings, in every format.

The state is made by tend itself (one apply and one drift run create the
database and its schema), then filled with N findings, their sightings and
10,000 drift runs through SQLite directly, the way many drift runs would have
left it. Each `tend report --format F --output FILE` is timed with its peak
memory. Targets: under 5 s and under 200 MiB per format. Exit 1 when missed.
"""
import argparse
import os
import random
import shutil
import sqlite3
import tempfile
import time

import measure

FORMATS = ["json", "markdown", "html", "csv", "junit", "sarif"]


def run(cmd, cwd):
    elapsed, peak, _ = measure.run(cmd, cwd)
    return elapsed, peak


def fill(db_path, findings, runs):
    rng = random.Random(42)
    db = sqlite3.connect(db_path)
    now = time.time()
    start = now - 30 * 86400
    db.execute("BEGIN")
    first_run = db.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0] + 1
    run_rows = []
    for r in range(runs):
        at = start + r * (30 * 86400 / runs)
        run_rows.append((first_run + r, "drift", at, at + 1, "drift",
                         '{"changed":%d,"missing":%d,"unmanaged":%d}' % (rng.randint(0, 50), rng.randint(0, 5), rng.randint(0, 9))))
    db.executemany("INSERT INTO runs (id, kind, started_at, finished_at, outcome, counts) VALUES (?,?,?,?,?,?)", run_rows)
    kinds = ["changed"] * 8 + ["missing", "unmanaged"]
    finding_rows = []
    sighting_rows = []
    for i in range(findings):
        kind = kinds[i % len(kinds)]
        r = rng.randrange(runs)
        seen = start + r * (30 * 86400 / runs)
        last = min(now, seen + rng.randint(0, 86400))
        resolved = last + 60 if i % 3 == 0 else None
        path = "tags.owner" if kind == "changed" else ""
        address = f"res_{i % 5000}" if kind != "unmanaged" else f"aws_s3_bucket:stray-{i}"
        finding_rows.append((i + 1, first_run + r, address, "local_file", kind, path,
                             '"alice"' if kind == "changed" else None, '"mallory"' if kind == "changed" else None,
                             seen, last, resolved, "reverted" if resolved else None))
        sighting_rows.append((i + 1, first_run + r, seen))
        if i % 2 == 0 and r + 1 < runs:
            sighting_rows.append((i + 1, first_run + r + 1, last))
    db.executemany("""INSERT INTO drift_findings (id, run_id, address, type, kind, path, expected, actual,
                      first_seen, last_seen, resolved_at, resolution) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""", finding_rows)
    db.executemany("INSERT OR IGNORE INTO drift_sightings (finding_id, run_id, at) VALUES (?,?,?)", sighting_rows)
    db.execute("COMMIT")
    db.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tend", required=True)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    tend = os.path.abspath(args.tend)
    work = tempfile.mkdtemp(prefix="tend-report-bench-")
    try:
        with open(os.path.join(work, "main.yaml"), "w") as f:
            f.write("resources:\n  one:\n    type: local_file\n    properties: { path: one.txt, content: x }\n")
        run([tend, "apply", "--auto-approve"], work)
        run([tend, "drift"], work)
        fill(os.path.join(work, ".tend", "state.db"), args.findings, args.runs)
        # Reports go next to, not into, the configuration directory: *.json there would be read as manifests.
        out = os.path.join(work, "reports")
        os.makedirs(out)
        rows = {fmt: run([tend, "report", "--format", fmt, "--output", os.path.join(out, f"report.{fmt}")], work)
                for fmt in FORMATS}
        print()
        print(f"tend report over {args.findings:,} findings and {args.runs:,} drift runs")
        print(f"{'format':<10}{'time':>10}{'peak':>14}{'output':>14}")
        for fmt, (elapsed, mem) in rows.items():
            size = os.path.getsize(os.path.join(out, f"report.{fmt}")) / 1024 / 1024
            print(f"{fmt:<10}{elapsed:>9.2f}s{mem:>10.1f} MiB{size:>10.1f} MiB")
        worst_time = max(t for t, _ in rows.values())
        worst_mem = max(m for _, m in rows.values())
        print(f"slowest {worst_time:.2f} s (target < 5 s), peak {worst_mem:.1f} MiB (target < 200 MiB)")
        measure.verdict((["slowest format 5 s or more"] if worst_time >= 5 else [])
                        + (["peak memory 200 MiB or more"] if worst_mem >= 200 else []))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
