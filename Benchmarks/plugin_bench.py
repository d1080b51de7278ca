#!/usr/bin/env python3
"""Benchmark tend running the hashicorp/aws Terraform provider as a plugin, against Terraform with the same binary.

Workload for N (the one aws_bench.py uses): N buckets with tags plus N/10 VPCs, each with two subnets and a security
group with two ingress rules (1.4 N resources), as a tend manifest whose provider block runs hashicorp/aws 5.100.0
from a filesystem mirror, and as Terraform configuration for the same binary from the same mirror. Each tool gets
its own new moto_server on 127.0.0.1, so each starts from an empty world. Steps: first plan, apply, no-op plan, drift
(after 5 % of the buckets' tags were edited through the API), destroy -- wall time, and peak memory three ways (see
the table's notes). With --rounds 2 the order alternates: tend first in round 1, Terraform first in round 2.

Then tend's start with the provider's schema cached (and, for comparison, with tend's cache emptied): the time from
launching `tend plan` on a one-bucket manifest to the provider receiving its first call, read from the provider's
own trace log, beside how long the provider binary alone takes to start.

Correctness is checked as it goes: every exit code, the number of planned additions, a no-op plan with nothing to do
after apply (both tools), drift naming exactly the edited buckets, nothing left in moto after destroy.

Targets: no step slower than Terraform; warm start under 0.5 s; tend's own peak memory (the tend process, without
the provider's) under 100 MiB. Exit 1 when one is missed or a check fails.
"""
import argparse
import calendar
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import measure
from aws_tools import (PHASES, PROVIDER_CONFIG, SOURCE, VERSION, Moto, Tend, Terraform, aws_environment, cli_configuration,
                       find_mirrors, manifest, terraform_configuration, workload, yaml_value)

# The go-plugin handshake cookie every Terraform provider checks before it starts.
MAGIC_COOKIE = ("TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
# The manifest's providers: hashicorp/aws from the mirror, as a plugin.
PLUGIN_HEADER = ["stack: plugin-bench", "providers:", "  aws:", f"    source: {SOURCE}", "    version: \"~> 5.100\"",
                 f"    config: {yaml_value(PROVIDER_CONFIG)}"]


class PluginTend(Tend):
    """tend with hashicorp/aws from the mirror as a plugin; its schema cached under the work directory."""

    def header(self):
        return PLUGIN_HEADER

    def environment(self, endpoint):
        return dict(aws_environment(endpoint), TEND_PLUGIN_DIRS=":".join(self.mirrors),
                    XDG_CACHE_HOME=os.path.join(self.work, "cache"))


# --- start time --------------------------------------------------------------------------------------------------

def provider_start(executable, runs):
    """Seconds the provider binary alone takes from exec to its go-plugin handshake line: the floor of any start."""
    env = dict(os.environ, PLUGIN_PROTOCOL_VERSIONS="5", **{MAGIC_COOKIE[0]: MAGIC_COOKIE[1]})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([executable], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = proc.stdout.readline()
        times.append(time.perf_counter() - start)
        proc.kill()
        proc.wait()
        if not line.startswith(b"1|"):
            sys.exit(f"{executable} printed no handshake: {line!r}")
    return statistics.median(times)


STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)([+-]\d\d:?\d\d|Z)")
RPC = re.compile(r"tf_rpc\W+(\w+)")


def epoch(text):
    """The provider's own timestamp in a log line (`timestamp=` or `"@timestamp":`, else the first one in the line:
    RFC 3339 with fractions) as seconds since the epoch."""
    own = re.search(r"(?:timestamp=|\"@timestamp\":\")(\S+)", text)
    match = STAMP.search(own.group(1) if own else text)
    if not match:
        return None
    whole, fraction = match.group(1).split(".")
    zone = match.group(2).replace(":", "")
    offset = 0 if zone == "Z" else (1 if zone[0] == "+" else -1) * (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60)
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) - offset + float("0." + fraction)


