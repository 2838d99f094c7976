"""Throwaway PostgreSQL 15 clusters for the test suite.

Loaded as a pytest plugin (``-p tests.postgres_cluster`` in ``addopts``).

When ``TEST_DATABASE=postgresql`` is set, and ``DATABASE_URL`` does not
already point at PostgreSQL, the plugin

* creates a temporary directory owned by the ``postgres`` user,
* ``initdb``'s a cluster in it and starts it with ``pg_ctl`` on a free port,
  listening only on 127.0.0.1 (and on a unix socket inside the temporary
  directory),
* creates a login role and a database for the project, and
* sets ``os.environ["DATABASE_URL"]`` *before* pytest-django loads the Django
  settings (a hook wrapper around ``pytest_load_initial_conftests`` always
  runs ahead of every ordinary implementation of that hook, pytest-django's
  included).

The cluster is stopped and its directory removed when pytest finishes
(``config.add_cleanup``, which pytest also runs after Ctrl-C, failures and
errors during start-up; ``atexit`` is a last resort).

initdb and pg_ctl refuse to run as root, so when the suite runs as root
(as CI does) they are run as the ``postgres`` user through ``runuser``.
If PostgreSQL 15 is missing it is installed with apt (root only).

Reusable helper: :class:`PostgresCluster`, e.g. for fault-injection tests::

    from tests.postgres_cluster import PostgresCluster

    with PostgresCluster() as cluster:        # initdb + start
        cluster.create_database("faults")
        url = cluster.url_for("faults")
        cluster.stop()                         # or stop(mode="immediate")
        cluster.start()                        # same data, port and url

Fixtures (defined here, not in conftest): ``postgres_cluster`` gives a test
its own fresh cluster (function scope, always destroyed afterwards);
``session_postgres_cluster`` gives the cluster Django's test database lives
on (skips the test unless this plugin started one).
"""

from __future__ import annotations

import atexit
import os
import pwd
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

PG_MAJOR = "15"
PG_BINDIR = Path(os.environ.get("TEST_PG_BINDIR", f"/usr/lib/postgresql/{PG_MAJOR}/bin"))
PG_APT_PACKAGE = f"postgresql-{PG_MAJOR}"
SYSTEM_USER = "postgres"  # OS account that owns and runs clusters when we are root

DEFAULT_ROLE = "inspection_tracker"
DEFAULT_DATABASE = "inspection_tracker"

_SESSION_KEY = pytest.StashKey["PostgresCluster | None"]()

# The statement and response limits protect web requests; the suite's own queries (loading the shipped
# data, exports) run on a machine that may be busy, as manage.py commands do, so without them. The tests of
# the limits run gunicorn with explicit values (tests/security/test_production_server.py), and
# tests/security/conftest.py keeps this out of the subprocesses' environment. Set before Django reads its
# settings: this plugin is loaded with -p, ahead of pytest-django's set-up.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")


class PostgresClusterError(RuntimeError):
    pass


def _log(message: str) -> None:
    # Printed straight to the real stderr: capture is not active yet when the
    # session cluster starts, and these lines help when CI hangs or fails.
    print(f"[postgres_cluster] {message}", file=sys.__stderr__, flush=True)


def _is_root() -> bool:
    return os.geteuid() == 0


