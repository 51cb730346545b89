"""The resident's page, its JSON twin, the widget files, error pages and settings."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from ovi_web.app import init_app
from ovi_web.settings import Settings, SettingsError


class _Tags(HTMLParser):
    """Collects start tags with their attributes (enough to check the page's hooks)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str, name: str) -> list[dict[str, str | None]]:
    parser = _Tags()
    parser.feed(html)
    return [attrs for tag, attrs in parser.tags if tag == name]


async def test_page_is_finnish_with_notes_and_widget(plain_client: TestClient, rasa_url: str) -> None:
    response = await plain_client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    html = await response.text()
    assert tags(html, "html") == [{"lang": "fi"}]
    assert "<title>Ovi – apua oikeaan paikkaan</title>" in html
    assert "112" in html and "esittelyaineistoa" in html
    scripts = [s for s in tags(html, "script") if s.get("src") == "/widget.js"]
    assert len(scripts) == 1
    assert scripts[0]["data-rasa-url"] == rasa_url
    assert any(div.get("id") == "ovi-chat" for div in tags(html, "div"))  # the widget renders in here
    # The page may talk to Rasa, and to nothing else off-site.
    csp = response.headers["Content-Security-Policy"]
    assert f"connect-src 'self' {rasa_url}" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_csp_allows_the_rasa_origin_behind_a_path(make_client, empty_db_url: str) -> None:  # type: ignore[no-untyped-def]
    client = await make_client(empty_db_url, OVI_RASA_URL="https://ovi.example/rasa/")
    response = await client.get("/")
    assert "connect-src 'self' https://ovi.example;" in response.headers["Content-Security-Policy"]
    assert 'data-rasa-url="https://ovi.example/rasa"' in await response.text()


async def test_rasa_url_is_escaped_in_the_page(make_client, empty_db_url: str) -> None:  # type: ignore[no-untyped-def]
    hostile = 'http://x.test/"><script>alert(1)</script>'
    client = await make_client(empty_db_url, OVI_RASA_URL=hostile)
    html = await (await client.get("/")).text()
    assert "<script>alert(1)" not in html
    # The value stays inside its attribute, whole (the parser unescapes "&#34;" / "&quot;" back).
    assert [s["data-rasa-url"] for s in tags(html, "script") if "data-rasa-url" in s] == [hostile]


@pytest.mark.parametrize("path", ["/.json", "/?format=json"])
async def test_page_json_twin(plain_client: TestClient, rasa_url: str, path: str) -> None:
    response = await plain_client.get(path)
    assert response.status == 200
    assert response.content_type == "application/json"
    data = await response.json()
    assert data["title"] == "Ovi – apua oikeaan paikkaan"
    assert data["lang"] == "fi"
    assert data["widget"]["rasa_url"] == rasa_url
    assert data["widget"]["rest_webhook_url"] == f"{rasa_url}/webhooks/rest/webhook"
    assert data["widget"]["script_url"] == "/widget.js"
    assert f'data-rasa-url="{rasa_url}"' in data["widget"]["embed"]
    assert data["notices"]["emergency_number"] == "112"


async def test_widget_js_is_served_as_javascript(plain_client: TestClient) -> None:
    response = await plain_client.get("/widget.js")
    assert response.status == 200
    assert response.content_type in {"text/javascript", "application/javascript"}
    assert "Cache-Control" in response.headers
    js = await response.text()
    # The hooks browser tests rely on, and the contract with Rasa's REST channel.
    for hook in (
        "ovi-log",
        "ovi-input",
        "ovi-msg ovi-bot",
        "ovi-msg ovi-user",
        "ovi-service",
        "data-provider-type",
        "data-service-id",
        "/webhooks/rest/webhook",
        "sessionStorage",
        "Kirjoita viestisi",
        "kirjoittaa…",
        "Yhteys palvelimeen katkesi. Yritä hetken päästä uudelleen. Hätätilanteessa soita 112.",
    ):
        assert hook in js, hook
    assert 'setAttribute("role", "log")' in js and 'setAttribute("aria-live", "polite")' in js
    # Bot text must never be parsed as HTML, and message contents never logged.
    assert "innerHTML" not in js
    assert not re.search(r"console\.", js)


async def test_widget_css_and_page_css_are_served(plain_client: TestClient) -> None:
    for path in ("/widget.css", "/static/page.css"):
        response = await plain_client.get(path)
        assert response.status == 200, path
        assert response.content_type == "text/css"


async def test_unknown_page_is_a_finnish_html_404(plain_client: TestClient) -> None:
    response = await plain_client.get("/no-such-page")
    assert response.status == 404
    assert response.content_type == "text/html"
    html = await response.text()
    assert 'lang="fi"' in html and "Sivua ei löytynyt" in html and "112" in html


async def test_unknown_json_path_is_a_json_404(plain_client: TestClient) -> None:
    response = await plain_client.get("/api/nothing-here")
    assert response.status == 404
    assert (await response.json())["error"]["status"] == 404


async def test_unexpected_error_gives_no_traceback(aiohttp_client, empty_db_url: str) -> None:  # type: ignore[no-untyped-def]
    async def boom(request: web.Request) -> web.Response:
        raise RuntimeError("secret detail")

    app = init_app(Settings.from_env({"DATABASE_URL": empty_db_url}))
    app.router.add_get("/api/boom", boom)
    app.router.add_get("/boom", boom)
    client = await aiohttp_client(app)
    response = await client.get("/api/boom")
    assert response.status == 500
    assert await response.json() == {"error": {"status": 500, "message": "Internal Server Error"}}
    response = await client.get("/boom")
    assert response.status == 500
    html = await response.text()
    assert "Palvelussa tapahtui virhe" in html
    assert "secret detail" not in html and "Traceback" not in html


async def test_wrong_method_keeps_allow_header(plain_client: TestClient) -> None:
    response = await plain_client.post("/healthz")
    assert response.status == 405
    assert "GET" in response.headers["Allow"]
    assert (await response.json())["error"]["status"] == 405


def test_settings_from_env_defaults_and_errors() -> None:
    settings = Settings.from_env({"DATABASE_URL": "sqlite://", "OVI_RASA_PORT": "5999"})
    assert (settings.host, settings.port, settings.rasa_url) == ("127.0.0.1", 8080, "http://localhost:5999")
    explicit = Settings.from_env(
        {"DATABASE_URL": "sqlite://", "OVI_WEB_PORT": "9000", "OVI_RASA_URL": "https://rasa.example/"}
    )
    assert (explicit.port, explicit.rasa_url) == (9000, "https://rasa.example")
    with pytest.raises(SettingsError, match="OVI_WEB_PORT"):
        Settings.from_env({"DATABASE_URL": "sqlite://", "OVI_WEB_PORT": "abc"})
    with pytest.raises(SettingsError, match="OVI_WEB_PORT"):
        Settings.from_env({"DATABASE_URL": "sqlite://", "OVI_WEB_PORT": "70000"})
    with pytest.raises(SettingsError, match="OVI_RASA_URL"):
        Settings.from_env({"DATABASE_URL": "sqlite://", "OVI_RASA_URL": "localhost:5005"})
