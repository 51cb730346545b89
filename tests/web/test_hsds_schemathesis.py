"""schemathesis against the live HSDS API: ``schemathesis run`` (its CLI, as a developer would run it) over
the app serving the demo directory on a real loopback port, driven by the app's own OpenAPI document
(``/api/hsds/openapi.json``).

Every operation, every phase (the schema's examples, coverage of boundary and invalid values, fuzzing of
valid and invalid data, stateful sequences along the document's links, so full records are fetched by real
ids), a bounded number of examples, deterministic generation. Checks: no server error, status codes and
content types as documented, and every response body as documented (the paging envelope and error object,
and the HSDS 3.0 compiled schemas the document refers to under ``/api/hsds/schema/``).

About 15–20 s on two cores. To run the same by hand against ``make run``:
``.venv/bin/schemathesis run http://127.0.0.1:8080/api/hsds/openapi.json --url
http://127.0.0.1:8080/api/hsds`` with the options below.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from ovi_web.app import init_app
from ovi_web.hsds_api import OPERATIONS
from ovi_web.settings import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MAX_EXAMPLES = 25
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


@pytest.fixture(scope="module")
def live_api(demo_db_url: str) -> Iterator[str]:
    """The web app serving the demo directory on 127.0.0.1 (a free port), in a thread with its own loop."""
    settings = Settings.from_env({"DATABASE_URL": demo_db_url, "OVI_RASA_URL": "http://rasa.test:5005"})
    runner = web.AppRunner(init_app(settings), access_log=None)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.SockSite(runner, sock).start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="live-hsds-api", daemon=True)
    thread.start()
    assert ready.wait(30), "the app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.run_until_complete(runner.cleanup())
        loop.close()
        sock.close()


def test_schemathesis_run_finds_nothing(live_api: str, tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "schemathesis.cli", "run",
        f"{live_api}/api/hsds/openapi.json",
        "--url", f"{live_api}/api/hsds",
        "--checks", ",".join(CHECKS),
        "--mode", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", str(MAX_EXAMPLES),
        "--generation-deterministic",
        "--workers", "1",
        "--request-timeout", "30",
        "--no-color",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # In tmp_path: whatever schemathesis leaves behind stays out of the repository.
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-8000:]
    # Every documented operation but the document itself (schemathesis leaves its own schema out).
    expected = len(OPERATIONS) - 1
    assert re.search(rf"Selected: {expected}/{expected}\s+Tested: {expected}\b", output), output[-3000:]
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅  {phase}" in output, f"{phase} did not pass:\n{output[-4000:]}"
