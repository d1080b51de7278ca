"""State integrity: damaged, odd and foreign state files are refused by every command and left untouched.

Damage in the history (an index page of it overwritten) is refused by the commands that use the history (apply and
destroy, which add to it); the others never read it and run as usual."""
import hashlib
import os
import shutil
import sqlite3
import stat

from common import Tend

COMMANDS = [["plan"], ["apply", "--auto-approve"], ["drift", "detect"], ["state", "list"], ["audit"], ["destroy", "--auto-approve"]]


def fingerprint(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), stat.S_IMODE(os.stat(path).st_mode)


def damage(kind, state, good):
    """Turns `state` into a damaged file of `kind`, from the good copy."""
    shutil.copyfile(good, state)
    os.chmod(state, 0o600)
    if kind == "zero bytes":
        open(state, "w").close()
    elif kind == "truncated":
        with open(state, "r+b") as f:
            f.truncate(os.path.getsize(good) // 2 + 100)
    elif kind == "foreign text":
        with open(state, "w") as f:
            f.write("this is not a database\n" * 200)
    elif kind == "foreign sqlite":
        os.remove(state)
        db = sqlite3.connect(state)
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("INSERT INTO notes (body) VALUES ('hello')")
        db.commit()
        db.close()
    elif kind == "read-only":
        os.chmod(state, 0o400)
    elif kind in ("index page overwritten", "history index page overwritten"):
        db = sqlite3.connect(good)
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        index = "history_by_address" if kind.startswith("history") else "sqlite_autoindex_resources_1"
        try:
            pages = [row[0] for row in db.execute("SELECT pageno FROM dbstat WHERE name = ?", (index,))]
        except sqlite3.OperationalError:
            pages = []
        db.close()
        page = pages[len(pages) // 2] if pages else max(2, os.path.getsize(good) // page_size // 2)
        with open(state, "r+b") as f:
            f.seek((page - 1) * page_size)
            f.write(os.urandom(4096))
    else:
        raise ValueError(kind)


KINDS = ["zero bytes", "truncated", "foreign text", "foreign sqlite", "read-only", "index page overwritten",
         "history index page overwritten"]
# The commands that add to the history, and so check it before they do anything.
USES_HISTORY = (["apply", "--auto-approve"], ["destroy", "--auto-approve"])


def run(binary, work, files, log):
    """Rows: (kind, commands refused with exit 1, commands run, files left untouched, managed files untouched)."""
    with open(os.path.join(work, "tend.yaml"), "w") as f:
        f.write("stack: integrity\nresources:\n  root:\n    type: local_directory\n    properties: { path: out }\n"
                f"  files:\n    type: local_file\n    for_each: [{', '.join(f'f{i}' for i in range(files))}]\n"
                "    properties: { path: \"${root.path}/${each.value}.txt\", content: \"v1 ${each.value}\\n\" }\n")
    tend = Tend(binary, work)
    code, _, err = tend.run("apply", "--auto-approve")
    if code != 0:
        raise RuntimeError(f"integrity setup apply failed: {err}")
    # Change the configuration, so a command that wrongly went ahead would change the managed files.
    with open(os.path.join(work, "tend.yaml")) as f:
        text = f.read()
    with open(os.path.join(work, "tend.yaml"), "w") as f:
        f.write(text.replace("v1 ", "v2 "))
    state = os.path.join(work, ".tend", "state.db")
    good = os.path.join(work, "good.db")
    db = sqlite3.connect(state)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shutil.copyfile(state, good)
    for side in ("-wal", "-shm"):
        if os.path.exists(state + side):
            os.remove(state + side)
    managed = {name: fingerprint(os.path.join(work, "out", name)) for name in os.listdir(os.path.join(work, "out"))}
    rows = []
    for kind in KINDS:
        refused = untouched = 0
        for command in COMMANDS:
            damage(kind, state, good)
            before = fingerprint(state)
            code, out, err = tend.run(*command)
            # A read-only state file may be read by commands that only read; anything that would write refuses.
            reads_only = command in (["plan"], ["state", "list"], ["audit"])
            # Damage in the history stops only what uses it; the rest runs, and drift records what it found.
            runs = kind.startswith("history") and command not in USES_HISTORY
            if runs:
                promised = code in (0, 2)
            else:
                promised = code == 1 and err.strip() or (kind == "read-only" and reads_only and code in (0, 2))
            if promised:
                refused += 1
            else:
                log(f"  integrity: {kind}: tend {' '.join(command)} exited {code}: {(err or out).strip()[-200:]}")
            side_files = [s for s in ("-wal", "-shm", "-journal") if os.path.exists(state + s)]
            writes = runs and command[0] == "drift"
            if (fingerprint(state) == before or writes) and not (side_files and kind != "read-only" and not runs):
                untouched += 1
            else:
                log(f"  integrity: {kind}: tend {' '.join(command)} changed the state file or left {side_files}")
            for side in side_files:
                os.remove(state + side)
        out_dir = os.path.join(work, "out")
        now = {name: fingerprint(os.path.join(out_dir, name)) for name in os.listdir(out_dir)} if os.path.isdir(out_dir) else {}
        rows.append((kind, refused, len(COMMANDS), untouched, now == managed))
        os.chmod(state, 0o600)
    return rows