def _apt_install(*packages: str) -> None:
    """Install Debian packages with apt (root only; no prompts)."""
    if not _is_root():
        raise PostgresClusterError(
            f"{' '.join(packages)} is not installed and we are not root, so it cannot be "
            f"installed automatically. Install it with: sudo apt-get install -y {' '.join(packages)}"
        )
    if shutil.which("apt-get") is None:
        raise PostgresClusterError(f"{' '.join(packages)} is not installed and apt-get is not available.")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    for cmd in (
        ["apt-get", *lock, "update"],
        ["apt-get", *lock, "install", "-y", "--no-install-recommends", *packages],
    ):
        _log("running: " + shlex.join(cmd))
        result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if result.returncode != 0:
            raise PostgresClusterError(
                f"{shlex.join(cmd)} failed with exit code {result.returncode}:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )


def ensure_postgres_installed(bindir: Path = PG_BINDIR) -> Path:
    """Return the PostgreSQL bin directory, installing PostgreSQL 15 with apt if needed."""
    if not (bindir / "initdb").exists() or not (bindir / "pg_ctl").exists():
        _log(f"PostgreSQL {PG_MAJOR} not found in {bindir}; installing {PG_APT_PACKAGE} with apt")
        _apt_install(PG_APT_PACKAGE)
        if not (bindir / "initdb").exists():
            raise PostgresClusterError(f"{PG_APT_PACKAGE} was installed but {bindir}/initdb is still missing.")
    return bindir


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A private PostgreSQL cluster in a temporary directory.

    ``start()`` runs initdb on first use, then starts the server; ``stop()``
    stops it but keeps the data, so ``start()`` again brings back the same
    cluster on the same port. ``destroy()`` stops it and deletes everything.
    Usable as a context manager (start on enter, destroy on exit).
    """

    def __init__(self, bindir: Path | str | None = None, *, port: int | None = None, superuser: str = "postgres"):
        self.bindir = Path(bindir) if bindir else PG_BINDIR
        self.host = "127.0.0.1"
        self.port = port
        self.superuser = superuser
        self.base_dir: Path | None = None
        self.data_dir: Path | None = None
        self.socket_dir: Path | None = None
        self.log_file: Path | None = None
        self.url: str | None = None  # set by setup_project_database()
        self.superuser_password: str | None = None  # set by init()
        self._initialised = False
        self._os_user = SYSTEM_USER if _is_root() else None  # None: run as the current user

    # -- command helpers ---------------------------------------------------

    def _command(self, program: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / program), *args]
        if self._os_user:
            cmd = ["runuser", "-u", self._os_user, "--", *cmd]
        return cmd

    def _run(self, program: str, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = self._command(program, *args)
        result = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.base_dir or "/",
            # A parent DATABASE_URL/PG* environment must not leak into the tools.
            env={k: v for k, v in os.environ.items() if not k.startswith("PG")} | {"LC_ALL": "C.UTF-8"},
        )
        if check and result.returncode != 0:
            log_tail = ""
            if self.log_file and self.log_file.exists():
                log_tail = "\n--- server log (tail) ---\n" + self.log_file.read_text(errors="replace")[-4000:]
            raise PostgresClusterError(
                f"{shlex.join(cmd)} failed with exit code {result.returncode}:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}{log_tail}"
            )
        return result

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the cluster's superuser over the private unix socket."""
        result = self._run(
            "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At",
            "-h", str(self.socket_dir), "-p", str(self.port), "-U", self.superuser, "-d", database,
            "-c", sql,
        )  # fmt: skip
        return result.stdout.strip()

    # -- lifecycle -----------------------------------------------------------

    def _make_dirs(self) -> None:
        # As root, stay out of $TMPDIR: it may be somewhere the postgres user cannot reach.
        parent = "/tmp" if self._os_user and os.path.isdir("/tmp") else None
        self.base_dir = Path(tempfile.mkdtemp(prefix="pgtest-", dir=parent))
        self.data_dir = self.base_dir / "data"
        self.socket_dir = self.base_dir  # short path: unix socket paths are limited to ~107 bytes
        self.log_file = self.base_dir / "server.log"
        self._chown(self.base_dir)
        os.chmod(self.base_dir, 0o700)

    def _chown(self, path: Path) -> None:
        if self._os_user:
            entry = pwd.getpwnam(self._os_user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def init(self) -> None:
        """Create the cluster (initdb). Called by start() when needed."""
        if self._initialised:
            return
        ensure_postgres_installed(self.bindir)
        if self._os_user:
            try:
                pwd.getpwnam(self._os_user)
            except KeyError:
                raise PostgresClusterError(f"OS user {self._os_user!r} does not exist (needed to run initdb as root).")
        self._make_dirs()
        # Unix socket (inside our private 0700 directory): trust. TCP: password.
        self.superuser_password = secrets.token_hex(16)
        pwfile = self.base_dir / "superuser.pw"
        pwfile.write_text(self.superuser_password + "\n")
        self._chown(pwfile)
        os.chmod(pwfile, 0o600)
        try:
            self._run(
                "initdb", "-D", str(self.data_dir), "-U", self.superuser, f"--pwfile={pwfile}",
                "--auth-local=trust", "--auth-host=scram-sha-256",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
            )  # fmt: skip
        finally:
            pwfile.unlink(missing_ok=True)
        if self.port is None:
            self.port = free_port(self.host)
        self._write_settings()
        self._initialised = True

    def _write_settings(self) -> None:
        settings = {
            "listen_addresses": f"'{self.host}'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "max_connections": "50",
            # Throwaway data: durability off, speed on.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "logging_collector": "off",
            "timezone": "'UTC'",
        }
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# Added by tests/postgres_cluster.py\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def _set_port(self, port: int) -> None:
        self.port = port
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"port = {port}\n")

    @property
    def running(self) -> bool:
        if not self._initialised:
            return False
        return self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False).returncode == 0

    def start(self, timeout: int = 60) -> PostgresCluster:
        """initdb (first time only) and start the server; waits until it accepts connections."""
        self.init()
        attempts = 5
        for attempt in range(1, attempts + 1):
            result = self._run(
                "pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", str(timeout),
                check=False, timeout=timeout + 30,
            )  # fmt: skip
            if result.returncode == 0:
                return self
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            port_taken = "could not bind" in log or "Address already in use" in log
            if port_taken and attempt < attempts:
                # Someone grabbed the port between free_port() and start: pick another.
                self._set_port(free_port(self.host))
                time.sleep(0.2)
                continue
            raise PostgresClusterError(
                f"pg_ctl start failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}\n"
                f"--- server log (tail) ---\n{log[-4000:]}"
            )
        raise AssertionError("unreachable")

    def stop(self, mode: str = "fast", timeout: int = 60) -> None:
        """Stop the server, keeping the data. mode: "smart", "fast" or "immediate" (crash-like)."""
        if not self._initialised or not (self.data_dir / "postmaster.pid").exists():
            return
        self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", mode, "-w", "-t", str(timeout), timeout=timeout + 30)

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode=mode)
        self.start()

    def destroy(self) -> None:
        """Stop the server (if running) and remove the whole directory. Safe to call twice."""
        try:
            if self._initialised and self.data_dir and (self.data_dir / "postmaster.pid").exists():
                try:
                    self.stop(mode="fast", timeout=30)
                except Exception:
                    self.stop(mode="immediate", timeout=30)
        finally:
            if self.base_dir is not None:
                shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
            self._initialised = False

    def __enter__(self) -> PostgresCluster:
        try:
            return self.start()
        except BaseException:
            self.destroy()
            raise

    def __exit__(self, *exc_info) -> None:
        self.destroy()

    # -- roles, databases, urls ------------------------------------------------

    def create_role(self, name: str, password: str, *, createdb: bool = True, superuser: bool = False) -> None:
        attrs = ["LOGIN", "CREATEDB" if createdb else "NOCREATEDB", "SUPERUSER" if superuser else "NOSUPERUSER"]
        self.psql(f"CREATE ROLE \"{name}\" {' '.join(attrs)} PASSWORD '{password}'")

    def create_database(self, name: str, owner: str | None = None) -> None:
        owner_sql = f' OWNER "{owner}"' if owner else ""
        self.psql(f'CREATE DATABASE "{name}"{owner_sql}')

    def url_for(self, database: str, user: str | None = None, password: str | None = None) -> str:
        """A DATABASE_URL (TCP on 127.0.0.1) for dj-database-url; defaults to the superuser."""
        if user is None:
            user, password = self.superuser, self.superuser_password
        auth = f"{user}:{password}@" if password else f"{user}@"
        return f"postgres://{auth}{self.host}:{self.port}/{database}"

    def setup_project_database(self, role: str = DEFAULT_ROLE, database: str = DEFAULT_DATABASE) -> str:
        """Create a login role (with CREATEDB, for Django's test database) and its database; return its URL."""
        password = secrets.token_hex(16)
        self.create_role(role, password, createdb=True)
        self.create_database(database, owner=role)
        self.url = self.url_for(database, role, password)
        return self.url

    def __repr__(self) -> str:
        return f"<PostgresCluster {self.host}:{self.port} dir={self.base_dir}>"


