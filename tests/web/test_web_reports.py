"""Reports of wrong information over real HTTP: the widget's ``POST /api/virheilmoitukset`` (with CORS for
the allowed origins only) and the lookup's HTML form ``/haku/virheilmoitus``; plus ``OVI_ALLOWED_ORIGINS``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from directory_db.db import make_engine, make_session_factory
from directory_db.models import ErrorReport
from ovi_stack.run import Ports, Stack
from ovi_web.routes_reports import REPORTS_PER_MINUTE, ReportBudget
from ovi_web.settings import Settings, SettingsError
from tests.web.conftest import FIXTURE, MakeClient, build_database
from tests.web.test_web_page import tags

FOOD_AID = "19389cb2-235c-5741-9638-14648f39b155"  # "Ruoka-apu Kotkassa" in the small fixture
ALLOWED = "https://kunta.example"
OTHER = "https://evil.example"
URL = "/api/virheilmoitukset"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh writable directory per test (the shared fixture databases are read-only)."""
    return build_database(tmp_path / "reports.sqlite3", FIXTURE)


@pytest.fixture
async def client(make_client: MakeClient, db_url: str) -> AsyncIterator[TestClient]:
    yield await make_client(db_url, OVI_ALLOWED_ORIGINS=f"{ALLOWED},http://localhost:9999")


def stored(db_url: str) -> list[ErrorReport]:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            reports = list(session.scalars(select(ErrorReport)))
            session.expunge_all()
            return reports
    finally:
        engine.dispose()


def report(**changes: object) -> dict[str, object]:
    return {"service_id": FOOD_AID, "message": "Puhelinnumero on vaihtunut.", "source": "widget", **changes}


async def test_a_report_from_an_allowed_origin_is_stored_without_who_sent_it(client: TestClient,
                                                                           db_url: str) -> None:
    response = await client.post(URL, json=report(), headers={
        "Origin": ALLOWED, "User-Agent": "Agent-Marker/9.9", "Cookie": "tunniste=cookie-marker"})
    assert response.status == 201
    body = await response.json()
    assert body["status"] == "open" and body["id"]
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers

    [row] = stored(db_url)
    assert (row.id, row.service_id, row.message, row.source, row.status) == (
        body["id"], FOOD_AID, "Puhelinnumero on vaihtunut.", "widget", "open")
    # Nothing about the sender: no address, agent or cookie in any column.
    values = " ".join(str(getattr(row, column.key)) for column in ErrorReport.__table__.columns)
    for marker in ("127.0.0.1", "Agent-Marker", "cookie-marker", "localhost"):
        assert marker not in values


async def test_preflight_answers_allowed_origins_only(client: TestClient) -> None:
    request = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = await client.options(URL, headers={"Origin": ALLOWED, **request})
    assert allowed.status == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    assert "content-type" in allowed.headers["Access-Control-Allow-Headers"].lower()

    refused = await client.options(URL, headers={"Origin": OTHER, **request})
    assert refused.status == 403
    assert "Access-Control-Allow-Origin" not in refused.headers


async def test_a_post_from_an_origin_not_allowed_stores_nothing(client: TestClient, db_url: str) -> None:
    response = await client.post(URL, json=report(), headers={"Origin": OTHER})
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    # A "simple" cross-site request (no preflight) is refused the same way.
    response = await client.post(URL, data=json.dumps(report()), headers={"Origin": OTHER,
                                                                          "Content-Type": "text/plain"})
    assert response.status in (403, 415)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert stored(db_url) == []


async def test_other_api_errors_of_the_endpoint_carry_no_wildcard_cors(client: TestClient) -> None:
    response = await client.get(URL, headers={"Origin": OTHER})
    assert response.status == 405
    assert "Access-Control-Allow-Origin" not in response.headers
    # The open HSDS API keeps its public "*".
    response = await client.get("/api/hsds/services", headers={"Origin": OTHER})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("body", "field", "words"), [
    (report(service_id="no-such-service"), "service_id", "palvelua ei löydy"),
    (report(message="   "), "message", "mikä tiedoissa on väärin"),
    (report(message="x" * 2001), "message", "liian pitkä"),
    (report(source="email"), "source", "tuntematon lähde"),
    ({"service_id": FOOD_AID, "source": "widget"}, "message", "puuttuu"),
    (report(service_id=123), "service_id", "puuttuu"),
])
async def test_bad_input_is_a_400_naming_the_field_in_finnish(client: TestClient, db_url: str,
                                                              body: dict[str, object], field: str,
                                                              words: str) -> None:
    response = await client.post(URL, json=body, headers={"Origin": ALLOWED})
    assert response.status == 400
    answer = await response.json()
    assert answer["field"] == field
    assert words in answer["error"].lower()
    # The widget can read the reason cross-origin.
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert stored(db_url) == []


async def test_a_body_that_is_not_a_json_object_is_refused(client: TestClient) -> None:
    for raw in (b"{not json", b"[1, 2]", "\udcff".encode("utf-8", "surrogatepass")):
        response = await client.post(URL, data=raw, headers={"Content-Type": "application/json"})
        assert response.status == 400, raw
        assert (await response.json())["error"]


async def test_bodies_over_16_kb_are_refused(client: TestClient, db_url: str) -> None:
    big = json.dumps(report(message="a" * 17_000)).encode()
    response = await client.post(URL, data=big, headers={"Content-Type": "application/json"})
    assert response.status == 413

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: found while reading
        for _ in range(20):
            yield b" " * 1024
        yield json.dumps(report()).encode()

    response = await client.post(URL, data=chunked(), headers={"Content-Type": "application/json"})
    assert response.status == 413
    # Just under the limit is fine (whitespace is valid JSON padding).
    fits = json.dumps(report()).encode() + b" " * (16 * 1024 - 200)
    response = await client.post(URL, data=fits, headers={"Content-Type": "application/json"})
    assert response.status == 201
    assert len(stored(db_url)) == 1


