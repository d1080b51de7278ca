"""Flaky APIs campaign: each fault kind alone at a rate, then all mixed; then terminal errors."""
import json
import os
import re
import tempfile

from common import Failure, Tend, read_state
from faults import KINDS, FaultProxy
from kills import AWSWorkload


def retries(err):
    http = re.search(r"HTTP requests sent: (\d+)(?: \((\d+) of them retries\))?", err)
    engine = re.search(r"provider operations retried by the engine: (\d+)", err)
    return (int(http.group(1)) if http else 0, int(http.group(2) or 0) if http else 0, int(engine.group(1)) if engine else 0)


def managed_drift(out):
    """Findings about managed resources (changed or missing) in `drift --json` output; unmanaged objects (the
    default VPC, other stacks on the same server) are not this suite's business."""
    document = json.loads(out)
    findings = document.get("findings", []) if isinstance(document, dict) else document
    return [f for f in findings if f.get("kind") in ("changed", "missing")]


def until_ok(tend, args, attempts, stats):
    """Runs a command until it succeeds, at most `attempts` times; the number of runs it took, or None. A drift
    run succeeds when it ends without error and finds no drift of managed resources."""
    is_drift = args[0] == "drift"
    for n in range(1, attempts + 1):
        code, out, err = tend.run(*args, "--verbose")
        sent, http_retries, engine_retries = retries(err)
        stats["requests"] += sent
        stats["http retries"] += http_retries
        stats["engine retries"] += engine_retries
        if is_drift and code in (0, 2):
            found = managed_drift(out)
            if not found:
                return n
            stats["wrong drift"] = stats.get("wrong drift", 0) + len(found)
            stats["last error"] = f"drift reported on managed resources: {found[:2]}"
            continue
        if code == 0:
            return n
        stats["failed runs"] += 1
        errors = [line for line in err.splitlines() if "error" in line.lower()]
        stats["last error"] = (errors[0] if errors else err.strip()[-200:] or f"exit {code}")[:300]
        stats.setdefault("errors", []).append(stats["last error"])
    return None


def one_kind(moto, root, kinds, label, rate, seed, vpcs, buckets, log):
    work = tempfile.mkdtemp(prefix=f"faults-{label}-", dir=root)
    proxy = FaultProxy(moto.port, kinds, rate, seed, stall_seconds=3.0)
    try:
        workload = AWSWorkload(work, moto, vpcs, buckets, name=f"faults-{label}", endpoint=proxy.endpoint,
                               provider_extra=", request_timeout: 2")
        tend = Tend(os.environ["TEND_BINARY"], work, env=workload.env())
        stats = {"requests": 0, "http retries": 0, "engine retries": 0, "failed runs": 0, "lost": 0, "duplicated": 0,
                 "orphaned": 0, "unconverged": 0}
        steps = [("apply", ["apply", "--auto-approve", "--var", "gen=0"], 0, True),
                 ("drift", ["drift", "detect", "--json", "--var", "gen=0"], 0, True),
                 ("change", ["apply", "--auto-approve", "--var", "gen=1"], 1, True),
                 ("destroy", ["destroy", "--auto-approve", "--var", "gen=1"], 1, False)]
        for name, args, gen, present in steps:
            if until_ok(tend, args, 3, stats) is None:
                stats["unconverged"] += 1
                log(f"  {label}: {name} did not succeed in 3 runs: {stats.get('last error')}")
                continue
            lost, duplicated, orphaned = workload.check(tend, gen, present=present)
            stats["lost"] += lost
            stats["duplicated"] += duplicated
            stats["orphaned"] += orphaned
            if lost or duplicated or orphaned:
                log(f"  {label}: after {name}: lost {lost}, duplicated {duplicated}, orphaned {orphaned}")
        stats["injected"] = sum(proxy.injected.values())
        stats["by kind"] = dict(proxy.injected)
        return stats
    finally:
        proxy.stop()


def terminal(moto, root, code, log):
    """A terminal error on CreateVpc is reported with AWS's code, sent once, and nothing is half-done."""
    work = tempfile.mkdtemp(prefix=f"terminal-{code}-", dir=root)
    proxy = FaultProxy(moto.port, [], 0.0, 0, force={"CreateVpc": code})
    try:
        workload = AWSWorkload(work, moto, 1, 0, name=f"terminal-{code}", endpoint=proxy.endpoint)
        tend = Tend(os.environ["TEND_BINARY"], work, env=workload.env())
        exit_code, _, err = tend.run("apply", "--auto-approve", "--verbose")
        expected = "UnauthorizedOperation" if code == "403" else "InvalidParameterValue"
        sent = proxy.seen.get("CreateVpc", 0)
        ok = exit_code == 1 and expected in err and sent == 1
        if not ok:
            log(f"  terminal {code}: exit {exit_code}, CreateVpc sent {sent} times, code shown: {expected in err}: {err.strip()[-300:]}")
        exit_code, _, err = tend.run("apply", "--auto-approve")
        lost, duplicated, orphaned = workload.check(tend, 0)
        converged = exit_code == 0 and not (lost or duplicated or orphaned)
        if not converged:
            log(f"  terminal {code}: the next apply did not converge: exit {exit_code} {err.strip()[-300:]}")
        tend.run("destroy", "--auto-approve")
        return {"code": expected, "sent": sent, "reported": expected in err or ok, "ok": ok and converged}
    finally:
        proxy.stop()
