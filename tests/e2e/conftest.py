"""One real stack per test session: a fresh SQLite directory with the demo data, the trained Rasa model,
the action server and the web app, on free loopback ports."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ovi_stack import paths
from ovi_stack.model_cache import current_model_path
from ovi_stack.run import Ports, Stack, free_port

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


class Site:
    """Another web site on its own loopback port: a static page whose only script is Ovi's one embed tag
    (``html`` is set once the stack's ports are known)."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body = site.html.encode()
                self.send_response(200 if self.path == "/" else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the test output is enough

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def embed(self, web_url: str, rasa_url: str) -> None:
        self.html = (
            '<!doctype html><html lang="fi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Toinen sivusto</title></head><body><main><h1>Toisen sivuston sivu</h1>"
            "<p>Tällä sivulla on Ovista vain yksi script-tagi.</p></main>"
            f'<script src="{web_url}/widget.js" data-rasa-url="{rasa_url}"></script></body></html>')

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def embed_site() -> Iterator[Site]:
    """A site listed in the stack's OVI_ALLOWED_ORIGINS."""
    site = Site()
    yield site
    site.close()


@pytest.fixture(scope="session")
def foreign_site() -> Iterator[Site]:
    """A site that is not listed: it may carry the tag, but the chat must not answer it."""
    site = Site()
    yield site
    site.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, embed_site: Site, foreign_site: Site) -> Iterator[Stack]:
    model = current_model_path()
    if not model.exists():
        pytest.fail(f"no trained model {model.name}: run `make model` (make test does it first)")
    work = tmp_path_factory.mktemp("stack")
    database_url = f"sqlite:///{work / 'ovi.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(paths.ROOT)}
    for command in (["init"], ["seed-demo"]):
        subprocess.run([str(paths.APP_PYTHON), "-m", "directory_db", *command], check=True, env=env,
                       cwd=paths.ROOT, capture_output=True)
    ports = Ports.free()
    # The web app's own origin by both loopback names (the default) plus the embedding site.
    origins = (f"http://127.0.0.1:{ports.web}", f"http://localhost:{ports.web}", embed_site.origin)
    running = Stack(ports=ports, database_url=database_url, model=model, log_dir=work / "logs",
                    tracker_store_url=f"sqlite:///{work / 'tracker.sqlite3'}", allowed_origins=origins)
    for site in (embed_site, foreign_site):
        site.embed(running.web_url, f"http://localhost:{ports.rasa}")
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



SCREENSHOTS = paths.ROOT / "docs" / "screenshots"


def screenshot(page: Page, name: str) -> None:
    """A PNG of the page as it is now into docs/screenshots/ (README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def send(page: Page, text: str) -> list[str]:
    """Type a message into the widget, press Enter, and return the texts of the bot messages that answered."""
    bot = page.locator(".ovi-msg.ovi-bot")
    before = bot.count()
    page.fill("#ovi-input", text)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.ovi-msg.ovi-bot').length > n", arg=before, timeout=60_000
    )
    page.wait_for_selector("#ovi-typing", state="hidden", timeout=60_000)
    return [bot.nth(i).inner_text() for i in range(before, bot.count())]
