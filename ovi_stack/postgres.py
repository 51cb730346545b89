"""A throwaway PostgreSQL server for tests and manual trials: ``with TemporaryPostgres() as pg: pg.url``.

It uses the server binaries of the distribution (Debian: ``apt-get install postgresql``, binaries in
``/usr/lib/postgresql/<version>/bin``; elsewhere ``initdb`` on PATH or ``OVI_POSTGRES_BIN``), never a system
cluster:

* ``initdb`` into a fresh temporary directory (UTF-8, ``C.UTF-8`` or ``C`` locale, trust authentication);
  as root the directory belongs to the ``postgres`` user and every server command runs as that user, because
  PostgreSQL refuses to run as root;
* the server listens on a free loopback port only (its Unix socket stays inside the directory) with the
  durability switched off (``fsync=off`` …): a test database is disposable;
* like a Finnish production server it runs in ``Europe/Helsinki`` time and the databases it creates sort
  text by Finnish ICU collation (PostgreSQL ≥ 15), so code that assumes UTC timestamps or byte-ordered
  ``ORDER BY`` fails here and not first in production;
* on exit ``pg_ctl stop -m fast`` and the directory is removed. If the owning process dies without exiting
  the context (SIGTERM, SIGKILL, a crash), a small watchdog process it started notices that its pipe has
  closed, stops the server and removes the directory.

``python -m ovi_stack.postgres`` starts one in the foreground and prints its URL (Ctrl-C stops it).
"""

from __future__ import annotations

import argparse
import atexit
import glob
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

DEBIAN_GLOB = "/usr/lib/postgresql/*/bin"
ENV_BIN = "OVI_POSTGRES_BIN"
SUPERUSER = "postgres"
DEFAULT_DATABASE = "ovi"
DEFAULT_TIMEZONE = "Europe/Helsinki"
DEFAULT_ICU_LOCALE = "fi-FI"
START_TIMEOUT = 60  # seconds for pg_ctl -w
PORT_ATTEMPTS = 5

# Speed over durability: the data lives as long as a test run.
SERVER_SETTINGS: dict[str, str] = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "checkpoint_timeout": "30min",
    "max_wal_size": "1GB",
    "shared_buffers": "32MB",
    "max_connections": "50",
    "autovacuum": "off",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",  # a test that expects an SQL error should not fill the log
}

MISSING_MESSAGE = (
    "PostgreSQL-palvelimen ohjelmia (initdb, pg_ctl) ei löytynyt. Asenna ne: sudo apt-get install postgresql "
    "(tai `make system-packages`), tai kerro hakemisto muuttujalla {env}. / PostgreSQL server binaries "
    "(initdb, pg_ctl) not found. Install them: sudo apt-get install postgresql (or `make system-packages`), "
    "or point {env} at their directory. Searched: {searched}."
)


class PostgresError(RuntimeError):
    """The temporary server could not be found, started or used (the message says why, fi / en)."""


# --- finding the binaries ---------------------------------------------------------------------------------


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)


