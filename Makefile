# tend: `make run` sets up and runs the quickstart; `make test` sets up and runs every test.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/release/tend
# The release binary carries the Swift runtime and Foundation inside it: it runs on a machine without Swift, starts
# without relocating a dozen shared libraries, and its resident memory is a few MiB smaller. Every Swift function gets
# a section of its own (`-function-sections`), so the link's function order (Linker/tend.order) can move each one:
# see docs/performance.md.
RELEASE := $(SWIFT) build -c release --product tend --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections
QUICKSTART := examples/quickstart

.PHONY: deps build run test bench bench-peers torture clean

# Debian packages a new machine lacks: C headers for SQLite, libcrypto (also for the benchmark's C floor), libcurl and
# libpq (the PostgreSQL state); the PostgreSQL server the tests start themselves; GNU time for `make bench`.
deps:
	@missing=""; for p in libsqlite3-dev libssl-dev libcurl4-openssl-dev libpq-dev postgresql pkg-config time; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; \
	fi
	@# moto_server (a real AWS-compatible server on 127.0.0.1) and jsonschema for the tests.
	@python3 -c "import moto.server, flask_cors, jsonschema" 2>/dev/null && command -v moto_server >/dev/null || \
	  python3 -m pip install -q "moto[server]" jsonschema
	@# The Terraform provider written in Python that the plugin-protocol tests run (grpcio, msgpack).
	@python3 -c "import grpc, grpc_health, msgpack, google.protobuf" 2>/dev/null || \
	  python3 -m pip install -q -r fixtures/plugin-provider/requirements.txt
	@# checkov, a policy scanner that reads Terraform plan JSON, which a test runs on tend's plan: in a virtual
	@# environment of its own, since its pinned dependencies would replace the versions moto runs with.
	@test -x .build/tools/checkov/bin/checkov || { python3 -m venv .build/tools/checkov && \
	  .build/tools/checkov/bin/pip install -q checkov; }

build: deps
	$(RELEASE)

# Validate, plan (exit 2: changes), apply, plan again (exit 0: nothing to do).
run: build
	@set -e; cd $(QUICKSTART); tend=../../$(BIN); \
	echo "== tend validate"; $$tend validate; \
	echo "== tend plan --detailed-exitcode"; set +e; $$tend plan --detailed-exitcode; rc=$$?; set -e; \
	echo "(exit code $$rc)"; if [ $$rc -ne 2 ] && [ $$rc -ne 0 ]; then exit 1; fi; \
	echo "== tend apply --auto-approve"; $$tend apply --auto-approve; \
	echo "== tend plan --detailed-exitcode"; $$tend plan --detailed-exitcode; echo "(exit code 0: nothing to do)"; \
	echo; echo "Files are in $(QUICKSTART)/out; state is in $(QUICKSTART)/.tend/state.db."; \
	echo "Try: cd $(QUICKSTART) && ../../$(BIN) destroy --auto-approve"

# The plugin tests run the hashicorp/aws Terraform provider from a filesystem mirror found on this machine.
test: deps
	$(SWIFT) build --build-tests
	TEND_TEST_PLUGIN_DIRS="$${TEND_TEST_PLUGIN_DIRS:-$$(scripts/terraform-mirrors.sh)}" $(SWIFT) test --skip-build

bench: deps
	$(RELEASE)
	@status=0; \
	python3 Benchmarks/local_bench.py --tend $(BIN) || status=1; \
	python3 Benchmarks/report_bench.py --tend $(BIN) || status=1; \
	python3 Benchmarks/aws_bench.py --tend $(BIN) || status=1; \
	python3 Benchmarks/plugin_bench.py --tend $(BIN) || status=1; \
	python3 Benchmarks/runner_bench.py --tend $(BIN) || status=1; \
	exit $$status

# tend beside Terraform 1.11 + hashicorp/aws (from a filesystem mirror on this machine, no network) on one moto_server,
# N=100 and 500: time, peak memory and requests per phase, and the targets at N=500 (many minutes: Terraform is slow).
bench-peers: deps
	$(RELEASE)
	python3 Benchmarks/peers_bench.py --tend $(BIN)

# The reliability suite's full run (minutes): kills, faults, damaged state, secrets, fuzzing; one table per part.
# A shortened run of the same parts is inside `make test`.
torture: deps
	$(RELEASE)
	$(SWIFT) build --build-tests
	python3 Torture/torture.py --tend $(BIN)

clean:
	rm -rf .build $(QUICKSTART)/out $(QUICKSTART)/.tend
