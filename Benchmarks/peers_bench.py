#!/usr/bin/env python3
"""tend beside Terraform on the same AWS workload, against one moto_server on 127.0.0.1.

Workload for N (aws_bench.py's): N buckets with tags plus N/10 VPCs, each with two subnets and a security group with
two ingress rules (1.4 N resources). tend runs it with its built-in aws provider from a YAML manifest; Terraform 1.11
with hashicorp/aws 5.100.0, installed from a filesystem mirror found on this machine (no network), from the same
resources written as HCL. Both talk to the same moto_server, started on a free loopback port for each N and stopped
at the end even when a step fails; they do not collide because their buckets are named apart (tend-i, terraform-i)
and each makes VPCs of its own (moto, like AWS, lets VPCs share a CIDR block). tend's reads that list a whole type
(Describe of every VPC, ListBuckets) therefore also see Terraform's objects. Before the first step
moto is warmed: one read of each service either tool uses, since moto loads a service on its first request (seconds).

Phase by phase, the two alternate: tend first in the first plan, Terraform first in apply, and so on. Phases: first
plan, apply, no-op plan, drift (after 5 % of each tool's buckets had their tags edited through the S3 API: `tend plan`, whose
refresh reports the drift, against `terraform plan -refresh-only`; `tend drift` does more than the refresh-only plan,
since it also lists every managed type for objects it does not manage — here Terraform's 700 — and records
findings), destroy. Per phase:
wall time, peak memory and requests. Peak memory is the larger of GNU time's largest single process and the sum of
the RSS of the tool's whole process tree sampled every 20 ms (for Terraform: terraform plus the provider plugin
process; tend is one process). Requests are counted inside moto (counting_moto.py), the same way for both.
`terraform init` and `tend validate` run once per N before the first phase and are not timed. Both use their
default parallelism (10).

Targets at N=500, each tool against the other in the same phase: no-op plan and drift at least 50x faster than
Terraform, apply at least 8x, destroy at least 25x; tend's peak memory at most 1/15 of Terraform's process tree in
every phase. Each step's exit code and result are checked too (the first plan's count, an empty plan after apply,
drift naming exactly the edited buckets, nothing left in moto after destroy). Exit 1 when a target is missed or a
check fails; a failed step does not stop the phases after it.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import measure
from aws_tools import PHASES, Moto, Tend, Terraform, check_emptied, edit_tags, find_mirrors, workload

# tend's built-in aws provider, pointed at moto by the same variable Terraform's provider reads.
BUILT_IN_HEADER = ["stack: peers-bench", "providers:", "  aws: { region: us-east-1, endpoint: \"${env.AWS_ENDPOINT_URL}\" }"]
# Phase: how many times faster than Terraform tend must be at N=500.
SPEED_TARGETS = {"no-op plan": 50, "drift, 5 %": 50, "apply": 8, "destroy": 25}
MEMORY_TARGET = 15   # tend's peak at most 1/15 of Terraform's process tree
TARGET_N = 500


class BuiltInTend(Tend):
    """tend with its built-in aws provider."""

    def header(self):
        return BUILT_IN_HEADER

    # The counterpart of `terraform plan -refresh-only`: a plan, whose refresh reports the drift it found. `tend drift`
    # does more than Terraform's refresh-only plan (it lists every managed type for objects state does not know, here
    # Terraform's 700, and records findings), so it is not the like-for-like step.
    def drift(self): return self.cmd("plan", "--json", "--detailed-exitcode")

    @staticmethod
    def drifted(stdout):
        """The resources the plan's refresh found changed outside tend (`resource_drift`)."""
        try:
            return {d["address"] for d in json.loads(stdout).get("resource_drift", [])}
        except ValueError:
            return set()


def peak(result):
    """The peak memory of a step in MiB: the sampled sum over the process tree, or the largest single process GNU time
    saw if that is larger (a 20 ms sample can miss a short peak of a one-process tool)."""
    return max(result["tree"], result["largest"])


def bench(args, mirrors, n, root, problems):
    """{tool name: {phase: result}} for N, the two tools alternating phase by phase against one moto."""
    moto = Moto(counting=True)
    try:
        moto.warm()
        tools = [BuiltInTend(args, workload(n, "tend"), mirrors, root),
                 Terraform(args, workload(n, "terraform"), mirrors, root)]
        environments = {tool.name: tool.environment(moto.endpoint) for tool in tools}
        for tool in tools:
            tool.prepare(environments[tool.name])   # tend validate; terraform init (not timed)
        rows = {tool.name: {} for tool in tools}
        edited = {}
        for index, phase in enumerate(PHASES):
            if phase == "drift, 5 %":
                edited = {tool.name: edit_tags(moto, n, tool.name) for tool in tools}
            for tool in (tools if index % 2 == 0 else tools[::-1]):
                rows[tool.name][phase] = tool.phase(phase, moto, environments[tool.name], problems, f"n{n}",
                                                    edited.get(tool.name, ()))
        check_emptied(moto, f"N={n}: the two destroys", problems)
        return rows
    finally:
        moto.stop()


