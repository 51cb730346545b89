"""Start Ovi's three processes (web app, action server, Rasa server), wait for them, stop them together.

``make run`` calls ``python -m ovi_stack.run`` (application environment); the end-to-end tests use
``Stack`` directly with free ports and a temporary database. Ctrl-C (SIGINT) or SIGTERM stops everything.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ovi_stack import paths
from ovi_stack.conversations import ConversationSettings
from ovi_stack.model_cache import current_model_path, rasa_env
from ovi_web.settings import SETTINGS as WEB_SETTINGS


def free_port() -> int:
    """A loopback port nobody listens on right now (for tests and benchmarks beside a running Ovi)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Ports:
    web: int = int(os.environ.get("OVI_WEB_PORT", "8080"))
    rasa: int = int(os.environ.get("OVI_RASA_PORT", "5005"))
    actions: int = int(os.environ.get("OVI_ACTIONS_PORT", "5055"))

    @classmethod
    def free(cls) -> Ports:
        return cls(web=free_port(), rasa=free_port(), actions=free_port())


ONE_MATH_THREAD = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1",
}
"""One thread per process for the numeric libraries (numpy's BLAS, spaCy's, TensorFlow's pools). Each of
them otherwise starts a pool as large as the machine in every process, and on 2 cores shared by two Rasa
workers, the action server and the web app those pools wait for each other: measured with 20 residents and
no pauses, 2 workers gave 4.1 turns/s with the pools and 16.5 turns/s without (1 worker: 8.8). The
variables already set in the environment win."""


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    database_url: str | None = None
    model: Path | None = None
    log_dir: Path | None = None
    """Where each process writes its output; None: inherit the terminal."""
    rasa_token: str = field(default_factory=lambda: os.environ.get("OVI_RASA_TOKEN") or secrets.token_hex(16))
    tracker_store_url: str | None = None
    """Where Rasa keeps conversations; None: ``OVI_TRACKER_STORE_URL`` or its default
    (``ovi_stack.conversations``)."""
    retention_days: float | None = None
    """None: ``OVI_CONVERSATION_RETENTION_DAYS`` or its default (30)."""
    rasa_workers: int | None = None
    """None: ``OVI_RASA_WORKERS`` or its default (2)."""
    allowed_origins: tuple[str, ...] | None = None
    """Web origins allowed to embed the widget; None: ``OVI_ALLOWED_ORIGINS`` or its default (the web
    app's own origin). The same list goes to Rasa's ``--cors`` and to the web app."""
    rasa_debug: bool = False
    """Rasa logs at debug level (it then logs every message and tracker: the privacy tests read them)."""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _commands: dict[str, list[str]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)
    _endpoints: Path | None = None

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.web}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}"

    def _env(self) -> dict[str, str]:
        env = rasa_env()
        for name, value in ONE_MATH_THREAD.items():
            env.setdefault(name, value)
        env.update(OVI_WEB_PORT=str(self.ports.web), OVI_RASA_PORT=str(self.ports.rasa),
                   OVI_ACTIONS_PORT=str(self.ports.actions),
                   OVI_RASA_URL=f"http://localhost:{self.ports.rasa}")
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env["OVI_ALLOWED_ORIGINS"] = ",".join(self.origins(env))
        if self.tracker_store_url:
            env["OVI_TRACKER_STORE_URL"] = self.tracker_store_url
        if self.retention_days is not None:
            env["OVI_CONVERSATION_RETENTION_DAYS"] = str(self.retention_days)
        if self.rasa_workers is not None:
            env["OVI_RASA_WORKERS"] = str(self.rasa_workers)
        # Rasa reads its worker count from SANIC_WORKERS; Ovi's setting is OVI_RASA_WORKERS
        env["SANIC_WORKERS"] = str(ConversationSettings.from_env(env).rasa_workers)
        return env

    def origins(self, env: dict[str, str] | None = None) -> tuple[str, ...]:
        """The allowed origins, read (and checked) once by the web app's own setting."""
        setting = WEB_SETTINGS["allowed_origins"]
        if self.allowed_origins is not None:
            return tuple(setting.parse(setting.env, ",".join(self.allowed_origins)))
        return tuple(setting.read(env if env is not None else self._env()))

    def _spawn(self, name: str, cmd: list[str]) -> None:
        out = None
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = (self.log_dir / f"{name}.log").open("ab")  # a restart appends
            self._logs.append(out)
        self._commands[name] = cmd
        # Own process group: a stop reaches the children Rasa and Sanic start.
        self.processes[name] = subprocess.Popen(cmd, cwd=paths.ROOT, env=self._env(), stdout=out,
                                                stderr=subprocess.STDOUT if out else None,
                                                start_new_session=True)

    def _endpoints_file(self) -> Path:
        """Rasa does not expand environment variables in the action endpoint URL: write it per start, with
        the tracker store (``ovi_stack.conversations``: SQL, scrubbing, retention)."""
        run_dir = paths.ROOT / "var" / "run"
        run_dir.mkdir(parents=True, exist_ok=True)
        endpoints = run_dir / f"endpoints-{self.ports.rasa}.yml"
        conversations = ConversationSettings.from_env(self._env())
        endpoints.write_text(f'action_endpoint:\n  url: "{self.actions_url}/webhook"\n'
                             + conversations.endpoints_yaml(), encoding="utf-8")
        endpoints.chmod(0o600)  # a PostgreSQL URL may carry a password
        self._endpoints = endpoints
        return endpoints

    def start(self, timeout: float = 300.0, only: tuple[str, ...] = ("actions", "web", "rasa")) -> None:
        """Start the processes (``only`` some of them, e.g. Rasa alone to test what works without the
        action server) and wait until they answer."""
        model = self.model or current_model_path()
        if not model.exists():
            raise FileNotFoundError(f"Rasa-mallia ei löydy: {model}. Aja ensin `make model`.")
        app = str(paths.APP_PYTHON)
        if "actions" in only:
            self._spawn("actions", [app, "-m", "rasa_sdk", "--actions", "actions",
                                    "--port", str(self.ports.actions)])
        if "web" in only:
            self._spawn("web", [app, "-m", "ovi_web"])
        if "rasa" in only:
            self._spawn("rasa", [str(paths.RASA_BIN), "run", "--model", str(model),
                                 "--port", str(self.ports.rasa), "--enable-api",
                                 "--auth-token", self.rasa_token,
                                 # The widget's origins only, never "*": a foreign page must not be
                                 # able to talk to the chat server in a resident's browser.
                                 "--cors", *self.origins(),
                                 "--endpoints", str(self._endpoints_file()),
                                 "--credentials", str(paths.CREDENTIALS),
                                 *(["--debug"] if self.rasa_debug else [])])
        self.wait_ready(timeout)

    def restart(self, name: str = "rasa", timeout: float = 300.0) -> None:
        """Stop one process (SIGTERM, as a deployment would) and start it again with the same command;
        return when everything answers again."""
        proc = self.processes[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self._spawn(name, self._commands[name])
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        checks = {
            "actions": f"{self.actions_url}/health",
            "web": f"{self.web_url}/healthz",
            "rasa": f"{self.rasa_url}/status?token={self.rasa_token}",
        }
        deadline = time.monotonic() + timeout
        pending = {name: url for name, url in checks.items() if name in self.processes}
        while pending:
            for name, url in list(pending.items()):
                proc = self.processes[name]
                if proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{name} pysähtyi käynnistyessä (koodi {proc.returncode})")
                if _answers(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"eivät vastanneet {timeout:.0f} s:ssa: {', '.join(pending)}")
            time.sleep(0.5)

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()
        if self._endpoints is not None:
            self._endpoints.unlink(missing_ok=True)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the stack the same way as Ctrl-C


def main() -> int:
    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background start inherits it ignored
        signal.signal(signum, _interrupt)
    stack = Stack()
    started = time.monotonic()
    print("Käynnistetään Ovi: verkkosovellus, toimintopalvelin ja Rasa …", flush=True)
    try:
        stack.start()
        print(f"\nOvi on käynnissä ({time.monotonic() - started:.0f} s):\n"
              f"  chat-widget    {stack.web_url}/\n"
              f"  HSDS-rajapinta {stack.web_url}/api/hsds/services\n"
              f"  Rasa           {stack.rasa_url}/webhooks/rest/webhook\n"
              f"Pysäytä: Ctrl-C", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        print("Jokin prosesseista pysähtyi; pysäytetään kaikki.", file=sys.stderr)
        return 1
    except (RuntimeError, TimeoutError, FileNotFoundError) as exc:
        print(f"Käynnistys epäonnistui: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM, also in the middle of starting
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
