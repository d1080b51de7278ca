"""Secrets: canary values -- a sensitive attribute, a value derived from it, a sensitive variable, an env. value
and the AWS secret key -- searched for in everything tend writes outside the state database."""
import http.server
import os
import re
import stat
import subprocess
import threading
import time

from common import Tend

CANARIES = {
    "sensitive attribute": "CANARY-ATTR-7f3a91",
    "sensitive variable": "CANARY-VAR-52c8e0",
    "env value": "CANARY-ENV-d41b77",
    "aws secret key": "CANARY-AWS-0e9f3c",
    "drifted secret": "CANARY-DRIFT-a6b2d4",
}
# Not secret: must be found, which shows the scan reads what tend printed.
CONTROL = "CONTROL-PLAIN-3b9d"


def manifest():
    return f"""stack: canary
variables:
  token: {{ sensitive: true }}
providers:
  aws: {{ region: us-east-1, endpoint: "${{env.AWS_ENDPOINT_URL}}", access_key: testing, secret_key: "${{env.CANARY_AWS_SECRET}}" }}
resources:
  secret:
    type: local_file
    properties: {{ path: out/secret.txt, sensitive_content: "{CANARIES['sensitive attribute']}" }}
  derived:
    type: local_file
    properties: {{ path: out/derived.txt, content: "prefix ${{secret.sensitive_content}} suffix" }}
  fromvar:
    type: local_file
    properties: {{ path: out/var.txt, content: "token=${{var.token}}" }}
  fromenv:
    type: local_file
    properties: {{ path: out/env.txt, sensitive_content: "${{env.CANARY_ENV}}" }}
  plain:
    type: local_file
    properties: {{ path: out/plain.txt, content: "{CONTROL}" }}
  bucket:
    type: aws_s3_bucket
    properties: {{ bucket: canary-bucket, tags: {{ owner: "${{var.token}}" }} }}
"""


class Hooks(http.server.BaseHTTPRequestHandler):
    bodies = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        Hooks.bodies.append(self.rfile.read(length).decode(errors="replace"))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def run(binary, moto, work, log):
    """(places scanned, leaks found [(canary, where)], state file mode ok)."""
    with open(os.path.join(work, "tend.yaml"), "w") as f:
        f.write(manifest())
    env = {"AWS_ENDPOINT_URL": moto.endpoint, "CANARY_AWS_SECRET": CANARIES["aws secret key"],
           "CANARY_ENV": CANARIES["env value"], "TEND_WEBHOOK_SECRET": "hook-signing-key"}
    tend = Tend(binary, work, env=env)
    var = ["--var", f"token={CANARIES['sensitive variable']}"]
    captured = []  # (where, text)

    def record(name, *args, code_ok=(0, 1, 2)):
        for verbose in ([], ["--verbose"]):
            code, out, err = tend.run(*args, *verbose)
            captured.append((f"{name}{' --verbose' if verbose else ''} stdout", out))
            captured.append((f"{name}{' --verbose' if verbose else ''} stderr", err))
            if code not in code_ok:
                log(f"  canary: {name} exited {code}: {err.strip()[-300:]}")

    record("validate", "validate", *var)
    record("plan", "plan", *var)
    record("plan --json", "plan", "--json", *var)
    record("plan -out", "plan", "-out", "saved.plan", *var)
    record("apply saved plan", "apply", "--auto-approve", "saved.plan", code_ok=(0, 1))
    record("apply", "apply", "--auto-approve", *var)
    record("state list", "state", "list", *var)
    for address in ["secret", "derived", "fromvar", "fromenv", "plain", "bucket"]:
        record(f"state show {address}", "state", "show", address, *var)
    record("history", "history", *var)
    record("audit", "audit", *var)
    # Drift: the secret and the derived file changed behind tend's back, to another secret.
    with open(os.path.join(work, "out", "secret.txt"), "w") as f:
        f.write(CANARIES["drifted secret"])
    with open(os.path.join(work, "out", "derived.txt"), "w") as f:
        f.write(f"prefix {CANARIES['drifted secret']} suffix")
    record("drift", "drift", "detect", *var)
    record("drift --json", "drift", "detect", "--json", *var)
    record("drift history", "drift", "history", *var)
    record("plan with drift", "plan", *var)
    os.makedirs(os.path.join(work, "reports"), exist_ok=True)
    for fmt in ["json", "markdown", "html", "csv", "junit", "sarif"]:
        record(f"report {fmt}", "report", "--format", fmt, *var)
        tend.run("report", "--format", fmt, "--output", os.path.join("reports", f"report.{fmt}"), *var)
    # A failing apply: an error message must not carry the secret either.
    # (A directory where the derived file belongs: the write fails whoever runs it, root included.)
    derived = os.path.join(work, "out", "derived.txt")
    os.remove(derived)
    os.mkdir(derived)
    record("apply failing", "apply", "--auto-approve", *var)
    os.rmdir(derived)
    record("apply", "apply", "--auto-approve", *var)
    # Webhooks from watch.
    server = http.server.HTTPServer(("127.0.0.1", 0), Hooks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # New findings for watch to send: a file with a sensitive value gone, another changed to a secret.
    os.remove(os.path.join(work, "out", "env.txt"))
    with open(os.path.join(work, "out", "var.txt"), "w") as f:
        f.write("token=" + CANARIES["drifted secret"])
    proc = subprocess.Popen([tend.binary, "watch", "--interval", "1s", "--listen", "127.0.0.1:0", "--verbose",
                             "--webhook", f"http://127.0.0.1:{server.server_address[1]}/hook", *var],
                            cwd=work, env=tend.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Hooks.bodies:
        time.sleep(0.2)
    proc.terminate()
    out, err = proc.communicate(timeout=60)
    server.shutdown()
    captured += [("watch stdout", out), ("watch stderr", err)]
    captured += [(f"webhook body {i + 1}", body) for i, body in enumerate(Hooks.bodies)]
    if not Hooks.bodies:
        log("  canary: watch sent no webhook within 60 s: " + (out + err)[-1500:])
    record("destroy", "destroy", "--auto-approve", *var)
    # Every file tend wrote outside the state database and the managed files themselves.
    state_dir = os.path.join(work, ".tend")
    for folder, _, files in os.walk(work):
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, work)
            if relative == "tend.yaml" or relative.startswith("out" + os.sep):
                continue
            if folder == state_dir and re.fullmatch(r"state\.db(-wal|-shm|-journal)?", name):
                continue
            with open(path, "rb") as f:
                captured.append((f"file {relative}", f.read().decode(errors="replace")))
    controls = len([where for where, text in captured if CONTROL in text])
    leaks = [(label, where) for where, text in captured for label, canary in CANARIES.items() if canary in text]
    if controls == 0:
        leaks.append(("control value never seen: the scan reads nothing", "everywhere"))
    mode = stat.S_IMODE(os.stat(os.path.join(state_dir, "state.db")).st_mode)
    return len(captured), leaks, mode == 0o600, len(Hooks.bodies)