def first_call(cmd, cwd, env):
    """One run of cmd with the provider's trace log on its stderr: seconds from launch to the provider's first call
    received (by the provider's own timestamp), to the provider process appearing (the tool's process tree polled
    every 2 ms), and to the tool's exit; and the first call's name."""
    launched_wall = time.time()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            errors="replace")
    spawned = []

    def watch():
        while proc.poll() is None and not spawned:
            if any("terraform-provider" in (os.readlink(f"/proc/{p}/exe") if os.path.exists(f"/proc/{p}/exe") else "")
                   for p in measure.descendants(proc.pid)):
                spawned.append(time.perf_counter() - start)
            time.sleep(0.002)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    call, rpc, handshake = None, None, float("nan")
    for line in proc.stderr:
        if handshake != handshake and "plugin address" in line:
            stamp = epoch(line)
            handshake = stamp - launched_wall if stamp is not None else time.perf_counter() - start
        if call is None and "Received request" in line:
            stamp = epoch(line)
            call = stamp - launched_wall if stamp is not None else time.perf_counter() - start
            rpc = (RPC.search(line) or re.match("(.*)", "?")).group(1)
    proc.wait()
    total = time.perf_counter() - start
    watcher.join()
    if proc.returncode not in (0, 2) or call is None:
        sys.exit(f"{' '.join(cmd)} with TF_LOG=trace: exit {proc.returncode}, first call {'not ' if call is None else ''}seen")
    return {"call": call, "rpc": rpc, "spawn": spawned[0] if spawned else float("nan"), "handshake": handshake,
            "total": total}


