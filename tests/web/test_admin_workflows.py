"""The maintainers' admin over real HTTP on a real SQLite directory: edits with history, the importers'
rules on forms, import upload with a dry run, the queues, sessions and the account command."""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import FormData
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory_db.db import make_engine
from directory_db.error_reports import store_report
from directory_db.models import AdminSession, AdminUser, Organization, Service
from tests.web.admin_helpers import SERVICE, admin_copy, login
from tests.web.conftest import FIXTURE, MakeClient

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin_db(small_db_url: str, tmp_path: Path) -> Iterator[str]:
    yield admin_copy(small_db_url, tmp_path)


def _service(url: str, service_id: str = SERVICE) -> dict[str, object]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            service = session.get(Service, service_id)
            assert service is not None
            return {"name": service.name, "url": service.url, "status": service.status,
                    "phone": service.phones[0].number if service.phones else None,
                    "assured_date": service.assured_date}
    finally:
        engine.dispose()


async def _form_values(client: object, path: str) -> dict[str, str]:
    """The current values of the edit form, as a browser would send them back."""
    html = await (await client.get(path)).text()  # type: ignore[attr-defined]
    values = dict(re.findall(r'<input id="f-(\w+)" name="\w+" type="[a-z]+"(?: inputmode="decimal")? '
                             r'value="([^"]*)"', html))
    values.update(re.findall(r'<textarea id="f-(\w+)"[^>]*>([^<]*)</textarea>', html))
    values["status"] = re.search(r'<option value="([^"]+)" selected', html).group(1)  # type: ignore[union-attr]
    return {k: html_lib.unescape(v) for k, v in values.items()}


async def test_an_edit_is_saved_with_its_history(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    before = _service(admin_db)
    form = await _form_values(client, f"/admin/palvelut/{SERVICE}")
    assert form["name"] == before["name"] and form["phone"] == before["phone"]
    form.update(phone="05 999 1234", csrf=csrf)
    response = await client.post(f"/admin/palvelut/{SERVICE}", data=form)
    assert response.status == 200 and "Muutokset tallennettu" in await response.text()
    after = _service(admin_db)
    assert after["phone"] == "05 999 1234" and after["name"] == before["name"]

    history = await (await client.get(f"/admin/palvelut/{SERVICE}/historia.json")).json()
    changes = [row for row in history["history"] if row["who"] == "pekka"]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("phones[0].number", before["phone"],
                                                                     "05 999 1234")]
    page = await (await client.get(f"/admin/palvelut/{SERVICE}/historia")).text()
    assert "05 999 1234" in page and "pekka" in page
    # Saving the same values again changes nothing and writes no history.
    response = await client.post(f"/admin/palvelut/{SERVICE}", data=form)
    assert "Ei muutoksia" in await response.text()
    again = await (await client.get(f"/admin/palvelut/{SERVICE}/historia.json")).json()
    assert len(again["history"]) == len(history["history"])


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("url", "kotka.fi/ruoka", "ei ole kelvollinen URI"),
    ("email", "ruoka@kotka", "sähköpostiosoite"),
    ("areas", "999", "tuntematon alue 999"),
    ("areas", "HVA99", "tuntematon alue HVA99"),
    ("classes", "P99.9", "tuntematon palveluluokka P99.9"),
    ("name", "", "anna palvelun nimi"),
    ("minimum_age", "kaksi", "anna ikä numerona"),
])
async def test_a_bad_edit_names_the_field_and_saves_nothing(make_client: MakeClient, admin_db: str,
                                                           field: str, value: str, fragment: str) -> None:
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    before = _service(admin_db)
    form = await _form_values(client, f"/admin/palvelut/{SERVICE}")
    form.update({field: value, "phone": "05 000 0000", "csrf": csrf})
    response = await client.post(f"/admin/palvelut/{SERVICE}", data=form)
    assert response.status == 400
    html = await response.text()
    error = re.search(rf'<span class="field-error" id="e-{field}">([^<]*)</span>', html)
    assert error and fragment in error.group(1), html[-3000:]
    assert f'aria-describedby="h-{field} e-{field}"' in html or f'aria-describedby="e-{field}"' in html
    assert _service(admin_db) == before  # not even the valid phone change was written