# ---------------------------------------------------------------------------
# pytest plugin
# ---------------------------------------------------------------------------


def _wants_postgres() -> bool:
    if os.environ.get("TEST_DATABASE", "").strip().lower() not in {"postgresql", "postgres", "pg"}:
        return False
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # xdist workers inherit DATABASE_URL from the controller; never start another cluster.
        return False
    current = os.environ.get("DATABASE_URL", "")
    if current.split(":", 1)[0] in {"postgres", "postgresql", "pgsql", "postgis"}:
        return False  # already pointed at a PostgreSQL server (e.g. a CI service)
    return True


def _django_settings_already_loaded() -> bool:
    conf = sys.modules.get("django.conf")
    return bool(conf and conf.settings.configured)


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]):
    # A hook wrapper runs before all non-wrapper implementations of this hook,
    # including pytest-django's, which is where Django's settings are loaded.
    early_config.stash[_SESSION_KEY] = None
    if _wants_postgres() and not ("--help" in args or "-h" in args or "--version" in args or "-V" in args):
        if _django_settings_already_loaded():
            raise pytest.UsageError(
                "tests.postgres_cluster: Django settings were loaded before the PostgreSQL test "
                "cluster could set DATABASE_URL."
            )
        started = time.monotonic()
        cluster = PostgresCluster()
        previous_url = os.environ.get("DATABASE_URL")

        def cleanup() -> None:
            if previous_url is None:
                os.environ.pop("DATABASE_URL", None)
            else:
                os.environ["DATABASE_URL"] = previous_url
            if cluster.base_dir is not None:
                _log(f"stopping cluster on port {cluster.port} and removing {cluster.base_dir}")
                cluster.destroy()

        # Registered before starting, so a failure half-way still cleans up.
        early_config.add_cleanup(cleanup)
        atexit.register(cluster.destroy)
        try:
            cluster.start()
            url = cluster.setup_project_database()
        except PostgresClusterError as exc:
            raise pytest.UsageError(f"Could not start the PostgreSQL test cluster:\n{exc}") from exc
        os.environ["DATABASE_URL"] = url
        early_config.stash[_SESSION_KEY] = cluster
        _log(
            f"PostgreSQL {PG_MAJOR} test cluster up on {cluster.host}:{cluster.port} "
            f"({cluster.base_dir}) in {time.monotonic() - started:.1f}s"
        )
    return (yield)


