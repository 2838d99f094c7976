"""Peak memory of `manage.py restore` on tampered backups, beside restoring a small valid one.

Run from the project folder:  .venv/bin/python bench/restore_memory.py [--bomb-mb 600] [--empty-objects-mb 30]
In a temporary folder: a SQLite database is migrated and given the shipped councils and one editor, backed
up, and each tampered backup below is built from that backup (or from nothing). Each restore runs in its own
process (`restore FILE --replace --with-users`, the most it can be asked to let in, but for the added
superuser: `--with-users` would let it in, listed); the table gives its
exit code, how many lines it printed to standard error, its first line, and its peak resident memory (the
process's own, from wait4), beside the floor: the same command restoring the valid backup, in the same run.
The target is under 200 MB for any input, every tampered backup refused (non-zero exit) with one line: the
closing line says whether this run held it. Exits non-zero if the valid backup does not restore or a
tampered one does. This is a benchmark, not a test.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TARGET_MB = 200
SUPERUSER = "superuser.json"
HEADER = '{"format": "inspection-tracker-backup", "objects": ['


def manage(*args, env, check=True):
    result = subprocess.run(
        [sys.executable, str(PROJECT / "manage.py"), *args],
        cwd=PROJECT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
    )  # fmt: skip
    if check and result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result


def measured_restore(path, env, *options):
    """(exit code, lines on standard error, first of them, peak resident MB) of one restore process."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, str(PROJECT / "manage.py"), "restore", str(path), "--replace", *options],
            cwd=PROJECT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
        )  # fmt: skip
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        lines = errors.read().decode(errors="replace").splitlines()
    return process.returncode, len(lines), (lines[0] if lines else ""), usage.ru_maxrss / 1024


def edited(valid, path, change):
    document = json.loads(valid.read_text())
    change(document["objects"])
    path.write_text(json.dumps(document))
    return path


def first(objects, model):
    return next(row for row in objects if row["model"] == model)


def written(path, parts):
    """Write the text pieces to path (gzipped when it ends in .gz) without holding them whole."""
    with gzip.open(path, "wt", compresslevel=9) if path.suffix == ".gz" else open(path, "w") as output:
        for part in parts:
            output.write(part)
    return path


def repeated(text, megabytes):
    chunk = text * (2**20 // len(text))
    for _ in range(megabytes):
        yield chunk


def tampered_backups(valid, folder, bomb_mb, empty_objects_mb):
    superuser = {
        "model": "auth.user",
        "pk": 999,
        "fields": {"username": "intruder", "password": "pbkdf2_sha256$1$salt$known", "is_superuser": True, "is_staff": True},
    }
    session = {"model": "sessions.session", "pk": "x" * 32, "fields": {"session_data": "e30", "expire_date": "2099-01-01T00:00:00Z"}}
    return {
        "added superuser, known password": edited(valid, folder / SUPERUSER, lambda objects: objects.append(superuser)),
        "a sessions.session row": edited(valid, folder / "session.json", lambda objects: objects.append(session)),
        "a JSON object as a council's name": edited(
            valid, folder / "object-name.json", lambda objects: first(objects, "councils.council")["fields"].update(name={"$gt": ""})
        ),
        "a repeated primary key": edited(
            valid, folder / "repeated-key.json", lambda objects: objects.append(dict(first(objects, "councils.council")))
        ),
        "deep nesting (1 MB of [)": written(folder / "deep.json", [HEADER, "[" * 2**20]),
        f"gzip bomb ({bomb_mb} MB of spaces)": written(folder / "bomb.json.gz", [HEADER, *repeated(" ", bomb_mb), "]}"]),
        f"gzip bomb ({bomb_mb} MB in one name)": written(
            folder / "bomb-row.json.gz",
            [HEADER, '{"model": "councils.council", "pk": 1, "fields": {"name": "', *repeated("x", bomb_mb), '"}}]}'],
        ),
        "a row of 1 MB of empty lists": written(
            folder / "wide-row.json", [HEADER, '{"model": "auth.group", "pk": 1, "fields": {"permissions": [', "[], " * (2**18 - 1), "[]]}}]}"]
        ),
        f"{empty_objects_mb} MB of {{}}": written(folder / "empty-objects.json", [HEADER, *repeated("{}, ", empty_objects_mb), "{}]}"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=600, help="decompressed size of the gzip bombs")
    parser.add_argument("--empty-objects-mb", type=int, default=30, help="size of the backup of empty objects")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="restore-memory-") as folder:
        folder = Path(folder)
        inherited = {"DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE"}
        env = {key: value for key, value in os.environ.items() if key not in inherited}
        env.update(DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}", PYTHONPATH=str(PROJECT))
        manage("migrate", "--noinput", env=env)
        manage("import_councils", "fixtures/data/reference/local_authorities.csv", env=env)
        manage(
            "createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org",
            env={**env, "DJANGO_SUPERUSER_PASSWORD": "bench-only"},
        )  # fmt: skip
        valid = folder / "valid.json"
        manage("backup", str(valid), env=env)

        code, _lines, first_line, floor = measured_restore(valid, env, "--with-users")
        if code:
            sys.exit(f"the valid backup did not restore: {first_line}")
        print(f"restore peak resident memory, MB (floor: the valid backup, {valid.stat().st_size / 1024:.0f} KB)\n")
        print("| backup | file KB | exit | stderr lines | peak MB | / floor | first line |")
        print("|---|---:|---:|---:|---:|---:|---|")
        print(f"| valid (floor) | {valid.stat().st_size / 1024:,.0f} | 0 | 0 | {floor:.0f} | 1.00 | |")
        held, restored = True, []
        for name, path in tampered_backups(valid, folder, arguments.bomb_mb, arguments.empty_objects_mb).items():
            options = [] if path.name == SUPERUSER else ["--with-users"]
            code, lines, first_line, peak = measured_restore(path, env, *options)
            message = first_line.replace(str(folder), "…").replace("|", "\\|")
            print(f"| {name} | {path.stat().st_size / 1024:,.0f} | {code} | {lines} | {peak:.0f} | {peak / floor:.2f} | {message[:120]} |")
            held = held and code != 0 and lines == 1 and peak < TARGET_MB
            if code == 0:
                restored.append(name)
        verdict = "held" if held else "NOT held"
        print(f"\ntarget: every tampered backup refused with one line, each under {TARGET_MB} MB: {verdict}")
        if restored:
            sys.exit(f"restored, not refused: {', '.join(restored)}")


if __name__ == "__main__":
    main()