async def test_a_new_service_and_a_new_organisation(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    engine = make_engine(admin_db)
    with Session(engine) as session:
        organization_id = session.scalars(select(Organization.id).order_by(Organization.name)).first()
    response = await client.post("/admin/palvelut/uusi", data={
        "csrf": csrf, "organization_id": organization_id, "name": "Kotkan ruokajakelu", "status": "active",
        "description": "Ruokakasseja tiistaisin.", "areas": "285", "classes": "P5.7", "phone": "05 234 0000"})
    assert response.status == 200 and "Palvelu lisätty" in await response.text()
    new_id = response.url.path.rsplit("/", 1)[1]
    assert _service(admin_db, new_id)["name"] == "Kotkan ruokajakelu"
    # The new service is searchable at once (the search index is written in the same transaction).
    found = await (await client.get("/api/hsds/services", params={"search": "ruokajakelu"})).json()
    assert new_id in [item["id"] for item in found["contents"]]

    organization = {"csrf": csrf, "name": "Kotkan Ruokapankki ry", "website": "https://ruokapankki.example.fi",
                    "organization_type": "Organization",
                    "service_name": "Ruokapankin jakelu", "areas": "285"}
    response = await client.post("/admin/organisaatiot/uusi", data=organization)
    # HSDS requires an organisation's description: the importers' rule, shown at the field.
    assert response.status == 400
    assert re.search(r'id="e-description">pakollinen kenttä puuttuu<', await response.text())
    response = await client.post("/admin/organisaatiot/uusi",
                                 data={**organization, "description": "Jakaa ylijäämäruokaa Kotkassa."})
    assert response.status == 200 and "Organisaatio lisätty" in await response.text()
    with Session(engine) as session:
        organization = session.scalars(select(Organization).where(
            Organization.name == "Kotkan Ruokapankki ry")).one()
        assert [s.name for s in session.scalars(select(Service).where(
            Service.organization_id == organization.id))] == ["Ruokapankin jakelu"]
    engine.dispose()


async def test_an_admin_archives_a_service(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    csrf = await login(client, "maija")
    response = await client.post(f"/admin/palvelut/{SERVICE}/arkistoi", data={"csrf": csrf})
    assert response.status == 200 and "Palvelu arkistoitu" in await response.text()
    assert _service(admin_db)["status"] == "inactive"
    history = await (await client.get(f"/admin/palvelut/{SERVICE}/historia.json")).json()
    assert ("status", "active", "inactive", "maija") in [(r["field"], r["old"], r["new"], r["who"])
                                                          for r in history["history"]]


async def test_import_upload_dry_run_then_commit(make_client: MakeClient, admin_db: str,
                                                 tmp_path: Path) -> None:
    records = json.loads(FIXTURE.read_text())
    records[0]["name"] = "Ruoka-apu Kotkassa (uusi nimi)"
    upload = tmp_path / "muutos.json"
    upload.write_text(json.dumps(records[:2], ensure_ascii=False))

    maintainer = await make_client(admin_db)
    csrf = await login(maintainer, "pekka")
    data = FormData({"csrf": csrf, "format": "hsds-json"})
    data.add_field("file", upload.read_bytes(), filename="muutos.json", content_type="application/json")
    response = await maintainer.post("/admin/tuonti", data=data)
    html = await response.text()
    assert response.status == 200 and "Kuivaharjoituksen tulos" in html
    assert "2 palvelua (0 uutta, 2 päivitettyä, joista 1 ennallaan)" in html
    assert "Tallenna tuonti" not in html  # a maintainer cannot commit
    assert _service(admin_db)["name"] == "Ruoka-apu Kotkassa"  # the dry run wrote nothing

    admin = await make_client(admin_db)
    csrf = await login(admin, "maija")
    data = FormData({"csrf": csrf, "format": "hsds-json"})
    data.add_field("file", upload.read_bytes(), filename="muutos.json", content_type="application/json")
    html = await (await admin.post("/admin/tuonti", data=data)).text()
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token
    # Another user cannot commit maija's upload, even an admin's token guessed by a maintainer.
    response = await maintainer.post("/admin/tuonti/tallenna", data={"csrf": csrf, "token": token.group(1)})
    assert response.status == 403
    response = await admin.post("/admin/tuonti/tallenna", data={"csrf": csrf, "token": token.group(1)})
    assert response.status == 200 and "Tuonti tallennettu" in await response.text()
    assert _service(admin_db)["name"] == "Ruoka-apu Kotkassa (uusi nimi)"
    # The upload is gone: the same token cannot commit twice.
    response = await admin.post("/admin/tuonti/tallenna", data={"csrf": csrf, "token": token.group(1)})
    assert response.status == 400 and "lähetä tiedosto uudelleen" in await response.text()


async def test_a_bad_import_file_lists_its_errors_and_writes_nothing(make_client: MakeClient,
                                                                    admin_db: str) -> None:
    records = json.loads(FIXTURE.read_text())
    records[1]["status"] = "auki"
    client = await make_client(admin_db)
    csrf = await login(client, "maija")
    data = FormData({"csrf": csrf, "format": "hsds-json"})
    data.add_field("file", json.dumps(records).encode(), filename="rikki.json")
    response = await client.post("/admin/tuonti", data=data)
    html = await response.text()
    assert response.status == 400
    assert re.search(r"<li>[^<]*status[^<]*&#34;auki&#34; ei ole sallittu", html), html[-2000:]
    assert "Tallenna tuonti" not in html


async def test_stale_queue_and_mark_verified(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    queue = await (await client.get("/admin/vanhentuneet.json")).json()
    ids = [row["id"] for row in queue["services"]]
    assert SERVICE in ids  # never verified
    assert (await (await client.get("/admin/index.json")).json())["stale"] == len(ids)
    response = await client.post(f"/admin/palvelut/{SERVICE}/tarkistettu",
                                 data={"csrf": csrf, "next": "/admin/vanhentuneet"})
    assert response.status == 200 and response.url.path == "/admin/vanhentuneet"
    queue = await (await client.get("/admin/vanhentuneet.json")).json()
    assert SERVICE not in [row["id"] for row in queue["services"]]
    assert len(queue["services"]) == len(ids) - 1
    assert (await (await client.get("/admin/index.json")).json())["stale"] == len(ids) - 1
    page = await (await client.get(f"/admin/palvelut/{SERVICE}")).text()
    assert re.search(r"Tarkistettu viimeksi \d{4}-\d\d-\d\d \(pekka\)", page)


async def test_error_report_queue(make_client: MakeClient, admin_db: str) -> None:
    engine = make_engine(admin_db)
    with Session(engine) as session:
        report = store_report(session, service_id=SERVICE, message="Jakelu on nyt torstaisin",
                              source="widget")
        report_id = report.id
        session.commit()
    engine.dispose()
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    queue = await (await client.get("/admin/ilmoitukset.json")).json()
    assert [(r["id"], r["service"], r["message"]) for r in queue["reports"]] == [
        (report_id, "Ruoka-apu Kotkassa", "Jakelu on nyt torstaisin")]
    assert "Jakelu on nyt torstaisin" in await (await client.get(f"/admin/palvelut/{SERVICE}")).text()
    response = await client.post(f"/admin/ilmoitukset/{report_id}/kasitelty",
                                 data={"csrf": csrf, "resolution": "Aukiolo korjattu"})
    assert response.status == 200
    assert (await (await client.get("/admin/ilmoitukset.json")).json())["reports"] == []


def _sessions(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(AdminSession)) or 0
    finally:
        engine.dispose()


async def test_logout_and_logout_everywhere(make_client: MakeClient, admin_db: str) -> None:
    laptop, phone = await make_client(admin_db), await make_client(admin_db)
    csrf = await login(laptop, "pekka")
    await login(phone, "pekka")
    assert _sessions(admin_db) == 2
    response = await laptop.post("/admin/logout", data={"csrf": csrf, "everywhere": "1"})
    assert response.url.path == "/admin/login"
    assert _sessions(admin_db) == 0
    for client in (laptop, phone):
        response = await client.get("/admin", allow_redirects=False)
        assert response.status == 303


async def test_session_cookie_flags(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db, OVI_SECURE_COOKIES="always")
    page = await client.get("/admin/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text())
    assert token
    # A Secure cookie is not sent back over plain HTTP, so read the Set-Cookie header itself.
    response = await client.post("/admin/login", allow_redirects=False, data={
        "csrf": token.group(1), "username": "pekka", "password": "pitkä-salasana-pekka"},
        cookies={"ovi_admin_login": token.group(1)})
    assert response.status == 303
    cookie = response.cookies["ovi_admin"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == "/admin"
    # In the database: only the token's SHA-256, never the token itself.
    engine = make_engine(admin_db)
    with Session(engine) as session:
        stored = session.scalars(select(AdminSession.token_hash)).all()
    engine.dispose()
    assert cookie.value not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_users_add_reads_the_password_from_stdin_and_stores_only_an_argon2_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "ovi_web", "users", "add", "Liisa", "--role", "maintainer"]
    done = subprocess.run(command, input="oikein-pitkä-salasana\n", text=True, capture_output=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    short = subprocess.run([*command[:5], "ville", "--role", "admin"], input="lyhyt\n", text=True,
                           capture_output=True, env=env, timeout=120)
    assert short.returncode == 1 and "vähintään 12 merkkiä" in short.stderr
    engine = make_engine(url)
    with Session(engine) as session:
        users = session.scalars(select(AdminUser)).all()
    engine.dispose()
    assert [(u.username, u.role) for u in users] == [("liisa", "maintainer")]
    assert users[0].password_hash.startswith("$argon2id$")
    assert "oikein-pitkä-salasana" not in users[0].password_hash


async def test_an_organisation_edit_shows_in_its_history(make_client: MakeClient, admin_db: str) -> None:
    engine = make_engine(admin_db)
    with Session(engine) as session:
        service = session.get(Service, SERVICE)
        assert service is not None
        organization_id, old_site = service.organization_id, service.organization.website
    engine.dispose()
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    html = await (await client.get(f"/admin/organisaatiot/{organization_id}")).text()
    values = dict(re.findall(r'<input id="f-(\w+)" name="\w+" type="[a-z]+" value="([^"]*)"', html))
    description = re.search(r'<textarea id="f-description"[^>]*>([^<]*)</textarea>', html)
    kind = re.search(r'<option value="(\w+)" selected', html)
    assert description and kind
    form = {**values, "description": description.group(1), "organization_type": kind.group(1),
            "website": "https://uusi.example.fi/", "csrf": csrf}
    response = await client.post(f"/admin/organisaatiot/{organization_id}", data=form)
    assert response.status == 200 and "Muutokset tallennettu" in await response.text()
    history = await (await client.get(f"/admin/organisaatiot/{organization_id}/historia.json")).json()
    assert [(r["field"], r["old"], r["new"], r["who"]) for r in history["history"]] == [
        ("organization.website", old_site or "", "https://uusi.example.fi/", "pekka")]


async def test_areas_are_written_as_codes_with_a_prefix_for_counties(make_client: MakeClient,
                                                                    admin_db: str) -> None:
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    form = await _form_values(client, f"/admin/palvelut/{SERVICE}")
    form.update(areas="HVA10, 285", csrf=csrf)
    response = await client.post(f"/admin/palvelut/{SERVICE}", data=form)
    assert response.status == 200, await response.text()
    assert (await _form_values(client, f"/admin/palvelut/{SERVICE}"))["areas"] == "HVA10, 285"
    service = await (await client.get(f"/api/hsds/services/{SERVICE}")).json()
    schemes = sorted(a["uri"].rsplit("/", 3)[1] + ":" + a["uri"].rsplit("/", 1)[1]
                     for a in service["service_areas"])
    assert schemes == ["hyvinvointialue_1_20211013:10", "kunta_1_20230101:285"]


FIXTURES = ROOT / "tests" / "directory" / "fixtures"


def _zip_of(folder: Path, target: Path) -> bytes:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".csv", ".json"):
                archive.write(path, arcname=f"paketti/{path.name}")
    return target.read_bytes()


@pytest.mark.parametrize(("fmt", "name"), [("hsds-csv", "paketti.zip"), ("ptv-json", "services_v11.json")])
async def test_csv_packages_and_ptv_files_upload_too(make_client: MakeClient, admin_db: str, tmp_path: Path,
                                                     fmt: str, name: str) -> None:
    content = (_zip_of(FIXTURES / "hsds_csv", tmp_path / name) if fmt == "hsds-csv"
               else (FIXTURES / "ptv" / name).read_bytes())
    client = await make_client(admin_db)
    csrf = await login(client, "maija")
    data = FormData({"csrf": csrf, "format": fmt})
    data.add_field("file", content, filename=name)
    html = await (await client.post("/admin/tuonti", data=data)).text()
    summary = re.search(r'<p id="import-summary">([^<]+)</p>', html)
    assert summary and re.match(r"Tarkistettiin \(kuivaharjoitus, mitään ei tallennettu\) [1-9]\d* palvelua",
                                summary.group(1)), html[-1500:]
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token
    before = await (await client.get("/api/hsds/services", params={"per_page": 1})).json()
    await client.post("/admin/tuonti/tallenna", data={"csrf": csrf, "token": token.group(1)})
    after = await (await client.get("/api/hsds/services", params={"per_page": 1})).json()
    assert after["total_items"] > before["total_items"]


async def test_a_zip_with_a_path_outside_its_folder_is_refused(make_client: MakeClient, admin_db: str,
                                                               tmp_path: Path) -> None:
    target = tmp_path / "paha.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../../ulos.csv", "id\n1\n")
    client = await make_client(admin_db)
    csrf = await login(client, "maija")
    data = FormData({"csrf": csrf, "format": "hsds-csv"})
    data.add_field("file", target.read_bytes(), filename="paha.zip")
    response = await client.post("/admin/tuonti", data=data)
    assert response.status == 400 and "kelvoton polku" in await response.text()
    assert not (tmp_path.parent / "ulos.csv").exists()


async def test_record_pages_have_json_twins(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    await login(client, "pekka")
    page = await client.get(f"/admin/palvelut/{SERVICE}")
    link = f'</admin/palvelut/{SERVICE}.json>; rel="alternate"; type="application/json"'
    assert page.headers["Link"] == link
    twin = await (await client.get(f"/admin/palvelut/{SERVICE}.json")).json()
    public = await (await client.get(f"/api/hsds/services/{SERVICE}")).json()
    assert twin["service"]["id"] == SERVICE and twin["service"]["name"] == public["name"]
    assert twin["service"]["phones"] == public["phones"] and twin["verified"] is None
    organization_id = twin["service"]["organization"]["id"]
    org = await (await client.get(f"/admin/organisaatiot/{organization_id}.json")).json()
    assert org["organization"]["name"] == public["organization"]["name"]
    assert SERVICE in [s["id"] for s in org["services"]]
