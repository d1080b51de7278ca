#!/usr/bin/env python3
"""tend's reliability suite: kill it anywhere, break its APIs, damage its state, feed it garbage, hunt for secrets.

`make torture` runs the full campaign (minutes long) against the release binary and prints one table per part;
`--quick` is the shortened run inside `make test`. Exit 1 when any promise broke: a kill that needed a manual
step, an object lost, duplicated or orphaned, a temp file or lock left, a damaged state file acted on, a secret
found in output, a fuzz input that crashed or hung.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import canary  # noqa: E402
import flaky  # noqa: E402
import integrity  # noqa: E402
import kills  # noqa: E402
from common import Failure, Moto, Tend, table  # noqa: E402
from faults import KINDS  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(text):
    print(text, flush=True)


def kill_rows(workload, rows):
    out = []
    for name, c in rows.items():
        out.append((workload, f"SIG{name}", c["kills"], c["signalled"], c["recovered"], c["lost"], c["duplicated"],
                    c["orphaned"], c["stuck"] + c["broken"], c["temp files"], c["lock left"], c["outcome missing"]))
    return out


def broken(row):
    # kills == recovered, and every count after it zero.
    return row[4] != row[2] or any(row[5:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tend", default=os.path.join(ROOT, ".build/release/tend"))
    parser.add_argument("--quick", action="store_true", help="the shortened run inside make test")
    parser.add_argument("--only", action="append", choices=["kills", "faults", "integrity", "canary", "fuzz"],
                        help="run only these parts (repeatable)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("TORTURE_SEED", "20261129")))
    args = parser.parse_args()
    if not os.access(args.tend, os.X_OK):
        sys.exit(f"{args.tend} is not an executable tend binary; build it first (make torture does)")
    os.environ["TEND_BINARY"] = os.path.abspath(args.tend)
    parts = args.only or ["kills", "faults", "integrity", "canary", "fuzz"]
    quick = args.quick
    failed = []
    started = time.monotonic()
    root = tempfile.mkdtemp(prefix="tend-torture-")
    moto = Moto() if {"kills", "faults", "canary"} & set(parts) else None
    try:
        if "kills" in parts:
            log("== kill anywhere")
            full = ["KILL"] * 30 + ["TERM"] * 4 + ["INT"] * 4 + ["HUP"] * 4
            rows = []
            work = tempfile.mkdtemp(prefix="kills-local-", dir=root)
            local = kills.LocalWorkload(work, dirs=6 if quick else 20, files=40 if quick else 100)
            log(f"  local workload: {local.count} resources")
            schedule = ["KILL", "KILL", "TERM", "INT", "HUP"] if quick else full
            local_rows, final = kills.campaign(Tend(args.tend, work, env=local.env()), local, schedule, args.seed, log)
            rows += kill_rows(f"local ({local.count})", local_rows)
            if final["destroy exit"] != 0 or final["orphaned after destroy"] or final["temp files"]:
                failed.append(f"local final destroy: {final}")
            work = tempfile.mkdtemp(prefix="kills-aws-", dir=root)
            aws = kills.AWSWorkload(work, moto, vpcs=2 if quick else 30, buckets=3 if quick else 50)
            log(f"  aws workload: {aws.count} resources")
            schedule = ["KILL", "TERM"] if quick else ["KILL"] * 30 + ["TERM"] * 2 + ["INT"] * 2 + ["HUP"] * 2
            aws_rows, final = kills.campaign(Tend(args.tend, work, env=aws.env()), aws, schedule, args.seed + 1, log)
            rows += kill_rows(f"aws on moto ({aws.count})", aws_rows)
            if final["destroy exit"] != 0 or final["orphaned after destroy"]:
                failed.append(f"aws final destroy: {final}")
            table("Kills: the next plain `tend apply` after each", ["workload", "signal", "kills", "landed mid-run",
                  "recovered", "lost", "duplicated", "orphaned", "stuck", "temp files left", "lock left", "outcome missing"], rows)
            failed += [f"kills {r[0]} {r[1]}" for r in rows if broken(r)]

        if "faults" in parts:
            log("\n== flaky APIs")
            rows = []
            vpcs, buckets = (1, 2) if quick else (3, 6)
            kinds = [[k] for k in (["503", "reset-after", "truncated"] if quick else KINDS)] + [KINDS]
            for i, kind in enumerate(kinds):
                label = kind[0] if len(kind) == 1 else "mixed"
                stats = flaky.one_kind(moto, root, kind, label, 0.2, args.seed + 10 + i, vpcs, buckets, log)
                for error in stats.get("errors", []):
                    log(f"  {label}: a run failed (then retried by the suite): {error}")
                rows.append((label, stats["injected"], stats["requests"], stats["http retries"], stats["engine retries"],
                             stats["failed runs"], stats["unconverged"], stats["lost"], stats["duplicated"], stats["orphaned"]))
            table("Faults at 20 % of requests (apply, drift, changing apply, destroy; each step run until it succeeds, at most 3 times)",
                  ["fault", "injected", "requests", "HTTP re-sends", "engine retries", "runs failed", "unconverged", "lost",
                   "duplicated", "orphaned"], rows)
            failed += [f"faults {r[0]}" for r in rows if any(r[6:])]
            terminal_rows = []
            for code in ["403", "400"]:
                result = flaky.terminal(moto, root, code, log)
                terminal_rows.append((code, result["code"], result["sent"], "yes" if result["ok"] else "NO"))
                if not result["ok"]:
                    failed.append(f"terminal {code}")
            table("Terminal errors on CreateVpc", ["HTTP status", "AWS code reported", "times sent", "exit 1, not retried, then converged"],
                  terminal_rows)

        if "integrity" in parts:
            log("\n== state integrity")
            work = tempfile.mkdtemp(prefix="integrity-", dir=root)
            rows = integrity.run(args.tend, work, 20 if quick else 200, log)
            table("Damaged state files (plan, apply, drift, state list, audit, destroy on each)",
                  ["damage", "refused (or ran, for what does not use it)", "commands", "state file untouched", "managed files untouched"], rows)
            failed += [f"integrity {r[0]}" for r in rows if r[1] != r[2] or r[3] != r[2] or not r[4]]

        if "canary" in parts:
            log("\n== secrets")
            work = tempfile.mkdtemp(prefix="canary-", dir=root)
            scanned, leaks, mode_ok, hooks = canary.run(args.tend, moto, work, log)
            table("Canary secrets searched for in everything tend wrote", ["places scanned", "webhook bodies", "canaries",
                  "leaks", "state.db mode 0600"], [(scanned, hooks, len(canary.CANARIES), len(leaks), "yes" if mode_ok else "NO")])
            for label, where in leaks:
                log(f"  leak: {label} in {where}")
            if leaks or not mode_ok or not hooks:
                failed.append("canary")

        if "fuzz" in parts:
            log("\n== hostile input")
            inputs = os.environ.get("TEND_FUZZ_INPUTS") or "170000"   # per target: six targets, over 1,000,000 in all
            if quick:
                log("  (the fuzz tests run inside make test itself)")
            else:
                env = dict(os.environ, TEND_FUZZ_INPUTS=inputs)
                proc = subprocess.run(["swift", "test", "--skip-build", "--filter", "Fuzz"], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                lines = [line for line in proc.stdout.splitlines() if line.startswith("TORTURE fuzz")]
                rows = []
                for line in lines:
                    fields = dict(part.split("=", 1) for part in line.split()[2:])
                    rows.append((fields.get("target"), fields.get("inputs"), fields.get("crashes"), fields.get("hangs"),
                                 fields.get("errors"), fields.get("accepted")))
                table("Fuzzing (generated and mutated inputs)", ["target", "inputs", "crashes", "hangs", "errors", "accepted"], rows)
                if proc.returncode != 0 or not rows:
                    failed.append("fuzz")
                    log(proc.stdout[-3000:])
    except Failure as error:
        failed.append(str(error))
    finally:
        if moto:
            moto.stop()
        shutil.rmtree(root, ignore_errors=True)
    log(f"\ntorture {'(quick) ' if quick else ''}finished in {time.monotonic() - started:.0f} s: "
        + ("every promise held" if not failed else f"{len(failed)} broken: {failed}"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
