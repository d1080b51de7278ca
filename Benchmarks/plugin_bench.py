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
import json
import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import boto3

import measure
from aws_bench import free_port

SOURCE = "hashicorp/aws"
VERSION = "5.100.0"
PROVIDER_CONFIG = {"region": "us-east-1", "skip_credentials_validation": True, "skip_requesting_account_id": True,
                   "skip_metadata_api_check": True, "s3_use_path_style": True}
PHASES = ["first plan", "apply", "no-op plan", "drift, 5 %", "destroy"]
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
# The go-plugin handshake cookie every Terraform provider checks before it starts.
MAGIC_COOKIE = ("TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
CREDENTIALS = dict(region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")


class Ref:
    """A reference to another resource's attribute: `${name.attr}` in tend, `type.name.attr` in Terraform."""

    def __init__(self, type_, name, attribute):
        self.type, self.name, self.attribute = type_, name, attribute


def workload(n):
    """[(name, type, properties)] -- aws_bench.py's workload, with aws_bench.py's names and values."""
    out = []
    for i in range(n):
        out.append((f"b{i}", "aws_s3_bucket", {"bucket": f"bench-{i}", "tags": {"team": "bench", "index": str(i)}}))
    for v in range(n // 10):
        vpc = f"vpc{v}"
        out.append((vpc, "aws_vpc", {"cidr_block": f"10.{v % 250}.0.0/16", "tags": {"Name": vpc}}))
        for s in range(2):
            out.append((f"vpc{v}_s{s}", "aws_subnet", {"vpc_id": Ref("aws_vpc", vpc, "id"),
                                                       "cidr_block": f"10.{v % 250}.{s}.0/24", "tags": {"Name": f"s{s}"}}))
        out.append((f"vpc{v}_sg", "aws_security_group", {
            "name": f"sg{v}", "vpc_id": Ref("aws_vpc", vpc, "id"),
            "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
                        {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]}]}))
    return out


def yaml_value(value):
    if isinstance(value, Ref):
        return json.dumps(f"${{{value.name}.{value.attribute}}}")
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k}: {yaml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return json.dumps(value)


def manifest(resources):
    lines = ["stack: plugin-bench", "providers:", "  aws:", f"    source: {SOURCE}", f"    version: \"~> 5.100\"",
             f"    config: {yaml_value(PROVIDER_CONFIG)}", "resources:"]
    for name, type_, properties in resources:
        lines += [f"  {name}:", f"    type: {type_}", "    properties:"]
        lines += [f"      {key}: {yaml_value(value)}" for key, value in properties.items()]
    return "\n".join(lines) + "\n"


def hcl_value(value):
    if isinstance(value, Ref):
        return f"{value.type}.{value.name}.{value.attribute}"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {hcl_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(v) for v in value) + "]"
    return json.dumps(value)


def terraform_configuration(resources):
    lines = ["terraform {", "  required_providers {", f"    aws = {{ source = \"{SOURCE}\", version = \"{VERSION}\" }}",
             "  }", "}", "", "# Endpoints come from AWS_ENDPOINT_URL, as for tend.", "provider \"aws\" {"]
    lines += [f"  {key} = {hcl_value(value)}" for key, value in PROVIDER_CONFIG.items()]
    lines += ["}"]
    for name, type_, properties in resources:
        lines += ["", f"resource \"{type_}\" \"{name}\" {{"]
        for key, value in properties.items():
            if key == "ingress":   # a nested block in Terraform's language, a list of objects in tend's manifest
                for rule in value:
                    lines += ["  ingress {"] + [f"    {k} = {hcl_value(v)}" for k, v in rule.items()] + ["  }"]
            else:
                lines.append(f"  {key} = {hcl_value(value)}")
        lines.append("}")
    return "\n".join(lines) + "\n"


def cli_configuration(mirrors):
    """A Terraform CLI configuration that installs hashicorp/aws from the mirrors only (no network)."""
    lines = ["provider_installation {"]
    for mirror in mirrors:
        lines += ["  filesystem_mirror {", f"    path    = {json.dumps(mirror)}", f"    include = [\"registry.terraform.io/{SOURCE}\"]", "  }"]
    lines += ["  direct {", f"    exclude = [\"registry.terraform.io/{SOURCE}\"]", "  }", "}"]
    return "\n".join(lines) + "\n"


# --- measuring ---------------------------------------------------------------------------------------------------

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
        proc = subprocess.Popen([measure.GNU_TIME, "-v", "-o", time_path, *cmd], cwd=cwd, env=env, stdout=out, stderr=err)
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


# --- the two tools -----------------------------------------------------------------------------------------------

class Moto:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        sys.exit("moto_server did not start")

    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, **CREDENTIALS)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def aws_environment(endpoint):
    return dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                AWS_REGION="us-east-1", NO_COLOR="1", CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")