def start_times(args, mirrors, root, runs):
    """Cold and warm starts of tend (alternating), a warm plan without the trace log, and Terraform's start."""
    resources = workload(1)[:1]
    work = os.path.join(root, "start")
    os.makedirs(work)
    with open(os.path.join(work, "main.yaml"), "w") as f:
        f.write(manifest(resources, PLUGIN_HEADER))
    cache = os.path.join(work, "cache")
    moto = Moto()
    try:
        env = dict(aws_environment(moto.endpoint), TEND_PLUGIN_DIRS=":".join(mirrors), XDG_CACHE_HOME=cache)
        traced = dict(env, TEND_LOG="1", TF_LOG="trace")
        cmd = [args.tend, "plan", "--dir", work]
        cold, warm, plain = [], [], []
        for _ in range(runs):   # cold and warm alternate
            shutil.rmtree(os.path.join(cache, "tend"), ignore_errors=True)
            cold.append(first_call(cmd, work, traced))
            warm.append(first_call(cmd, work, traced))
        for _ in range(runs):   # the whole warm plan without the trace log (logging costs the provider time)
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            plain.append(time.perf_counter() - start)
        tf = os.path.join(root, "start-terraform")
        os.makedirs(tf)
        with open(os.path.join(tf, "main.tf"), "w") as f:
            f.write(terraform_configuration(resources))
        with open(os.path.join(tf, "cli.tfrc"), "w") as f:
            f.write(cli_configuration(mirrors))
        tf_env = dict(env, TF_CLI_CONFIG_FILE=os.path.join(tf, "cli.tfrc"))
        subprocess.run([args.terraform, "init", "-input=false", "-no-color"], cwd=tf, env=tf_env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        terraform = [first_call([args.terraform, "plan", "-input=false", "-no-color"], tf, dict(tf_env, TF_LOG_PROVIDER="trace"))
                     for _ in range(runs)]
    finally:
        moto.stop()

    def median(rows):
        return {key: statistics.median(r[key] for r in rows) for key in ("call", "spawn", "handshake", "total")} | {"rpc": rows[0]["rpc"]}
    return median(cold), median(warm), statistics.median(plain), median(terraform)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tend", required=True)
    parser.add_argument("--terraform", default=shutil.which("terraform"))
    parser.add_argument("--n", type=int, default=100, help="buckets; N/10 VPCs (default 100)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: N=10, one start-time run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds, tend first in odd rounds, Terraform first in even ones")
    parser.add_argument("--starts", type=int, default=5, help="runs of each start measurement (median)")
    parser.add_argument("--plugin-dirs", help="filesystem mirrors, colon-separated (default: $TEND_PLUGIN_DIRS, "
                                              "else scripts/terraform-mirrors.sh)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (configurations, logs of every step)")
    args = parser.parse_args()
    if args.quick:
        args.n, args.starts = 10, 1
    if not args.terraform or not os.access(args.terraform, os.X_OK):
        sys.exit("terraform is not on PATH (pass --terraform)")
    args.tend_given = args.tend
    args.tend = os.path.abspath(args.tend)
    args.terraform = os.path.abspath(args.terraform)
    mirrors, executable = find_mirrors(args)
    resources = workload(args.n)
    root = tempfile.mkdtemp(prefix=f"tend-plugin-bench-{args.n}-")
    problems = []
    try:
        version = subprocess.run([args.terraform, "version"], capture_output=True, text=True).stdout.splitlines()[0]
        print(f"hashicorp/aws {VERSION} ({executable}), {version}, N={args.n} ({len(resources)} resources), "
              f"{args.rounds} round(s), work in {root}", flush=True)
        rounds = []
        for r in range(1, args.rounds + 1):
            order = [PluginTend, Terraform] if r % 2 == 1 else [Terraform, PluginTend]
            print(f"round {r}: {' then '.join(t.name for t in order)}", flush=True)
            results = {}
            for tool in order:
                results[tool.name] = tool(args, resources, mirrors, os.path.join(root, f"round{r}")).bench(args.n, r, problems)
            rounds.append(results)
        print("starts (one bucket; tend plan):", flush=True)
        floor = provider_start(executable, max(args.starts, 3))
        cold, warm, plain, terraform = start_times(args, mirrors, root, args.starts)
        report(args, rounds, floor, cold, warm, plain, terraform, executable, mirrors, problems)
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def report(args, rounds, floor, cold, warm, plain, terraform, executable, mirrors, problems):
    def seconds(tool, phase):
        return statistics.median(r[tool][phase]["seconds"] for r in rounds)

    def peak(tool, phase, key):
        return max(r[tool][phase][key] for r in rounds)

    print()
    print(f"hashicorp/aws {VERSION} plugin on moto_server, N={args.n} ({int(args.n * 1.4)} resources), "
          f"{len(rounds)} round(s): median time, largest peak")
    header = (f"{'step':<12}{'tend s':>9}{'terraform s':>13}{'ratio':>7}{'tend tree':>12}{'tf tree':>10}"
              f"{'tend own':>11}{'tf own':>9}{'tend lrg':>11}{'tf lrg':>9}")
    print(header)
    print(f"{'':<12}{'':>9}{'':>13}{'':>7}{'MiB (a)':>12}{'MiB (a)':>10}{'MiB (b)':>11}{'MiB (b)':>9}{'MiB (c)':>11}{'MiB (c)':>9}")
    slower = []
    for phase in PHASES:
        t, f = seconds("tend", phase), seconds("terraform", phase)
        ratio = t / f if f > 0 else float("inf")
        failed = {tool: not all(r[tool][phase]["ok"] for r in rounds) for tool in ("tend", "terraform")}
        if ratio > 1 or failed["tend"]:
            slower.append(f"{phase} ({'failed' if failed['tend'] else f'{ratio:.2f}x'})")
        mark = {tool: "!" if failed[tool] else " " for tool in failed}
        print(f"{phase:<12}{t:>8.2f}{mark['tend']}{f:>12.2f}{mark['terraform']}{ratio:>7.2f}{peak('tend', phase, 'tree'):>12.1f}"
              f"{peak('terraform', phase, 'tree'):>10.1f}{peak('tend', phase, 'own'):>11.1f}"
              f"{peak('terraform', phase, 'own'):>9.1f}{peak('tend', phase, 'largest'):>11.1f}"
              f"{peak('terraform', phase, 'largest'):>9.1f}")
    if any(not r[tool][phase]["ok"] for r in rounds for tool in ("tend", "terraform") for phase in PHASES):
        print("! the step failed in at least one round (see the checks below): its time is that of a failed run")
    if len(rounds) > 1:
        print("per round, seconds (tend / terraform): " + "; ".join(
            f"{phase}: " + ", ".join(f"{r['tend'][phase]['seconds']:.2f}/{r['terraform'][phase]['seconds']:.2f}" for r in rounds)
            for phase in PHASES))
    print("(a) the sum of the RSS of every process of the tool's tree (the tool and the provider processes it runs),\n"
          "    sampled from /proc every 20 ms: the memory the run takes at once (pages shared between processes count twice)\n"
          "(b) the tool's own process alone: its VmHWM (the kernel's high-water mark), read every 20 ms while it runs\n"
          "(c) GNU time -v's maximum resident set size: the largest single process of the tree, here the provider")
    print("Terraform's `init` and tend's `validate` before the first step (finding and hashing the binary, the lock "
          "file; tend also caches the schema) are not timed. Both run with their default parallelism, 10.")
    print()
    print(f"start, one bucket, `tend plan` (median of {args.starts}):")
    print(f"{'':<34}{'first call':>11}{'spawned':>9}{'handshake':>11}{'whole plan':>12}  first call")
    for label, row in (("warm (schema cached)", warm), ("cold (tend's cache dir emptied)", cold),
                       ("terraform plan, for comparison", terraform)):
        print(f"{label:<34}{row['call']:>10.3f}s{row['spawn']:>8.3f}s{row['handshake']:>10.3f}s{row['total']:>11.3f}s  {row['rpc']}")
    print(f"{'provider binary alone':<34}{'':>11}{'':>9}{floor:>10.3f}s{'':>12}  (exec to its handshake line)")
    print(f"{'warm, without the trace log':<34}{'':>11}{'':>9}{'':>11}{plain:>11.3f}s")
    print("first call: from launching the tool to the provider receiving its first RPC, by the provider's own trace-log\n"
          "timestamp (TF_LOG=trace, shown by tend with TEND_LOG=1, by terraform with TF_LOG_PROVIDER=trace; ms, same\n"
          "clock). spawned: until the provider process exists (the tool's process tree polled every 2 ms). handshake: until\n"
          "the provider logs its plugin address, just before its go-plugin handshake line; from there to the first call\n"
          "is the host's connecting and, for tend, loading the cached schema. Cold: $XDG_CACHE_HOME/tend removed, so tend\n"
          f"hashes the {os.path.getsize(executable) / 2**20:.0f} MiB binary and asks the provider for its schema again.")
    print()
    failures = list(problems)
    print(f"no step slower than Terraform: {'PASS' if not slower else 'MISS: ' + ', '.join(slower)}")
    if slower:
        failures.append("slower than Terraform: " + ", ".join(slower))
    print(f"warm start to first call under 0.5 s: {warm['call']:.3f} s {'PASS' if warm['call'] < 0.5 else 'MISS'}"
          f" (the provider alone needs {floor:.3f} s to its handshake; in tend's run it shook hands at"
          f" {warm['handshake']:.3f} s)")
    if warm["call"] >= 0.5:
        failures.append(f"warm start {warm['call']:.3f} s")
    own = max(r["tend"][phase]["own"] for r in rounds for phase in PHASES)
    print(f"tend's own peak memory under 100 MiB: {own:.1f} MiB {'PASS' if own < 100 else 'MISS'}")
    if own >= 100:
        failures.append(f"tend's own peak memory {own:.1f} MiB")
    if problems:
        print("checks failed:\n  " + "\n  ".join(problems))
    print()
    print("to reproduce (moto_server on a free port of 127.0.0.1, AWS_ENDPOINT_URL=http://127.0.0.1:PORT,\n"
          "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1; --keep keeps the configurations):")
    print(f"  python3 Benchmarks/plugin_bench.py --tend {shlex.quote(args.tend_given)} --n {args.n} "
          f"--rounds {len(rounds)} --plugin-dirs {shlex.quote(':'.join(mirrors))}")
    print(f"  tend:      TEND_PLUGIN_DIRS={shlex.quote(':'.join(mirrors))} XDG_CACHE_HOME=DIR/cache; tend validate --dir DIR;"
          " tend plan --detailed-exitcode --dir DIR; tend apply --auto-approve ...;"
          " tend plan --detailed-exitcode ...; tend drift detect --json --detailed-exitcode ...; tend destroy --auto-approve ...")
    print("  terraform: TF_CLI_CONFIG_FILE=DIR/cli.tfrc (a filesystem_mirror); terraform init; terraform plan -refresh=true "
          "-detailed-exitcode -input=false; terraform apply -auto-approve -input=false; terraform plan -detailed-exitcode "
          "-input=false; terraform plan -refresh-only -detailed-exitcode -input=false; terraform destroy -auto-approve -input=false")
    print("  the drift step follows an edit of the team tag of buckets 0, 20, 40, ... through the S3 API")
    measure.verdict(failures)


if __name__ == "__main__":
    main()