def pytest_report_header(config: pytest.Config) -> list[str]:
    cluster = config.stash.get(_SESSION_KEY, None)
    if cluster is not None:
        return [f"postgresql: throwaway cluster {cluster.host}:{cluster.port} in {cluster.base_dir}"]
    if os.environ.get("TEST_DATABASE"):
        return [f"TEST_DATABASE={os.environ['TEST_DATABASE']} (using DATABASE_URL from the environment)"]
    return []


def get_session_cluster(config: pytest.Config) -> PostgresCluster | None:
    """The cluster this plugin started for the session, or None."""
    return config.stash.get(_SESSION_KEY, None)


@pytest.fixture(scope="session")
def session_postgres_cluster(pytestconfig: pytest.Config) -> PostgresCluster:
    """The cluster holding Django's test database (skips unless this plugin started one).

    Stopping it breaks the current connection: use ``transactional_db`` and
    ``django.db.connection.close()`` after restarting it.
    """
    cluster = get_session_cluster(pytestconfig)
    if cluster is None:
        pytest.skip("needs TEST_DATABASE=postgresql (a throwaway cluster started by tests.postgres_cluster)")
    yield cluster
    if not cluster.running:  # leave it usable for the rest of the session
        cluster.start()


@pytest.fixture
def postgres_cluster() -> PostgresCluster:
    """A fresh private cluster for this test only (about 1-2 s); destroyed afterwards."""
    try:
        ensure_postgres_installed()
    except PostgresClusterError as exc:
        pytest.fail(str(exc), pytrace=False)
    with PostgresCluster() as cluster:
        yield cluster