def edit_tags(moto, n):
    """5 % of the buckets get another team tag, through the API: the drift both tools must find."""
    s3 = moto.client("s3")
    edited = []
    for i in range(0, n, 20):
        try:
            s3.put_bucket_tagging(Bucket=f"bench-{i}", Tagging={"TagSet": [{"Key": "team", "Value": "edited"},
                                                                          {"Key": "index", "Value": str(i)}]})
            edited.append(f"b{i}")
        except s3.exceptions.NoSuchBucket:
            pass   # apply failed to make it; that failure is reported already
    return edited


def leftovers(moto):
    left = [b["Name"] for b in moto.client("s3").list_buckets()["Buckets"]]
    ec2 = moto.client("ec2")
    left += [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
    left += [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"].startswith("sg")]
    return left


class Tool:
    """One tool's five steps against its own new moto_server, each checked."""
    name = ""

    def __init__(self, args, resources, mirrors, root):
        self.args, self.resources, self.mirrors = args, resources, mirrors
        self.work = os.path.join(root, self.name)
        os.makedirs(self.work)
        self.logs = os.path.join(root, "logs", self.name)

    def step(self, phase, cmd, env, expect, problems, round_):
        log = os.path.join(self.logs, f"round{round_}", phase.replace(" ", "-").replace(",", "").replace("%", "pct"))
        os.makedirs(log, exist_ok=True)
        result = measured(cmd, self.work, env, log)
        result["ok"] = result["rc"] in expect
        if not result["ok"]:
            problem = f"{self.name} {phase}: `{' '.join(cmd[:3])} ...` exited {result['rc']} (expected {' or '.join(map(str, expect))})"
            print(f"FAILED: {problem}; its output is in {log}\n{(result['stdout'] + result['stderr'])[-2500:]}", file=sys.stderr)
            problems.append(problem)
        print(f"  {self.name:<9} {phase:<11} {result['seconds']:8.2f} s  tree {result['tree']:7.1f} MiB  "
              f"largest {result['largest']:7.1f} MiB  own {result['own']:6.1f} MiB", flush=True)
        return result

    def bench(self, n, round_, problems):
        moto = Moto()
        try:
            env = self.environment(moto.endpoint)
            self.prepare(env)
            rows = {}
            total = len(self.resources)
            rows["first plan"] = r = self.step("first plan", self.first_plan(), env, (2,), problems, round_)
            if r["rc"] == 2 and f"Plan: {total} to add, 0 to change, 0 to destroy." not in r["stdout"]:
                problems.append(f"{self.name} first plan does not say 'Plan: {total} to add, 0 to change, 0 to destroy.'")
            rows["apply"] = self.step("apply", self.apply(), env, (0,), problems, round_)
            rows["no-op plan"] = r = self.step("no-op plan", self.noop_plan(), env, (0,), problems, round_)
            if r["rc"] != 0:
                print(f"FAILED: {self.name}'s plan right after apply is not empty:\n{r['stdout'][-4000:]}", file=sys.stderr)
            edited = edit_tags(moto, n)
            rows["drift, 5 %"] = r = self.step("drift, 5 %", self.drift(), env, (2,), problems, round_)
            found = self.drifted(r["stdout"])
            if r["rc"] == 2 and found != set(edited):
                problems.append(f"{self.name} drift found {sorted(found)}, not the edited buckets {edited}")
            rows["destroy"] = self.step("destroy", self.destroy(), env, (0,), problems, round_)
            left = leftovers(moto)
            if left:
                problems.append(f"{self.name} destroy left {len(left)} objects in moto: {left[:5]}")
            return rows
        finally:
            moto.stop()


class Tend(Tool):
    name = "tend"

    def environment(self, endpoint):
        return dict(aws_environment(endpoint), TEND_PLUGIN_DIRS=":".join(self.mirrors),
                    XDG_CACHE_HOME=os.path.join(self.work, "cache"))

    def prepare(self, env):
        with open(os.path.join(self.work, "main.yaml"), "w") as f:
            f.write(manifest(self.resources))
        # Like `terraform init` (not timed): finds the binary, writes the lock file, hashes the binary and caches its
        # schema, so the timed steps run as every run after a user's first does.
        validate = subprocess.run([self.args.tend, "validate", "--dir", self.work], env=env, capture_output=True, text=True)
        if validate.returncode != 0:
            sys.exit(f"tend validate failed (exit {validate.returncode}):\n{validate.stdout}{validate.stderr}")

    def cmd(self, *words):
        # No --verbose: with a plugin it adds no counters, only the provider's whole trace log copied to stderr.
        return [self.args.tend, *words, "--dir", self.work]

    def first_plan(self): return self.cmd("plan", "--detailed-exitcode")
    def apply(self): return self.cmd("apply", "--auto-approve")
    def noop_plan(self): return self.cmd("plan", "--detailed-exitcode")
    def drift(self): return self.cmd("drift", "detect", "--json", "--detailed-exitcode")
    def destroy(self): return self.cmd("destroy", "--auto-approve")

    @staticmethod
    def drifted(stdout):
        try:
            return {f["address"] for f in json.loads(stdout).get("findings", [])}
        except ValueError:
            return set()


class Terraform(Tool):
    name = "terraform"

    def environment(self, endpoint):
        return dict(aws_environment(endpoint), TF_CLI_CONFIG_FILE=os.path.join(self.work, "cli.tfrc"))

    def prepare(self, env):
        with open(os.path.join(self.work, "main.tf"), "w") as f:
            f.write(terraform_configuration(self.resources))
        with open(os.path.join(self.work, "cli.tfrc"), "w") as f:
            f.write(cli_configuration(self.mirrors))
        init = subprocess.run([self.args.terraform, "init", "-input=false", "-no-color"], cwd=self.work, env=env,
                              capture_output=True, text=True)   # not timed
        if init.returncode != 0:
            sys.exit(f"terraform init failed (exit {init.returncode}):\n{init.stdout}{init.stderr}")

    def cmd(self, *words):
        return [self.args.terraform, *words, "-input=false", "-no-color"]

    def first_plan(self): return self.cmd("plan", "-refresh=true", "-detailed-exitcode")
    def apply(self): return self.cmd("apply", "-auto-approve")
    def noop_plan(self): return self.cmd("plan", "-detailed-exitcode")
    def drift(self): return self.cmd("plan", "-refresh-only", "-detailed-exitcode")
    def destroy(self): return self.cmd("destroy", "-auto-approve")

    @staticmethod
    def drifted(stdout):
        return set(re.findall(r"# aws_s3_bucket\.(\S+) has changed", stdout))


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
                   for p in descendants(proc.pid)):
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
        f.write(manifest(resources))
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


# --- main --------------------------------------------------------------------------------------------------------

def find_mirrors(args):
    if args.plugin_dirs:
        dirs = args.plugin_dirs
    elif os.environ.get("TEND_PLUGIN_DIRS"):
        dirs = os.environ["TEND_PLUGIN_DIRS"]
    else:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "terraform-mirrors.sh")
        dirs = subprocess.run(["sh", script], capture_output=True, text=True).stdout.strip()
    mirrors = [d for d in dirs.split(":") if d]
    for mirror in mirrors:
        platform = os.path.join(mirror, "registry.terraform.io", SOURCE, VERSION, "linux_amd64")
        if os.path.isdir(platform):
            for name in os.listdir(platform):
                if name.startswith("terraform-provider-aws_v"):
                    return mirrors, os.path.join(platform, name)
    sys.exit(f"no filesystem mirror holds {SOURCE} {VERSION} (looked in: {dirs or 'nothing found'}); "
             "pass --plugin-dirs or set TEND_PLUGIN_DIRS")


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
            order = [Tend, Terraform] if r % 2 == 1 else [Terraform, Tend]
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
