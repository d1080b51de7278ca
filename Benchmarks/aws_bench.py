#!/usr/bin/env python3
"""Benchmark the aws provider against moto_server on 127.0.0.1.

Workload for N: N buckets with tags plus N/10 VPCs, each with two subnets and a
security group with rules (1.4 N resources). Steps: first plan, apply, no-op
plan, drift plan after editing 5 % of the buckets' tags, destroy -- wall time,
peak memory and HTTP requests sent (tend --verbose); the read-only steps and the floor are the median of
three runs each, since moto's own speed wanders. In the same run, the floor:
the same per-object reads (one request per managed object) issued with plain
curl at the same concurrency (16) against the same moto, run alternately with
the no-op plans and again with the drift plans; each plan is compared with the
floor measured beside it. Targets: no-op plan and drift plan at the largest N
no slower than the floor, and sending at most 0.1 requests per managed resource
(a refresh reads what the manifest declares: no versioning request for buckets
that do not declare it); peak memory under 100 MiB. Exit 1 when missed.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import boto3

import measure


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, cwd, env, expect=(0,)):
    elapsed, peak, err = measure.run(cmd, cwd, env=env, expect=expect)
    match = re.search(r"HTTP requests sent: (\d+)", err)
    return elapsed, peak, int(match.group(1)) if match else 0


def resource_count(n):
    """Managed resources for N: N buckets, N/10 VPCs with two subnets and a security group each."""
    return n + (n // 10) * 4


REQUESTS_PER_RESOURCE = 0.1


def manifest(n):
    lines = ["stack: aws-bench", "providers:", "  aws: { region: us-east-1, endpoint: \"${env.AWS_ENDPOINT_URL}\" }", "resources:"]
    for i in range(n):
        lines += [f"  b{i}:", "    type: aws_s3_bucket",
                  f"    properties: {{ bucket: bench-{i}, tags: {{ team: bench, index: \"{i}\" }} }}"]
    for v in range(n // 10):
        lines += [f"  vpc{v}:", "    type: aws_vpc", f"    properties: {{ cidr_block: 10.{v % 250}.0.0/16, tags: {{ Name: vpc{v} }} }}"]
        for s in range(2):
            lines += [f"  vpc{v}_s{s}:", "    type: aws_subnet",
                      f"    properties: {{ vpc_id: \"${{vpc{v}.id}}\", cidr_block: 10.{v % 250}.{s}.0/24, tags: {{ Name: s{s} }} }}"]
        lines += [f"  vpc{v}_sg:", "    type: aws_security_group", "    properties:", f"      name: sg{v}",
                  f"      vpc_id: ${{vpc{v}.id}}", "      ingress:",
                  "        - { protocol: tcp, from_port: 443, to_port: 443, cidr_blocks: [0.0.0.0/0] }",
                  "        - { protocol: tcp, from_port: 22, to_port: 22, cidr_blocks: [10.0.0.0/8] }"]
    return "\n".join(lines) + "\n"


def floor(endpoint, work, n):
    """One plain curl request per managed object, 16 at a time: the reads a naive refresh would make."""
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    urls = [f"{endpoint}/bench-{i}?tagging" for i in range(n)]
    for vpc in ec2.describe_vpcs()["Vpcs"]:
        urls.append(f"{endpoint}/?Action=DescribeVpcs&Version=2016-11-15&VpcId.1={vpc['VpcId']}")
    for subnet in ec2.describe_subnets()["Subnets"]:
        urls.append(f"{endpoint}/?Action=DescribeSubnets&Version=2016-11-15&SubnetId.1={subnet['SubnetId']}")
    for group in ec2.describe_security_groups()["SecurityGroups"]:
        if group["GroupName"].startswith("sg"):
            urls.append(f"{endpoint}/?Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1={group['GroupId']}")
    config = os.path.join(work, "curl.txt")
    with open(config, "w") as f:
        for url in urls:
            f.write(f'url = "{url}"\noutput = "/dev/null"\n')
    header = "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0"
    start = time.perf_counter()
    subprocess.run(["curl", "-s", "--parallel", "--parallel-max", "16", "-H", header, "-K", config], check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, len(urls)


def bench(tend, n):
    port = free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix=f"tend-aws-bench-{n}-")
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_REGION="us-east-1", NO_COLOR="1")
        with open(os.path.join(work, "main.yaml"), "w") as f:
            f.write(manifest(n))
        rows = {}
        rows["first plan"] = run([tend, "plan", "--detailed-exitcode", "--verbose"], work, env, expect=(2,))
        rows["apply"] = run([tend, "apply", "--auto-approve", "--parallelism", "16", "--verbose"], work, env)
        # The no-op plan and the floor alternate, three times each, against the same moto in the same state.
        plans, floors = [], []
        for _ in range(3):
            floors.append(floor(endpoint, work, n))
            plans.append(run([tend, "plan", "--detailed-exitcode", "--verbose"], work, env, expect=(0,)))
        rows["no-op plan"] = measure.summary(plans)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
        for i in range(0, n, 20):  # 5 % of the buckets
            s3.put_bucket_tagging(Bucket=f"bench-{i}", Tagging={"TagSet": [{"Key": "team", "Value": "edited"},
                                                                          {"Key": "index", "Value": str(i)}]})
        # The drift plan alternates with the floor too: each is compared with the floor measured beside it.
        drift_plans, drift_floors = [], []
        for _ in range(3):
            drift_floors.append(floor(endpoint, work, n))
            drift_plans.append(run([tend, "plan", "--detailed-exitcode", "--verbose"], work, env, expect=(2,)))
        rows["drift plan, 5 %"] = measure.summary(drift_plans)
        rows["tend drift, 5 %"] = run([tend, "drift", "--detailed-exitcode", "--verbose"], work, env, expect=(2,))
        floor_time, floor_requests = sorted(floors)[1]
        beside = {"no-op plan": floor_time, "drift plan, 5 %": sorted(drift_floors)[1][0]}
        rows["destroy"] = run([tend, "destroy", "--auto-approve", "--parallelism", "16", "--verbose"], work, env)
        return rows, (floor_time, floor_requests), beside
    finally:
        moto.terminate()
        moto.wait()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tend", required=True)
    parser.add_argument("--sizes", default="100,500")
    args = parser.parse_args()
    tend = os.path.abspath(args.tend)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {n: bench(tend, n) for n in sizes}
    print()
    print("aws provider on moto_server (1.4 N resources)")
    print(f"{'step':<18}" + "".join(f"{f'N={n} time':>13}{'peak':>11}{'requests':>10}" for n in sizes))
    for step in results[sizes[0]][0]:
        print(f"{step:<18}" + "".join(
            f"{results[n][0][step][0]:>12.2f}s{results[n][0][step][1]:>7.1f} MiB{results[n][0][step][2]:>10}" for n in sizes))
    print(f"{'floor (curl reads)':<18}" + "".join(
        f"{results[n][1][0]:>12.2f}s{'':>11}{results[n][1][1]:>10}" for n in sizes))
    big = max(sizes)
    rows, _, beside = results[big]
    failures = []
    print()
    print("requests per managed resource")
    reads = ["no-op plan", "drift plan, 5 %", "tend drift, 5 %"]
    print(f"{'step':<18}" + "".join(f"{f'N={n} ({resource_count(n)})':>18}" for n in sizes))
    for step in reads:
        print(f"{step:<18}" + "".join(f"{results[n][0][step][2] / resource_count(n):>18.3f}" for n in sizes))
    for step in reads[:2]:
        ratio = rows[step][2] / resource_count(big)
        print(f"{step} at N={big}: {rows[step][2]} requests for {resource_count(big)} resources, {ratio:.3f} per resource "
              f"(target: at most {REQUESTS_PER_RESOURCE})")
        if ratio > REQUESTS_PER_RESOURCE:
            failures.append(f"{step} sends more than {REQUESTS_PER_RESOURCE} requests per resource")
    for step in ["no-op plan", "drift plan, 5 %"]:
        print(f"{step} at N={big}: {rows[step][0]:.2f} s vs floor {beside[step]:.2f} s measured beside it (target: no slower)")
        if rows[step][0] > beside[step]:
            failures.append(f"{step} slower than the floor")
    peak = max(m for n in sizes for _, m, _ in results[n][0].values())
    print(f"peak memory: {peak:.1f} MiB (target < 100 MiB)")
    if peak >= 100:
        failures.append("peak memory 100 MiB or more")
    measure.verdict(failures)


if __name__ == "__main__":
    main()