def table(n, rows, version):
    print()
    print(f"tend (built-in aws provider) beside {version} + hashicorp/aws, one moto_server, "
          f"N={n} ({int(n * 1.4)} resources)")
    print(f"{'phase':<12}{'tend s':>9}{'terraform s':>13}{'faster':>9}{'tend MiB':>10}{'tf tree MiB':>13}{'smaller':>9}"
          f"{'tend req':>10}{'tf req':>8}")
    for phase in PHASES:
        t, f = rows["tend"][phase], rows["terraform"][phase]
        mark = {tool: " " if rows[tool][phase]["ok"] else "!" for tool in rows}
        faster = f["seconds"] / t["seconds"] if t["seconds"] > 0 else float("inf")
        smaller = peak(f) / peak(t) if peak(t) > 0 else float("inf")
        print(f"{phase:<12}{t['seconds']:>8.2f}{mark['tend']}{f['seconds']:>12.2f}{mark['terraform']}{faster:>8.1f}x"
              f"{peak(t):>10.1f}{peak(f):>13.1f}{smaller:>8.1f}x{t['requests']:>10}{f['requests']:>8}")
    if any(not r["ok"] for tool in rows.values() for r in tool.values()):
        print("! the step failed (see above): its time is that of a failed run")


def verdict(rows):
    """The targets at N=500: a list of misses."""
    missed = []
    print(f"targets at N={TARGET_N}:")
    for phase, target in SPEED_TARGETS.items():
        t, f = rows["tend"][phase], rows["terraform"][phase]
        faster = f["seconds"] / t["seconds"] if t["seconds"] > 0 else float("inf")
        met = faster >= target and t["ok"] and f["ok"]
        print(f"  {phase}: {faster:.1f}x faster than Terraform (target >= {target}x) {'PASS' if met else 'MISS'}")
        if not met:
            missed.append(f"{phase} {faster:.1f}x (target {target}x)")
    ratios = {phase: peak(rows["terraform"][phase]) / peak(rows["tend"][phase]) for phase in PHASES}
    worst = min(ratios, key=ratios.get)
    met = ratios[worst] >= MEMORY_TARGET
    print(f"  peak memory: tend at most 1/{MEMORY_TARGET} of Terraform's process tree in every phase; closest: "
          f"{worst}, {peak(rows['tend'][worst]):.1f} MiB against {peak(rows['terraform'][worst]):.1f} MiB "
          f"(1/{ratios[worst]:.1f}) {'PASS' if met else 'MISS'}")
    if not met:
        missed.append(f"peak memory in {worst} 1/{ratios[worst]:.1f} of Terraform's (target 1/{MEMORY_TARGET})")
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tend", required=True)
    parser.add_argument("--terraform", default=shutil.which("terraform"))
    parser.add_argument("--sizes", default="100,500", help="values of N, comma-separated (default 100,500)")
    parser.add_argument("--plugin-dirs", help="filesystem mirrors of hashicorp/aws, colon-separated (default: "
                                              "$TEND_PLUGIN_DIRS, else scripts/terraform-mirrors.sh)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (configurations, logs of every step)")
    args = parser.parse_args()
    if not args.terraform or not os.access(args.terraform, os.X_OK):
        sys.exit(f"terraform not found ({args.terraform or 'not on PATH'}): install Terraform 1.11 or pass --terraform")
    args.tend = os.path.abspath(args.tend)
    args.terraform = os.path.abspath(args.terraform)
    if not os.access(args.tend, os.X_OK):
        sys.exit(f"{args.tend} is not an executable (build it: make build)")
    mirrors, executable = find_mirrors(args)
    sizes = [int(s) for s in args.sizes.split(",")]
    version = subprocess.run([args.terraform, "version"], capture_output=True, text=True).stdout.split("\n")[0]
    root = tempfile.mkdtemp(prefix="tend-peers-bench-")
    problems, results = [], {}
    try:
        print(f"{version}, hashicorp/aws from {executable}; tend {args.tend}; work in {root}", flush=True)
        for n in sizes:
            print(f"N={n}:", flush=True)
            results[n] = bench(args, mirrors, n, os.path.join(root, f"n{n}"), problems)
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    for n in sizes:
        table(n, results[n], version)
    print("faster: Terraform's time / tend's; smaller: Terraform's peak / tend's. MiB: the larger of the process tree's\n"
          "summed RSS (sampled every 20 ms) and GNU time's largest process. req: requests moto served during the step.\n"
          "`terraform init` and `tend validate` ran once per N, untimed. Phases alternate which tool goes first (tend in\n"
          "the first plan). moto was warmed before the first step (one read per service). Buckets are named apart; `tend\n"
          "drift` would also list the other tool's objects as unmanaged; the drift phase is `tend plan` (its refresh reports "
          "the drift) against `terraform plan -refresh-only`.")
    print()
    failures = list(problems)
    if TARGET_N in results:
        failures += verdict(results[TARGET_N])
    else:
        print(f"targets are checked at N={TARGET_N}, not measured in this run")
    if problems:
        print("checks failed:\n  " + "\n  ".join(problems))
    measure.verdict(failures)


if __name__ == "__main__":
    main()
