#!/usr/bin/env python3
"""tend's plan JSON beside Terraform's, for one AWS workload planned against the same moto_server.

The workload is the benchmarks' (aws_tools.workload: N buckets with tags, N/10 VPCs with two subnets and a security
group each), written as tend YAML and as Terraform HCL. tend plans it with its built-in aws provider (`tend plan
--json`); Terraform 1.11 with hashicorp/aws from the machine's filesystem mirror (no network), `terraform plan -out`
then `terraform show -json`. Both against one moto_server on a free loopback port, stopped at the end.

Compared, and every difference printed (exit 1 when there is one):
- top-level keys: every key Terraform writes is in tend's plan (tend's own extra keys are listed, not faults);
- per resource, the keys of its `planned_values` entry and of its `resource_changes` entry and change: Terraform's
  are all in tend's;
- per resource, the actions;
- per resource, every attribute the workload declares: present in both planned values or in neither (unknown until
  apply), and equal where present (tags as maps; security group rules on the fields the workload declares).
Resources are matched by name (tend's addresses have no type prefix).

Usage: compare_plan_json.py --tend PATH [--terraform PATH] [--n 10] [--plugin-dirs DIRS]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_tools import Moto, aws_environment, cli_configuration, find_mirrors, manifest, terraform_configuration, workload  # noqa: E402

HEADER = ["stack: plan-json-compare", "providers:", "  aws: { region: us-east-1, endpoint: \"${env.AWS_ENDPOINT_URL}\" }"]


def run(cmd, cwd, env):
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd[:3])} failed (exit {result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def by_name(entries):
    return {entry["name"]: entry for entry in entries}


def rules(value, declared):
    """Security group rules reduced to the fields the workload declares, as a sorted list."""
    fields = sorted({key for rule in declared for key in rule})
    reduced = [{key: sorted(rule[key]) if isinstance(rule.get(key), list) else rule.get(key) for key in fields} for rule in value or []]
    return sorted(reduced, key=json.dumps)


def compare(tend, terraform, resources):
    problems = []
    missing = sorted(set(terraform) - set(tend))
    if missing:
        problems.append(f"top-level keys Terraform writes and tend does not: {missing}")
    print(f"top-level keys: Terraform {sorted(terraform)}")
    print(f"                tend's own besides: {sorted(set(tend) - set(terraform))}")

    tend_planned = by_name(tend["planned_values"]["root_module"]["resources"])
    tf_planned = by_name(terraform["planned_values"]["root_module"]["resources"])
    tend_changes = by_name(tend["resource_changes"])
    tf_changes = by_name(terraform["resource_changes"])
    for name, type_, properties in resources:
        for label, ours, theirs in (("planned_values", tend_planned, tf_planned), ("resource_changes", tend_changes, tf_changes)):
            if name not in ours or name not in theirs:
                problems.append(f"{name}: in {label} of {'tend' if name in ours else 'Terraform'} only")
                continue
            keys = set(theirs[name]) - set(ours[name])
            if keys:
                problems.append(f"{name}: {label} keys Terraform writes and tend does not: {sorted(keys)}")
            if label == "resource_changes":
                change_keys = set(theirs[name]["change"]) - set(ours[name]["change"])
                if change_keys:
                    problems.append(f"{name}: change keys Terraform writes and tend does not: {sorted(change_keys)}")
                if ours[name]["change"]["actions"] != theirs[name]["change"]["actions"]:
                    problems.append(f"{name}: actions {ours[name]['change']['actions']} (tend) != {theirs[name]['change']['actions']} (Terraform)")
        if name not in tend_planned or name not in tf_planned:
            continue
        ours, theirs = tend_planned[name]["values"], tf_planned[name]["values"]
        for key, declared in properties.items():
            if (key in ours) != (key in theirs):
                problems.append(f"{name}.{key}: known at plan in {'tend' if key in ours else 'Terraform'} only")
                continue
            if key not in ours:
                continue
            left, right = ours[key], theirs[key]
            if key in ("ingress", "egress"):
                left, right = rules(left, declared), rules(right, declared)
            if left != right:
                problems.append(f"{name}.{key}: tend plans {json.dumps(left)}, Terraform {json.dumps(right)}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tend", required=True)
    parser.add_argument("--terraform", default=shutil.which("terraform"))
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--plugin-dirs")
    args = parser.parse_args()
    args.tend = os.path.abspath(args.tend)
    if not args.terraform:
        sys.exit("terraform is not on PATH (pass --terraform)")
    mirrors, _ = find_mirrors(args)
    resources = workload(args.n, "compare")
    root = tempfile.mkdtemp(prefix="tend-plan-json-")
    moto = Moto()
    try:
        env = aws_environment(moto.endpoint)
        tend_dir, tf_dir = os.path.join(root, "tend"), os.path.join(root, "terraform")
        os.makedirs(tend_dir)
        os.makedirs(tf_dir)
        with open(os.path.join(tend_dir, "main.yaml"), "w") as f:
            f.write(manifest(resources, HEADER))
        tend = json.loads(run([args.tend, "plan", "--json", "--dir", tend_dir], tend_dir, env))

        tf_env = dict(env, TF_CLI_CONFIG_FILE=os.path.join(tf_dir, "cli.tfrc"))
        with open(os.path.join(tf_dir, "main.tf"), "w") as f:
            f.write(terraform_configuration(resources))
        with open(os.path.join(tf_dir, "cli.tfrc"), "w") as f:
            f.write(cli_configuration(mirrors))
        run([args.terraform, "init", "-input=false", "-no-color"], tf_dir, tf_env)
        run([args.terraform, "plan", "-input=false", "-no-color", "-out", "tf.plan"], tf_dir, tf_env)
        terraform = json.loads(run([args.terraform, "show", "-json", "tf.plan"], tf_dir, tf_env))
    finally:
        moto.stop()
        shutil.rmtree(root, ignore_errors=True)

    problems = compare(tend, terraform, resources)
    print(f"{len(resources)} resources compared")
    for problem in problems:
        print(f"DIFFERENCE: {problem}")
    if problems:
        sys.exit(1)
    print("tend's plan JSON carries every key Terraform's does, the same actions and the same declared values")


if __name__ == "__main__":
    main()
