"""One real stack per test session: a fresh SQLite directory with the demo data, the trained Rasa model,
the action server and the web app, on free loopback ports."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ovi_stack import paths
from ovi_stack.model_cache import current_model_path
from ovi_stack.run import Ports, Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


AXE = paths.ROOT / "var" / "axe" / "axe.min.js"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now (the context needs bypass_csp)."""
    if not AXE.exists():
        pytest.fail("axe-core missing: run `make var/axe/axe.min.js` (make test does it)")
    page.add_script_tag(path=str(AXE))
    tags = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
    result: dict[str, Any] = page.evaluate(
        f"() => axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in result["violations"]]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    model = current_model_path()
    if not model.exists():
        pytest.fail(f"no trained model {model.name}: run `make model` (make test does it first)")
    work = tmp_path_factory.mktemp("stack")
    database_url = f"sqlite:///{work / 'ovi.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(paths.ROOT)}
    for command in (["init"], ["seed-demo"]):
        subprocess.run([str(paths.APP_PYTHON), "-m", "directory_db", *command], check=True, env=env,
                       cwd=paths.ROOT, capture_output=True)
    running = Stack(ports=Ports.free(), database_url=database_url, model=model, log_dir=work / "logs",
                    tracker_store_url=f"sqlite:///{work / 'tracker.sqlite3'}")
    running.start(timeout=400)
    try:
        yield running
    finally:
        running.stop()


class Chat:
    """A resident's conversation over Rasa's REST webhook."""

    def __init__(self, stack: Stack) -> None:
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex}"

    def say(self, message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": self.sender, "message": message}).encode()
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            replies: list[dict[str, Any]] = json.loads(response.read())
        return replies


@pytest.fixture
def chat(stack: Stack) -> Chat:
    return Chat(stack)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def service_lists(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict)
            and r["custom"].get("type") == "service_list"]