async def test_the_lookup_cards_link_to_a_report_form_that_works_without_javascript(
        client: TestClient, db_url: str) -> None:
    page = await (await client.get("/haku", params={"q": "ruoka-apu"})).text()
    links = [a["href"] for a in tags(page, "a") if (a.get("href") or "").startswith("/haku/virheilmoitus")]
    assert any(f"palvelu={FOOD_AID}" in (link or "") for link in links), links
    link = next(link for link in links if link and FOOD_AID in link)

    form_page = await client.get(link)
    assert form_page.status == 200
    html = await form_page.text()
    assert "Ruoka-apu Kotkassa" in html and "Älä kirjoita henkilötietoja" in html
    hidden = {i["name"]: i["value"] for i in tags(html, "input") if i.get("type") == "hidden"}
    assert hidden["service_id"] == FOOD_AID
    assert hidden["takaisin"] == "/haku?q=ruoka-apu"

    empty = await client.post("/haku/virheilmoitus", data={**hidden, "message": " "})
    assert empty.status == 400
    html = await empty.text()
    assert "Ilmoitusta ei voitu tallentaa" in html
    assert [t.get("aria-invalid") for t in tags(html, "textarea")] == ["true"]

    sent = await client.post("/haku/virheilmoitus", data={**hidden, "message": "Aukioloajat ovat vanhat."})
    assert sent.status == 200
    html = await sent.text()
    assert "Kiitos ilmoituksesta" in html
    assert any(a.get("href") == "/haku?q=ruoka-apu" for a in tags(html, "a"))
    [row] = stored(db_url)
    assert (row.service_id, row.message, row.source) == (FOOD_AID, "Aukioloajat ovat vanhat.", "lookup")


async def test_the_report_form_refuses_unknown_services_and_foreign_back_links(client: TestClient) -> None:
    assert (await client.get("/haku/virheilmoitus", params={"palvelu": "no-such"})).status == 404
    page = await client.get("/haku/virheilmoitus",
                            params={"palvelu": FOOD_AID, "takaisin": "https://evil.example/haku"})
    hidden = {i["name"]: i["value"] for i in tags(await page.text(), "input") if i.get("type") == "hidden"}
    assert hidden["takaisin"] == "/haku"


async def test_demo_and_privacy_pages(make_client: MakeClient, db_url: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OVI_CONVERSATION_RETENTION_DAYS", "12")
    client = await make_client(db_url)
    demo = await client.get("/demo")
    assert demo.status == 200
    html = await demo.text()
    assert tags(html, "html") == [{"lang": "fi"}] and "Esimerkkikaupunki" in html
    [script] = tags(html, "script")
    assert script["src"] == "/widget.js" and "data-container" not in script  # the floating launcher
    assert script["data-retention-days"] == "12"
    assert "connect-src 'self' http://rasa.test:5005" in demo.headers["Content-Security-Policy"]

    privacy = await client.get("/tietosuoja")
    assert privacy.status == 200
    assert "12 päivän" in await privacy.text()
    assert (await (await client.get("/tietosuoja.json")).json())["retention_days"] == "12"


def test_allowed_origins_setting() -> None:
    base = {"DATABASE_URL": "sqlite://"}
    assert Settings.from_env({**base, "OVI_WEB_PORT": "8123"}).allowed_origins == (
        "http://localhost:8123", "http://127.0.0.1:8123")
    given = Settings.from_env({**base, "OVI_ALLOWED_ORIGINS": " https://Kunta.example/ ,http://a.test:8000"})
    assert given.allowed_origins == ("https://kunta.example", "http://a.test:8000")
    for bad in ("*", "https://a.test,*", "kunta.example", "https://kunta.example/sivu", ","):
        with pytest.raises(SettingsError, match="OVI_ALLOWED_ORIGINS"):
            Settings.from_env({**base, "OVI_ALLOWED_ORIGINS": bad})


def test_the_stack_gives_rasa_and_the_web_app_the_same_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OVI_ALLOWED_ORIGINS", raising=False)
    own = Stack(ports=Ports(web=8123, rasa=8124, actions=8125))
    assert own.origins() == ("http://localhost:8123", "http://127.0.0.1:8123")
    assert own._env()["OVI_ALLOWED_ORIGINS"] == "http://localhost:8123,http://127.0.0.1:8123"
    monkeypatch.setenv("OVI_ALLOWED_ORIGINS", "https://kunta.example")
    assert own.origins() == ("https://kunta.example",)
    given = Stack(ports=Ports(web=8123, rasa=8124, actions=8125), allowed_origins=("https://a.example",))
    assert given._env()["OVI_ALLOWED_ORIGINS"] == "https://a.example"
    with pytest.raises(SettingsError):
        Stack(allowed_origins=("*",)).origins()


async def test_a_flood_of_reports_is_capped_for_the_whole_app(client: TestClient, db_url: str) -> None:
    answers = [(await client.post("/api/virheilmoitukset", json=report(message=f"Virhe {i}"))).status
               for i in range(REPORTS_PER_MINUTE + 2)]
    assert answers == [201] * REPORTS_PER_MINUTE + [429, 429]
    assert len(stored(db_url)) == REPORTS_PER_MINUTE
    # The window slides: a minute later there is room again.
    budget = ReportBudget(per_minute=2)
    assert [budget.take(0), budget.take(1), budget.take(2), budget.take(61), budget.take(61.5)] == [
        True, True, False, True, True]
