"""Shared parts of the torture suite: running tend, moto_server on 127.0.0.1, state checks, counters."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

SIGNALS = {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM, "INT": signal.SIGINT, "HUP": signal.SIGHUP}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Failure(Exception):
    """A broken promise: the suite reports it and exits 1."""


class Tend:
    """The tend binary, run in one configuration directory."""

    def __init__(self, binary, directory, env=None):
        self.binary = os.path.abspath(binary)
        self.directory = directory
        self.env = dict(os.environ, NO_COLOR="1", **(env or {}))

    def run(self, *args, timeout=600, stdin=None, extra_env=None):
        env = dict(self.env, **(extra_env or {}))
        proc = subprocess.run([self.binary, *args], cwd=self.directory, env=env, input=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)
        return proc.returncode, proc.stdout, proc.stderr

    def start(self, *args, stdout=subprocess.DEVNULL):
        return subprocess.Popen([self.binary, *args], cwd=self.directory, env=self.env,
                                stdout=stdout, stderr=subprocess.PIPE, text=True)

    def kill_after(self, args, delay, sig):
        """Starts tend, sends `sig` after `delay` seconds (if it still runs), waits; (exit code, stderr, signalled)."""
        proc = self.start(*args)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.005)
        signalled = proc.poll() is None
        if signalled:
            proc.send_signal(sig)
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            raise Failure(f"tend {' '.join(args)} did not end within 120 s of SIG{sig.name[3:]}")
        return proc.returncode, err, signalled


class Moto:
    """moto_server on a free loopback port, stopped by `stop()`."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise Failure("moto_server did not start")

    def client(self, service):
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def read_state(path):
    """(integrity_check result, {address: (type, id, status)}, stack id, lock rows, last run outcome)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        resources = {row[0]: (row[1], row[2], row[3]) for row in
                     db.execute("SELECT address, type, id, status FROM resources")}
        columns = [row[1] for row in db.execute("PRAGMA table_info(meta)")]
        stack = db.execute("SELECT stack_id FROM meta").fetchone()[0] if "stack_id" in columns else None
        locks = db.execute("SELECT holder, pid FROM lock").fetchall()
        last = db.execute("SELECT kind, outcome FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        deposed = db.execute("SELECT COUNT(*) FROM deposed").fetchone()[0]
        return integrity, resources, stack, locks, last, deposed
    finally:
        db.close()


def temp_files(root):
    """tend's own temporary files (`.NAME.tend-<hex>`) anywhere under root."""
    found = []
    for folder, _, files in os.walk(root):
        found += [os.path.join(folder, f) for f in files if f.startswith(".") and ".tend-" in f]
    return found


def table(title, header, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(f"\n{title}")
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))
    sys.stdout.flush()