def _usable(directory: Path) -> bool:
    return all(os.access(directory / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres"))


def find_bin_dir() -> Path:
    """The directory with ``initdb``, ``pg_ctl`` and ``postgres``: ``$OVI_POSTGRES_BIN``, else the newest
    Debian version under /usr/lib/postgresql, else the one of ``initdb`` on PATH."""
    explicit = os.environ.get(ENV_BIN, "").strip()
    if explicit:  # asked for: no silent fallback to another version
        if _usable(Path(explicit)):
            return Path(explicit)
        raise PostgresError(MISSING_MESSAGE.format(env=ENV_BIN, searched=f"{ENV_BIN}={explicit}"))
    searched: list[str] = []
    debian = sorted((Path(p) for p in glob.glob(DEBIAN_GLOB)), key=_version_key, reverse=True)
    for directory in debian:
        if _usable(directory):
            return directory
    searched.append(DEBIAN_GLOB)
    on_path = shutil.which("initdb")
    if on_path and _usable(Path(on_path).resolve().parent):
        return Path(on_path).resolve().parent
    searched.append("PATH")
    raise PostgresError(MISSING_MESSAGE.format(env=ENV_BIN, searched=", ".join(searched)))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- running as the server's user -------------------------------------------------------------------------


@dataclass(frozen=True)
class _RunAs:
    """Whom the server commands run as: ourselves, or the ``postgres`` user when we are root."""

    uid: int
    gid: int

    @classmethod
    def for_server(cls) -> _RunAs:
        if os.geteuid() != 0:
            return cls(os.geteuid(), os.getegid())
        import pwd

        try:
            entry = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresError(
                "Ajetaan pääkäyttäjänä (root), mutta käyttäjää postgres ei ole; PostgreSQL ei suostu "
                "toimimaan rootina. Asenna paketti postgresql (luo käyttäjän) tai aja tavallisena "
                "käyttäjänä. / Running as root without a 'postgres' user, and PostgreSQL refuses to run as "
                "root: install the postgresql package (it creates the user) or run as an ordinary user."
            ) from None
        return cls(entry.pw_uid, entry.pw_gid)

    @property
    def switches(self) -> bool:
        return self.uid != os.geteuid()

    def popen_kwargs(self) -> dict[str, Any]:
        return {"user": self.uid, "group": self.gid, "extra_groups": []} if self.switches else {}


def _server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_MESSAGES"] = "C"  # error texts we may show or match stay in English
    return env


# The watchdog: reads its stdin until EOF, which comes when the owning process has closed the pipe (after a
# normal stop) or died in any way; then stops a server still running and removes the directory.
_WATCHDOG = r"""
import os, shutil, signal, subprocess, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
pg_ctl, data, base, uid, gid = sys.argv[1:6]
sys.stdin.buffer.read()
if os.path.exists(os.path.join(data, "postmaster.pid")):
    kw = {"user": int(uid), "group": int(gid), "extra_groups": []} if int(uid) != os.geteuid() else {}
    subprocess.run([pg_ctl, "stop", "-D", data, "-m", "immediate", "-w", "-t", "30"], cwd=base,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kw)
shutil.rmtree(base, ignore_errors=True)
"""


# --- the server -------------------------------------------------------------------------------------------


class TemporaryPostgres:
    """A PostgreSQL server of its own in a temporary directory; a context manager.

    ``url`` is the SQLAlchemy URL (``postgresql+psycopg://postgres@127.0.0.1:PORT/ovi``) of a database created
    at start; :meth:`create_database` makes more (e.g. one per test), :meth:`drop_database` removes them.
    """

    def __init__(
        self,
        database: str = DEFAULT_DATABASE,
        *,
        port: int | None = None,
        bin_dir: Path | str | None = None,
        timezone: str | None = DEFAULT_TIMEZONE,
        icu_locale: str | None = DEFAULT_ICU_LOCALE,
        base_dir: Path | str | None = None,
    ) -> None:
        self.database = database
        self.requested_port = port
        self.bin_dir = Path(bin_dir) if bin_dir is not None else None
        self.timezone = timezone
        self.icu_locale = icu_locale
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.port: int | None = None
        self.base: Path | None = None
        self.server_version = 0
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._run_as: _RunAs | None = None
        self._names = itertools.count(1)

    # -- paths and commands --

    @property
    def data_dir(self) -> Path:
        assert self.base is not None, "not started"
        return self.base / "data"

    @property
    def log_file(self) -> Path:
        assert self.base is not None, "not started"
        return self.base / "server.log"

    def _tool(self, name: str) -> str:
        assert self.bin_dir is not None
        return str(self.bin_dir / name)

    def _run(self, args: Sequence[str], *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        assert self._run_as is not None and self.base is not None
        return subprocess.run(
            list(args),
            cwd=self.base,
            env=_server_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **self._run_as.popen_kwargs(),
        )

    # -- life cycle --

    @property
    def running(self) -> bool:
        return self.port is not None

    def start(self) -> str:
        """Create, start and return :attr:`url`; :class:`PostgresError` with the reason if it cannot."""
        if self.running:
            return self.url
        self.bin_dir = self.bin_dir or find_bin_dir()
        if not _usable(self.bin_dir):
            raise PostgresError(MISSING_MESSAGE.format(env=ENV_BIN, searched=str(self.bin_dir)))
        self._run_as = _RunAs.for_server()
        self.base = Path(tempfile.mkdtemp(prefix="ovi-postgres-", dir=self._temp_parent()))
        try:
            self._start_watchdog()
            if self._run_as.switches:
                os.chown(self.base, self._run_as.uid, self._run_as.gid)
            self._initdb()
            self._start_server()
            self.server_version = int(self._scalar("SHOW server_version_num"))
            self.create_database(self.database)
        except BaseException:
            self.stop()
            raise
        atexit.register(self.stop)
        return self.url

    def _temp_parent(self) -> str | None:
        if self.base_dir is not None:
            return str(self.base_dir)
        parent = tempfile.gettempdir()
        # As root the server's user must be able to reach the directory (root's own TMPDIR may be private).
        if os.geteuid() == 0 and not os.stat(parent).st_mode & 0o001:
            return "/tmp"
        return parent

    def _start_watchdog(self) -> None:
        assert self._run_as is not None and self.base is not None
        self._watchdog = subprocess.Popen(
            [
                sys.executable, "-c", _WATCHDOG, self._tool("pg_ctl"), str(self.data_dir), str(self.base),
                str(self._run_as.uid), str(self._run_as.gid),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not in our process group: Ctrl-C and group kills do not reach it
        )  # fmt: skip

    def _initdb(self) -> None:
        common = [self._tool("initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust"]
        common += ["-E", "UTF8", "--no-sync", "--no-instructions"]
        result = None
        for locale in ("C.UTF-8", "C"):  # C.UTF-8 is missing on some older systems
            result = self._run([*common, f"--locale={locale}"])
            if result.returncode == 0:
                break
            shutil.rmtree(self.data_dir, ignore_errors=True)
        assert result is not None
        if result.returncode != 0:
            raise PostgresError(f"initdb epäonnistui / failed:\n{result.stdout}{result.stderr}")
        settings = dict(SERVER_SETTINGS)
        settings["unix_socket_directories"] = f"'{self.base}'"
        if self.timezone:
            settings["timezone"] = f"'{self.timezone}'"
            settings["log_timezone"] = f"'{self.timezone}'"
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as out:
            out.write("\n# ovi_stack.postgres: a disposable test server\n")
            out.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def _start_server(self) -> None:
        attempts = 1 if self.requested_port else PORT_ATTEMPTS
        for _ in range(attempts):
            port = self.requested_port or free_port()
            result = self._run(
                [
                    self._tool("pg_ctl"), "start", "-w", "-t", str(START_TIMEOUT), "-D", str(self.data_dir),
                    "-l", str(self.log_file), "-o", f"-p {port}",
                ],
                timeout=START_TIMEOUT + 30,
            )  # fmt: skip
            if result.returncode == 0:
                self.port = port
                return
            log = self._log_tail()
            if "Address already in use" not in log:
                break
        raise PostgresError(
            f"PostgreSQL ei käynnistynyt / did not start ({self.data_dir}):\n"
            f"{result.stdout}{result.stderr}\n--- server.log ---\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server (``pg_ctl stop -m fast``) and remove its directory; safe to call twice."""
        try:
            if self.base is not None and (self.data_dir / "postmaster.pid").exists():
                pg_ctl_stop = [self._tool("pg_ctl"), "stop", "-D", str(self.data_dir), "-w", "-m"]
                if self._run([*pg_ctl_stop, "fast"]).returncode != 0:
                    self._run([*pg_ctl_stop, "immediate"])  # whatever holds on, do not leave it running
            if self.base is not None:
                shutil.rmtree(self.base, ignore_errors=True)
        finally:
            self.port = None
            self.base = None
            watchdog, self._watchdog = self._watchdog, None
            if watchdog is not None:
                assert watchdog.stdin is not None
                watchdog.stdin.close()
                try:
                    watchdog.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    watchdog.kill()
                    watchdog.wait()
            atexit.unregister(self.stop)

    def __enter__(self) -> TemporaryPostgres:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- databases --

    def url_for(self, database: str) -> str:
        """The SQLAlchemy URL of a database on this server."""
        if self.port is None:
            raise PostgresError("palvelin ei ole käynnissä / the server is not running")
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def _connect(self, database: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True,
            connect_timeout=10,
        )  # fmt: skip

    def _scalar(self, query: str) -> Any:
        with self._connect() as connection:
            row = connection.execute(query).fetchone()
        return row[0] if row else None

    def new_name(self, prefix: str = "test") -> str:
        """A database name not used before on this server."""
        return f"{prefix}_{next(self._names)}"

    def create_database(self, name: str | None = None, *, template: str | None = None) -> str:
        """Create a database and return its URL. Without ``template`` it is empty (from ``template0``, in
        :attr:`icu_locale` collation where the server supports it); with one it is a copy of that database,
        which must have no open connections (a migrated template makes a fresh migrated database fast)."""
        from psycopg import sql

        name = name or self.new_name()
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template or "template0")
        )
        if template is None and self.icu_locale and self.server_version >= 150000:
            statement += sql.SQL(" LOCALE_PROVIDER icu ICU_LOCALE {}").format(sql.Literal(self.icu_locale))
        with self._connect() as connection:
            connection.execute(statement)
        return self.url_for(name)

    def drop_database(self, name_or_url: str) -> None:
        """Drop a database (by name or URL), closing its remaining connections."""
        from psycopg import sql

        name = name_or_url.rsplit("/", 1)[-1].split("?", 1)[0]
        force = sql.SQL(" WITH (FORCE)") if self.server_version >= 130000 else sql.SQL("")
        with self._connect() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)) + force)


# --- command line -----------------------------------------------------------------------------------------


def _raise_interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ovi_stack.postgres",
        description="Käynnistää tilapäisen PostgreSQL-palvelimen etualalle ja tulostaa sen URL:n; Ctrl-C "
        "pysäyttää ja poistaa sen. / Starts a temporary PostgreSQL server in the foreground.",
    )
    parser.add_argument("--port", type=int, default=None, help="portti (oletus: vapaa portti)")
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help=f"tietokanta (oletus {DEFAULT_DATABASE})"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.monotonic()
    try:
        with TemporaryPostgres(args.database, port=args.port) as server:
            print(server.url, flush=True)
            seconds = time.monotonic() - started
            print(
                f"PostgreSQL {server.server_version // 10000} käynnissä ({seconds:.1f} s), "
                f"hakemisto {server.base}.\n"
                f"  DATABASE_URL={server.url} python -m directory_db init\n"
                "Ctrl-C pysäyttää palvelimen ja poistaa sen tiedot. / Ctrl-C stops it and deletes its data.",
                file=sys.stderr,
                flush=True,
            )
            while True:
                signal.pause()
    except KeyboardInterrupt:
        print("pysäytetty / stopped", file=sys.stderr)
        return 0
    except PostgresError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
