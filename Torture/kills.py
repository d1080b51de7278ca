"""Kill anywhere: signals at random moments of apply, a content-changing apply and destroy; the next plain
`tend apply` must converge with no manual step, and nothing may be lost, duplicated, orphaned or left behind."""
import os
import random
import time

from common import SIGNALS, Failure, Tend, read_state, temp_files


class LocalWorkload:
    """D directories of F files each, under one root directory; files refer to their directory, their directory
    to the root."""

    def __init__(self, work, dirs, files):
        self.work, self.dirs, self.files = work, dirs, files
        self.out = os.path.join(work, "out")
        keys = ", ".join(f"f{j}" for j in range(files))
        lines = ["stack: torture-local", "variables:", "  gen: { default: \"0\" }", "resources:",
                 "  root:", "    type: local_directory", "    properties: { path: out }"]
        for i in range(dirs):
            lines += [f"  d{i}:", "    type: local_directory", f"    properties: {{ path: \"${{root.path}}/d{i}\" }}",
                      f"  files{i}:", "    type: local_file", f"    for_each: [{keys}]", "    properties:",
                      f"      path: \"${{d{i}.path}}/${{each.value}}.txt\"",
                      f"      content: \"gen ${{var.gen}} d{i} ${{each.value}}\\n\""]
        with open(os.path.join(work, "tend.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self.count = 1 + dirs * (files + 1)

    def env(self):
        return {}

    def check(self, tend, gen, present=True):
        """(lost, duplicated, orphaned) objects on disk against the declaration."""
        lost = duplicated = orphaned = 0
        if not present:
            return 0, 0, (1 if os.path.exists(self.out) else 0)
        for i in range(self.dirs):
            folder = os.path.join(self.out, f"d{i}")
            want = {f"f{j}.txt": f"gen {gen} d{i} f{j}\n" for j in range(self.files)}
            names = [n for n in os.listdir(folder) if ".tend-" not in n] if os.path.isdir(folder) else []
            for name, content in want.items():
                path = os.path.join(folder, name)
                if name not in names:
                    lost += 1
                else:
                    with open(path) as f:
                        if f.read() != content:
                            lost += 1
            orphaned += len([n for n in names if n not in want])
        extra_dirs = [n for n in os.listdir(self.out) if n not in {f"d{i}" for i in range(self.dirs)}] if os.path.isdir(self.out) else []
        orphaned += len([n for n in extra_dirs if ".tend-" not in n])
        return lost, duplicated, orphaned


class AWSWorkload:
    """V VPCs with two subnets and a security group each, and B buckets, on moto_server."""

    def __init__(self, work, moto, vpcs, buckets, name="torture-aws", endpoint=None, provider_extra=""):
        self.work, self.moto, self.vpcs, self.buckets, self.name = work, moto, vpcs, buckets, name
        self.endpoint = endpoint or moto.endpoint
        lines = [f"stack: {name}", "variables:", "  gen: { default: \"0\" }", "providers:",
                 f"  aws: {{ region: us-east-1, endpoint: \"${{env.AWS_ENDPOINT_URL}}\"{provider_extra} }}", "resources:"]
        for b in range(buckets):
            lines += [f"  b{b}:", "    type: aws_s3_bucket",
                      f"    properties: {{ bucket: {name}-b{b}, tags: {{ gen: \"${{var.gen}}\" }} }}"]
        for v in range(vpcs):
            lines += [f"  vpc{v}:", "    type: aws_vpc",
                      f"    properties: {{ cidr_block: 10.{v}.0.0/16, tags: {{ Name: vpc{v}, gen: \"${{var.gen}}\" }} }}"]
            for s in range(2):
                lines += [f"  vpc{v}_s{s}:", "    type: aws_subnet",
                          f"    properties: {{ vpc_id: \"${{vpc{v}.id}}\", cidr_block: 10.{v}.{s}.0/24 }}"]
            lines += [f"  vpc{v}_sg:", "    type: aws_security_group", "    properties:", f"      name: sg{v}",
                      f"      vpc_id: \"${{vpc{v}.id}}\"", "      ingress:",
                      "        - { protocol: tcp, from_port: 443, to_port: 443, cidr_blocks: [0.0.0.0/0] }",
                      "        - { protocol: tcp, from_port: 22, to_port: 22, cidr_blocks: [10.0.0.0/8, 192.168.0.0/16] }"]
        with open(os.path.join(work, "tend.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self.count = buckets + vpcs * 4

    def env(self):
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

    def cloud(self, stack):
        """{type: {tend:address: [ids]}} of every object tagged with this stack, and the buckets by name."""
        ec2 = self.moto.client("ec2")
        tagged = {"aws_vpc": {}, "aws_subnet": {}, "aws_security_group": {}}
        stack_filter = [{"Name": "tag:tend:stack", "Values": [stack]}]
        for kind, items, key in [("aws_vpc", ec2.describe_vpcs(Filters=stack_filter)["Vpcs"], "VpcId"),
                                 ("aws_subnet", ec2.describe_subnets(Filters=stack_filter)["Subnets"], "SubnetId"),
                                 ("aws_security_group", ec2.describe_security_groups(Filters=stack_filter)["SecurityGroups"], "GroupId")]:
            for item in items:
                tags = {t["Key"]: t["Value"] for t in item.get("Tags", [])}
                tagged[kind].setdefault(tags.get("tend:address", "?"), []).append(item[key])
        s3 = self.moto.client("s3")
        tagged["aws_s3_bucket"] = {}
        for bucket in s3.list_buckets().get("Buckets", []):
            if bucket["Name"].startswith(self.name + "-"):
                tagged["aws_s3_bucket"].setdefault(bucket["Name"], []).append(bucket["Name"])
        return tagged

    def check(self, tend, gen, present=True):
        integrity, resources, stack, *_ = read_state(os.path.join(self.work, ".tend", "state.db"))
        cloud = self.cloud(stack)
        lost = duplicated = orphaned = 0
        for kind, objects in cloud.items():
            recorded = {addr: rid for addr, (rtype, rid, status) in resources.items() if rtype == kind}
            for key, ids in objects.items():
                if len(ids) > 1:
                    duplicated += len(ids) - 1
                if kind == "aws_s3_bucket":
                    if key not in recorded.values():
                        orphaned += 1
                elif not any(i in recorded.values() for i in ids) or recorded.get(key) not in ids:
                    orphaned += 1
            if present:
                found = {i for ids in objects.values() for i in ids}
                lost += len([rid for rid in recorded.values() if rid not in found])
        if present and len(resources) != self.count:
            lost += abs(self.count - len(resources))
        return lost, duplicated, orphaned


def converge(tend, workload, gen, counters, label):
    """The next plain apply; then every promise is checked. Returns True when all held."""
    code, _, err = tend.run("apply", "--auto-approve", "--var", f"gen={gen}")
    if code != 0:
        counters["stuck"] += 1
        print(f"  stuck after {label}: apply exited {code}: {err.strip()[-600:]}")
        return False
    code, _, err = tend.run("plan", "--detailed-exitcode", "--var", f"gen={gen}")
    integrity, resources, _, locks, _, deposed = read_state(os.path.join(tend.directory, ".tend", "state.db"))
    problems = []
    if code != 0:
        problems.append(f"plan after apply exited {code} {err.strip()[-300:]}")
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if locks:
        problems.append(f"lock left after a finished apply: {locks}")
    if deposed:
        problems.append(f"{deposed} deposed objects left")
    pending = [a for a, (_, _, status) in resources.items() if status != "created"]
    if pending:
        problems.append(f"{len(pending)} resources not created: {pending[:3]}")
    lost, duplicated, orphaned = workload.check(tend, gen)
    counters["lost"] += lost
    counters["duplicated"] += duplicated
    counters["orphaned"] += orphaned
    leftovers = temp_files(tend.directory)
    counters["temp files"] += len(leftovers)
    if lost or duplicated or orphaned or leftovers:
        problems.append(f"lost {lost}, duplicated {duplicated}, orphaned {orphaned}, temp files {leftovers[:3]}")
    if problems:
        counters["broken"] += 1
        print(f"  after {label}: " + "; ".join(problems))
        return False
    counters["recovered"] += 1
    return True


def campaign(tend, workload, schedule, seed, log):
    """Runs the kills of `schedule` (signal names) in a random order of operations; rows per signal."""
    rng = random.Random(seed)
    rows = {}
    # Calibrate: how long each operation takes here, so kills land anywhere within it.
    took = {}
    for op, args in [("apply", ["apply", "--auto-approve", "--var", "gen=0"]),
                     ("change", ["apply", "--auto-approve", "--var", "gen=1"]),
                     ("destroy", ["destroy", "--auto-approve", "--var", "gen=1"])]:
        start = time.monotonic()
        code, _, err = tend.run(*args)
        took[op] = time.monotonic() - start
        if code != 0:
            raise Failure(f"calibration {op} exited {code}: {err[-500:]}")
    log(f"  calibrated: apply {took['apply']:.1f} s, changing apply {took['change']:.1f} s, destroy {took['destroy']:.1f} s")
    present, gen = False, 1
    for n, name in enumerate(schedule):
        counters = rows.setdefault(name, {"kills": 0, "signalled": 0, "recovered": 0, "lost": 0, "duplicated": 0,
                                          "orphaned": 0, "stuck": 0, "broken": 0, "temp files": 0, "lock left": 0,
                                          "outcome missing": 0})
        if not present:
            op, args, next_gen = "apply", ["apply", "--auto-approve", "--var", f"gen={gen}"], gen
        elif rng.random() < 0.5:
            op, args, next_gen = "change", ["apply", "--auto-approve", "--var", f"gen={gen + 1}"], gen + 1
        else:
            op, args, next_gen = "destroy", ["destroy", "--auto-approve", "--var", f"gen={gen}"], gen
        # A kill that lands after the run ended proves nothing: try again (the run it missed did its work).
        # Runs get quicker than the calibration (a warm server, fewer changes): a miss teaches how long this one took.
        for _ in range(6):
            delay = rng.uniform(0.0, took[op] * 0.95)
            start = time.monotonic()
            code, err, signalled = tend.kill_after(args, delay, SIGNALS[name])
            if signalled:
                break
            took[op] = min(took[op], time.monotonic() - start)
        counters["kills"] += 1
        counters["signalled"] += 1 if signalled else 0
        state = os.path.join(tend.directory, ".tend", "state.db")
        if signalled and name != "KILL" and os.path.exists(state):
            _, _, _, locks, last, _ = read_state(state)
            if locks:
                counters["lock left"] += 1
                log(f"  SIG{name} during {op} at {delay:.2f} s left the lock held (exit {code})")
            if last is not None and last[1] is None:
                counters["outcome missing"] += 1
                log(f"  SIG{name} during {op} at {delay:.2f} s left run '{last[0]}' without an outcome (exit {code})")
        gen = next_gen
        converge(tend, workload, gen, counters, f"SIG{name} during {op} at {delay:.2f} s (kill {n + 1})")
        present = True
    # Finally, a destroy with nothing in the way leaves nothing behind.
    code, _, err = tend.run("destroy", "--auto-approve", "--var", f"gen={gen}")
    lost, duplicated, orphaned = workload.check(tend, gen, present=False)
    final = {"destroy exit": code, "orphaned after destroy": orphaned, "temp files": len(temp_files(tend.directory))}
    return rows, final
