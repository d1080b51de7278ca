#!/bin/sh
# Prints, colon-separated, the filesystem mirrors on this machine that hold the hashicorp/aws Terraform provider
# (the directory above registry.terraform.io), for the tests and benchmarks that run it. Prints nothing when there
# is none. Looks the way `find / -name 'terraform-provider-aws*'` would, skipping build folders.
find / -xdev -maxdepth 8 \( -path /proc -o -path /sys -o -path '*/.build*' -o -path '*/.git' \) -prune -o \
  -type f -name 'terraform-provider-aws_v*' -path '*/registry.terraform.io/hashicorp/aws/*' -print 2>/dev/null |
  sed 's#/registry.terraform.io/hashicorp/aws/.*##' | sort -u | paste -sd: -
