"""The AWS workload and the two tools that plugin_bench.py and peers_bench.py run side by side.

The workload (aws_bench.py's: N buckets with tags, N/10 VPCs with two subnets and a security group each) as a tend
manifest or a Terraform configuration; moto_server on a free port of 127.0.0.1, its requests counted if asked; the
out-of-band tag edit the drift step must find; Terraform's CLI configuration for a filesystem mirror of hashicorp/aws
and where that mirror is; tend and Terraform, each with the five steps of PHASES, measured and checked.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import boto3

import measure
from aws_bench import free_port

SOURCE = "hashicorp/aws"
VERSION = "5.100.0"
PROVIDER_CONFIG = {"region": "us-east-1", "skip_credentials_validation": True, "skip_requesting_account_id": True,
                   "skip_metadata_api_check": True, "s3_use_path_style": True}
PHASES = ["first plan", "apply", "no-op plan", "drift, 5 %", "destroy"]
CREDENTIALS = dict(region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
COUNTING_MOTO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "counting_moto.py")
REQUESTS_PATH = "/_bench/requests"   # counting_moto.py answers it; no bucket name starts with "_"


class Ref:
    """A reference to another resource's attribute: `${name.attr}` in tend, `type.name.attr` in Terraform."""

    def __init__(self, type_, name, attribute):
        self.type, self.name, self.attribute = type_, name, attribute


def workload(n, prefix="bench"):
    """[(name, type, properties)] -- aws_bench.py's workload, with aws_bench.py's names and values (buckets are named
    PREFIX-i: two tools sharing one moto use prefixes of their own)."""
    out = []
    for i in range(n):
        out.append((f"b{i}", "aws_s3_bucket", {"bucket": f"{prefix}-{i}", "tags": {"team": "bench", "index": str(i)}}))
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


def manifest(resources, header):
    """A tend manifest: the header's lines (stack and providers), then the resources."""
    lines = [*header, "resources:"]
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


# --- moto ---------------------------------------------------------------------------------------------------------

class Moto:
    """A moto_server on a free port of 127.0.0.1; with counting, moto's own application behind counting_moto.py, which
    counts every request it serves."""

    def __init__(self, counting=False):
        self.port = free_port()
        self.counting = counting
        server = [sys.executable, COUNTING_MOTO] if counting else ["moto_server"]
        self.proc = subprocess.Popen([*server, "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        sys.exit("moto_server did not start")

    def requests(self):
        """How many requests moto has served so far (counting only; the question itself is not counted)."""
        with urllib.request.urlopen(f"{self.endpoint}{REQUESTS_PATH}", timeout=10) as reply:
            return int(reply.read())

    def warm(self):
        """One cheap read of each service either tool uses: moto loads a service's backend on its first request, which
        takes seconds, and the first step to use a service would pay for it. Before any step, so not counted in one."""
        self.client("s3").list_buckets()
        self.client("ec2").describe_vpcs()
        self.client("resourcegroupstaggingapi").get_resources()
        self.client("sts").get_caller_identity()
        self.client("iam").list_roles()

    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, **CREDENTIALS)

    def stop(self):
        # SIGKILL: started from a test runner, moto inherits its blocked SIGTERM, and terminate() would wait forever.
        self.proc.kill()
        self.proc.wait()


def aws_environment(endpoint):
    return dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                AWS_REGION="us-east-1", NO_COLOR="1", CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")


def edit_tags(moto, n, prefix="bench"):
    """5 % of the buckets get another team tag, through the API: the drift both tools must find."""
    s3 = moto.client("s3")
    edited = []
    for i in range(0, n, 20):
        try:
            s3.put_bucket_tagging(Bucket=f"{prefix}-{i}", Tagging={"TagSet": [{"Key": "team", "Value": "edited"},
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


def check_emptied(moto, who, problems):
    """Adds a problem when moto still holds buckets, VPCs or the workload's security groups after a destroy."""
    left = leftovers(moto)
    if left:
        problems.append(f"{who} left {len(left)} objects in moto: {left[:5]}")


# --- the two tools -----------------------------------------------------------------------------------------------

class Tool:
    """One tool's five steps, each measured and checked; `bench` runs them against a new moto_server of its own."""
    name = ""

    def __init__(self, args, resources, mirrors, root):
        self.args, self.resources, self.mirrors = args, resources, mirrors
        self.work = os.path.join(root, self.name)
        os.makedirs(self.work)
        self.logs = os.path.join(root, "logs", self.name)

    def step(self, phase, cmd, env, expect, problems, label, moto):
        log = os.path.join(self.logs, label, phase.replace(" ", "-").replace(",", "").replace("%", "pct"))
        os.makedirs(log, exist_ok=True)
        before = moto.requests() if moto.counting else 0
        result = measure.measured(cmd, self.work, env, log)
        result["requests"] = moto.requests() - before if moto.counting else None
        result["ok"] = result["rc"] in expect
        if not result["ok"]:
            problem = f"{self.name} {phase}: `{' '.join(cmd[:3])} ...` exited {result['rc']} (expected {' or '.join(map(str, expect))})"
            print(f"FAILED: {problem}; its output is in {log}\n{(result['stdout'] + result['stderr'])[-2500:]}", file=sys.stderr)
            problems.append(problem)
        counted = f"  {result['requests']} requests" if moto.counting else ""
        print(f"  {self.name:<9} {phase:<11} {result['seconds']:8.2f} s  tree {result['tree']:7.1f} MiB  "
              f"largest {result['largest']:7.1f} MiB  own {result['own']:6.1f} MiB{counted}", flush=True)
        return result

    def phase(self, phase, moto, env, problems, label, edited=()):
        """Runs one of PHASES and checks it: the result of `step`. `edited`: the buckets edited before the drift."""
        if phase == "first plan":
            r = self.step(phase, self.first_plan(), env, (2,), problems, label, moto)
            total = len(self.resources)
            if r["rc"] == 2 and f"Plan: {total} to add, 0 to change, 0 to destroy." not in r["stdout"]:
                problems.append(f"{self.name} first plan does not say 'Plan: {total} to add, 0 to change, 0 to destroy.'")
        elif phase == "apply":
            r = self.step(phase, self.apply(), env, (0,), problems, label, moto)
        elif phase == "no-op plan":
            r = self.step(phase, self.noop_plan(), env, (0,), problems, label, moto)
            if r["rc"] != 0:
                print(f"FAILED: {self.name}'s plan right after apply is not empty:\n{r['stdout'][-4000:]}", file=sys.stderr)
        elif phase == "drift, 5 %":
            r = self.step(phase, self.drift(), env, (2,), problems, label, moto)
            found = self.drifted(r["stdout"])
            if r["rc"] == 2 and found != set(edited):
                problems.append(f"{self.name} drift found {sorted(found)}, not the edited buckets {edited}")
        else:
            r = self.step(phase, self.destroy(), env, (0,), problems, label, moto)
        return r

    def bench(self, n, round_, problems):
        moto = Moto()
        try:
            env = self.environment(moto.endpoint)
            self.prepare(env)
            rows = {}
            for phase in PHASES:
                edited = edit_tags(moto, n) if phase == "drift, 5 %" else ()
                rows[phase] = self.phase(phase, moto, env, problems, f"round{round_}", edited)
            check_emptied(moto, f"{self.name} destroy", problems)
            return rows
        finally:
            moto.stop()


class Tend(Tool):
    """tend's commands; a subclass says how the manifest's providers are set up (`header`, `environment`)."""
    name = "tend"

    def header(self):
        raise NotImplementedError

    def environment(self, endpoint):
        return aws_environment(endpoint)

    def prepare(self, env):
        with open(os.path.join(self.work, "main.yaml"), "w") as f:
            f.write(manifest(self.resources, self.header()))
        # Like `terraform init` (not timed): with a plugin, finds the binary, writes the lock file, hashes the binary
        # and caches its schema, so the timed steps run as every run after a user's first does.
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
        """The managed resources drift found changed or missing. Unmanaged objects (of the managed types, unknown to
        state: another tool's, beside tend on one moto) are left out, as Terraform's refresh-only plan does not look
        for them."""
        try:
            return {f["address"] for f in json.loads(stdout).get("findings", []) if f.get("kind") != "unmanaged"}
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


def find_mirrors(args):
    """(the mirror directories, the hashicorp/aws executable in one); exits with a clear message when none holds it."""
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

