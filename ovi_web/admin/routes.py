"""The maintainers' admin at ``/admin``: login, services and organisations, import upload, history, queues.

Every route is guarded by ``auth.admin_middleware`` (login, CSRF) and, for an admin's tasks, ``admin_only``.
Lists and queues have JSON twins (``….json``, announced in ``Link: rel=alternate``). Writes go through
``edits`` (the importers' rules and history) or ``uploads`` (the importers themselves).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy import select
from sqlalchemy.orm import Session
from yarl import URL

from directory_db import hsds
from directory_db.error_reports import ReportError, resolve_report
from directory_db.importers import ImportResult, ImportValidationError
from directory_db.models import AdminUser, Organization, Service
from ovi_web.admin import accounts, edits, queries, uploads
from ovi_web.admin.auth import (
    ADMIN,
    COOKIE,
    LOGIN_COOKIE,
    LOGIN_PATH,
    Admin,
    admin_only,
    secure_cookie,
    set_cookie,
)
from ovi_web.db import run_in_session
from ovi_web.keys import settings_key
from ovi_web.render import json_response, render_html, wants_json

routes = web.RouteTableDef()
UUID = "{id:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}"


def _page(request: web.Request, template: str, values: dict[str, Any], *, status: int = 200,
          twin: dict[str, Any] | None = None, json_url: str | None = None) -> web.Response:
    if twin is not None and wants_json(request):
        return json_response(twin, status=status)
    admin: Admin | None = request.get(ADMIN)
    response = render_html(f"admin/{template}", {"admin": admin, "json_url": json_url, **values},
                           status=status)
    if json_url:
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _text(form: MultiDictProxy[Any], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _form_dict(form: MultiDictProxy[Any]) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _saved(result: ImportResult) -> str:
    return "Ei muutoksia." if result.services_unchanged == result.services else "Muutokset tallennettu."


# --- login --------------------------------------------------------------------------------------------------


def _safe_next(target: str) -> str:
    # Only back into the admin: an open redirect would make the login page a phishing tool.
    return target if target.startswith("/admin") and not target.startswith("//") else "/admin"


def _login_page(request: web.Request, message: str | None, status: int, next_url: str) -> web.Response:
    token = secrets.token_urlsafe(24)
    response = _page(request, "login.html", {"title": "Kirjaudu – Ovin ylläpito", "message": message,
                                             "login_csrf": token, "next": next_url}, status=status)
    set_cookie(response, request, LOGIN_COOKIE, token, max_age=3600)
    return response


@routes.get(LOGIN_PATH)
async def login_form(request: web.Request) -> web.Response:
    return _login_page(request, None, 200, _safe_next(request.query.get("next", "/admin")))


@routes.post(LOGIN_PATH)
async def login(request: web.Request) -> web.Response:
    form = await request.post()
    next_url = _safe_next(_text(form, "next"))
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not accounts.same_token(_text(form, "csrf"), expected):
        return _login_page(request, "Lomake oli vanhentunut. Kirjaudu uudelleen.", 403, next_url)
    username, password = _text(form, "username"), _text(form, "password")

    def check(session: Session) -> tuple[str | None, accounts.LoginResult]:
        result = accounts.authenticate(session, username, password)
        token = accounts.start_session(session, result.user)[0] if result.user else None
        session.commit()
        return token, result

    token, result = await run_in_session(request.app, check)
    if token is None:
        if result.locked_until is not None:
            local = result.locked_until.astimezone().strftime("%H.%M")
            message = (f"Tili on lukittu {accounts.LOCK_MINUTES} minuutiksi liian monen epäonnistuneen "
                       f"kirjautumisen vuoksi (kello {local} asti).")
        else:
            message = "Väärä käyttäjätunnus tai salasana."
        return _login_page(request, message, 401, next_url)
    response = web.HTTPSeeOther(next_url)
    set_cookie(response, request, COOKIE, token, max_age=accounts.MAX_HOURS * 3600)
    response.del_cookie(LOGIN_COOKIE, path="/admin")
    raise response


@routes.post("/admin/logout")
async def logout(request: web.Request) -> web.Response:
    admin = request[ADMIN]
    everywhere = (await request.post()).get("everywhere") == "1"

    def end(session: Session) -> None:
        if everywhere:
            user = session.get(AdminUser, admin.user_id)
            if user is not None:
                accounts.end_all_sessions(session, user)
        else:
            accounts.end_session(session, admin.token)
        session.commit()

    await run_in_session(request.app, end)
    response = web.HTTPSeeOther(LOGIN_PATH)
    response.del_cookie(COOKIE, path="/admin", secure=secure_cookie(request))
    raise response


# --- dashboard and services ---------------------------------------------------------------------------------


@routes.get("/admin")
# The twin lives under /admin/: the session cookie (path /admin) is not sent to /admin.json.
@routes.get("/admin/index.json")
async def dashboard(request: web.Request) -> web.Response:
    data = await run_in_session(request.app, queries.dashboard)
    return _page(request, "dashboard.html", {"title": "Ovin ylläpito", "data": data}, twin=data,
                 json_url="/admin/index.json")


@routes.get("/admin/palvelut")
@routes.get("/admin/palvelut.json")
async def service_list(request: web.Request) -> web.Response:
    text, status = request.query.get("q", ""), request.query.get("tila", "")
    try:
        offset = max(0, int(request.query.get("alku", "0")))
    except ValueError:
        offset = 0
    data = await run_in_session(request.app, lambda s: queries.services(s, text, status, offset))
    twin = str(URL("/admin/palvelut.json").with_query({k: v for k, v in request.query.items()}))
    return _page(request, "services.html", {"title": "Palvelut – Ovin ylläpito", "data": data, "q": text,
                                            "status": status, "statuses": edits.STATUSES,
                                            "page": queries.PAGE}, twin=data, json_url=twin)


def _organization_choices(session: Session) -> list[tuple[str, str]]:
    return [(o["id"], o["name"]) for o in queries.organizations(session)]


def _service_values(request: web.Request, values: dict[str, str], errors: dict[str, str], **extra: Any
                    ) -> dict[str, Any]:
    return {"form": values, "errors": errors, "fields": edits.SERVICE_FORM, "statuses": edits.STATUSES,
            "notice": request.query.get("viesti"), **extra}


@routes.get("/admin/palvelut/uusi")
async def new_service_form(request: web.Request) -> web.Response:
    choices = await run_in_session(request.app, _organization_choices)
    values = {"status": "active", "organization_id": request.query.get("organisaatio", "")}
    return _page(request, "service_new.html", {"title": "Uusi palvelu – Ovin ylläpito",
                                               **_service_values(request, values, {}, organizations=choices)})


@routes.post("/admin/palvelut/uusi")
async def create_service(request: web.Request) -> web.Response:
    form = _form_dict(await request.post())
    user = request[ADMIN].username

    def create(session: Session) -> str | dict[str, str]:
        try:
            doc = edits.new_service_document(session, form.get("organization_id", ""))
            edits.save(session, [edits.apply_service_form(session, doc, form)], user)
        except edits.FormErrors as problems:
            session.rollback()
            return problems.errors
        return str(doc["id"])

    outcome = await run_in_session(request.app, create)
    if isinstance(outcome, str):
        raise web.HTTPSeeOther(str(URL(f"/admin/palvelut/{outcome}").with_query(viesti="Palvelu lisätty.")))
    choices = await run_in_session(request.app, _organization_choices)
    values = _service_values(request, form, outcome, organizations=choices)
    return _page(request, "service_new.html", {"title": "Uusi palvelu – Ovin ylläpito", **values}, status=400)


async def _service_page(request: web.Request, service_id: str, form: dict[str, str] | None,
                        errors: dict[str, str], status: int = 200) -> web.Response:
    def load(session: Session) -> dict[str, Any] | None:
        doc = edits.service_document(session, service_id)
        if doc is None:
            return None
        return {"doc": doc, "values": edits.service_form_values(doc),
                "verified": queries.last_verification(session, service_id),
                "reports": [r for r in queries.reports(session) if r["service_id"] == service_id]}

    loaded = await run_in_session(request.app, load)
    if loaded is None:
        raise web.HTTPNotFound()
    doc = loaded["doc"]
    # The twin: the record as the importers read it (confidential fields included: this is the admin),
    # its last verification and its open reports.
    twin = {"service": doc, "verified": loaded["verified"], "reports": loaded["reports"]}
    return _page(request, "service.html", {
        "title": f"{doc['name']} – Ovin ylläpito", "service": doc, "verified": loaded["verified"],
        "reports": loaded["reports"],
        **_service_values(request, form if form is not None else loaded["values"], errors),
    }, status=status, twin=twin, json_url=f"/admin/palvelut/{service_id}.json")


@routes.get(f"/admin/palvelut/{UUID}")
@routes.get(f"/admin/palvelut/{UUID}.json")
async def service_page(request: web.Request) -> web.Response:
    return await _service_page(request, request.match_info["id"], None, {})


@routes.post(f"/admin/palvelut/{UUID}")
async def save_service(request: web.Request) -> web.Response:
    service_id, user = request.match_info["id"], request[ADMIN].username
    form = _form_dict(await request.post())

    def update(session: Session) -> str | dict[str, str] | None:
        doc = edits.service_document(session, service_id)
        if doc is None:
            return None
        try:
            return _saved(edits.save(session, [edits.apply_service_form(session, doc, form)], user))
        except edits.FormErrors as problems:
            session.rollback()
            return problems.errors

    outcome = await run_in_session(request.app, update)
    if outcome is None:
        raise web.HTTPNotFound()
    if isinstance(outcome, str):
        raise web.HTTPSeeOther(str(URL(f"/admin/palvelut/{service_id}").with_query(viesti=outcome)))
    return await _service_page(request, service_id, form, outcome, status=400)


ServiceAction = Callable[[Session, Sequence[str], str], ImportResult]


async def _act(request: web.Request, work: ServiceAction, done: str) -> web.Response:
    """Run an action on one service and go back where the form said (the service page by default)."""
    service_id, user = request.match_info["id"], request[ADMIN].username
    form = await request.post()
    back = _safe_next(_text(form, "next") or f"/admin/palvelut/{service_id}")

    def act(session: Session) -> str:
        try:
            work(session, [service_id], user)
        except edits.FormErrors as problems:
            session.rollback()
            return "; ".join(problems.errors.values())
        return done

    message = await run_in_session(request.app, act)
    raise web.HTTPSeeOther(str(URL(back).with_query(viesti=message)))


@routes.post(f"/admin/palvelut/{UUID}/tarkistettu")
async def verify_service(request: web.Request) -> web.Response:
    return await _act(request, edits.verify_services, "Merkitty tarkistetuksi tänään.")


@routes.post(f"/admin/palvelut/{UUID}/arkistoi")
@admin_only
async def archive_service(request: web.Request) -> web.Response:
    return await _act(request, edits.archive_services, "Palvelu arkistoitu.")


@routes.get(f"/admin/palvelut/{UUID}/historia")
@routes.get(f"/admin/palvelut/{UUID}/historia.json")
async def service_history(request: web.Request) -> web.Response:
    service_id = request.match_info["id"]

    def load(session: Session) -> tuple[str, list[dict[str, Any]]] | None:
        service = session.get(Service, service_id)
        return None if service is None else (service.name, queries.history(session, [service_id]))

    loaded = await run_in_session(request.app, load)
    if loaded is None:
        raise web.HTTPNotFound()
    name, rows = loaded
    twin = {"id": service_id, "name": name, "history": rows}
    return _page(request, "history.html", {"title": f"Muutoshistoria: {name}", "name": name, "rows": rows,
                                           "back": f"/admin/palvelut/{service_id}"},
                 twin=twin, json_url=f"/admin/palvelut/{service_id}/historia.json")


# --- organisations ------------------------------------------------------------------------------------------


@routes.get("/admin/organisaatiot")
@routes.get("/admin/organisaatiot.json")
async def organization_list(request: web.Request) -> web.Response:
    text = request.query.get("q", "")
    rows = await run_in_session(request.app, lambda s: queries.organizations(s, text))
    return _page(request, "organizations.html", {"title": "Organisaatiot – Ovin ylläpito", "rows": rows,
                                                 "q": text},
                 twin={"organizations": rows}, json_url="/admin/organisaatiot.json")


def _first_service_doc(session: Session, organization_id: str) -> dict[str, Any] | None:
    service_id = session.scalar(select(Service.id).where(Service.organization_id == organization_id)
                                .order_by(Service.status != "active", Service.name).limit(1))
    return None if service_id is None else edits.service_document(session, service_id)


@routes.get("/admin/organisaatiot/uusi")
async def new_organization_form(request: web.Request) -> web.Response:
    return _page(request, "organization_new.html", {"title": "Uusi organisaatio – Ovin ylläpito",
                                                    "form": {}, "errors": {},
                                                    "fields": edits.ORGANIZATION_FORM})


@routes.post("/admin/organisaatiot/uusi")
async def create_organization(request: web.Request) -> web.Response:
    form = _form_dict(await request.post())
    user = request[ADMIN].username

    def create(session: Session) -> str | dict[str, str]:
        try:
            doc = edits.new_organization_document(form)
            service_form = {"name": form.get("service_name", ""), "status": "active",
                            "areas": form.get("areas", ""), "classes": form.get("classes", "")}
            try:
                doc = edits.apply_service_form(session, doc, service_form)
            except edits.FormErrors as problems:
                renamed = {("service_name" if k == "name" else k): v for k, v in problems.errors.items()}
                raise edits.FormErrors(renamed) from problems
            edits.save(session, [doc], user, edits.ORGANIZATION_FORM)
        except edits.FormErrors as problems:
            session.rollback()
            return problems.errors
        return str(doc["organization_id"])

    outcome = await run_in_session(request.app, create)
    if isinstance(outcome, str):
        target = URL(f"/admin/organisaatiot/{outcome}").with_query(viesti="Organisaatio lisätty.")
        raise web.HTTPSeeOther(str(target))
    values = {"form": form, "errors": outcome, "fields": edits.ORGANIZATION_FORM}
    return _page(request, "organization_new.html", {"title": "Uusi organisaatio – Ovin ylläpito", **values},
                 status=400)


async def _organization_page(request: web.Request, form: dict[str, str] | None, errors: dict[str, str],
                             status: int = 200) -> web.Response:
    organization_id = request.match_info["id"]

    def load(session: Session) -> dict[str, Any] | None:
        organization = session.get(Organization, organization_id)
        if organization is None:
            return None
        services = session.scalars(select(Service).where(Service.organization_id == organization_id)
                                   .order_by(Service.name)).all()
        doc = {"organization": hsds.organization_in_service(organization)}
        return {"name": organization.name, "values": edits.organization_form_values(doc),
                "organization": doc["organization"],
                "services": [{"id": s.id, "name": s.name, "status": s.status} for s in services]}

    loaded = await run_in_session(request.app, load)
    if loaded is None:
        raise web.HTTPNotFound()
    twin = {"organization": loaded["organization"], "services": loaded["services"]}
    return _page(request, "organization.html", {
        "title": f"{loaded['name']} – Ovin ylläpito", "organization_id": organization_id,
        "name": loaded["name"], "services": loaded["services"], "form": form or loaded["values"],
        "errors": errors, "fields": edits.ORGANIZATION_FORM, "statuses": edits.STATUSES,
        "notice": request.query.get("viesti"),
    }, status=status, twin=twin, json_url=f"/admin/organisaatiot/{organization_id}.json")


@routes.get(f"/admin/organisaatiot/{UUID}")
@routes.get(f"/admin/organisaatiot/{UUID}.json")
async def organization_page(request: web.Request) -> web.Response:
    return await _organization_page(request, None, {})


@routes.post(f"/admin/organisaatiot/{UUID}")
async def save_organization(request: web.Request) -> web.Response:
    organization_id, user = request.match_info["id"], request[ADMIN].username
    form = _form_dict(await request.post())

    def update(session: Session) -> str | dict[str, str] | None:
        if session.get(Organization, organization_id) is None:
            return None
        doc = _first_service_doc(session, organization_id)
        if doc is None:
            return {"": "organisaatiolla ei ole palveluja: lisää sille ensin palvelu"}
        try:
            return _saved(edits.save(session, [edits.apply_organization_form(doc, form)], user,
                                     edits.ORGANIZATION_FORM))
        except edits.FormErrors as problems:
            session.rollback()
            return problems.errors

    outcome = await run_in_session(request.app, update)
    if outcome is None:
        raise web.HTTPNotFound()
    if isinstance(outcome, str):
        raise web.HTTPSeeOther(str(URL(request.path).with_query(viesti=outcome)))
    return await _organization_page(request, form, outcome, status=400)


@routes.post(f"/admin/organisaatiot/{UUID}/arkistoi")
@admin_only
async def archive_organization(request: web.Request) -> web.Response:
    organization_id, user = request.match_info["id"], request[ADMIN].username

    def archive(session: Session) -> str:
        ids = list(session.scalars(select(Service.id).where(Service.organization_id == organization_id)))
        try:
            result = edits.archive_services(session, ids, user)
        except edits.FormErrors:
            session.rollback()
            return "Organisaatiolla ei ole arkistoitavia palveluja."
        return f"Organisaatio arkistoitu: {result.services} palvelua arkistoitu."

    message = await run_in_session(request.app, archive)
    raise web.HTTPSeeOther(str(URL(f"/admin/organisaatiot/{organization_id}").with_query(viesti=message)))


@routes.get(f"/admin/organisaatiot/{UUID}/historia")
@routes.get(f"/admin/organisaatiot/{UUID}/historia.json")
async def organization_history(request: web.Request) -> web.Response:
    organization_id = request.match_info["id"]

    def load(session: Session) -> tuple[str, list[dict[str, Any]]] | None:
        organization = session.get(Organization, organization_id)
        if organization is None:
            return None
        ids = list(session.scalars(select(Service.id).where(Service.organization_id == organization_id)))
        return organization.name, queries.history(session, ids, "organization.")

    loaded = await run_in_session(request.app, load)
    if loaded is None:
        raise web.HTTPNotFound()
    name, rows = loaded
    return _page(request, "history.html", {"title": f"Muutoshistoria: {name}", "name": name, "rows": rows,
                                           "back": f"/admin/organisaatiot/{organization_id}"},
                 twin={"id": organization_id, "name": name, "history": rows},
                 json_url=f"/admin/organisaatiot/{organization_id}/historia.json")


# --- import upload ------------------------------------------------------------------------------------------


def _import_values(**extra: Any) -> dict[str, Any]:
    return {"title": "Tuonti – Ovin ylläpito", "formats": uploads.FORMATS, "result": None, "problems": [],
            "upload": None, "problem": None, "committed": False, **extra}


@routes.get("/admin/tuonti")
async def import_form(request: web.Request) -> web.Response:
    return _page(request, "import.html", _import_values())


def _problems(error: ImportValidationError) -> list[str]:
    lines = [str(issue) for issue in error.issues]
    if error.more:
        lines.append(f"… ja {error.more} muuta virhettä")
    return lines


@routes.post("/admin/tuonti")
async def import_dry_run(request: web.Request) -> web.Response:
    form = await request.post()
    admin = request[ADMIN]
    upload_field = form.get("file")
    fmt = _text(form, "format")
    root = _upload_root(request)
    if not isinstance(upload_field, web.FileField):
        return _page(request, "import.html", _import_values(problem="Valitse tuotava tiedosto."), status=400)
    try:
        content = upload_field.file.read()
        upload = uploads.store(root, fmt, upload_field.filename or "", content, admin.username)
    except uploads.UploadError as error:
        return _page(request, "import.html", _import_values(problem=str(error)), status=400)

    outcome = await _run_upload(request, upload, dry_run=True)
    if isinstance(outcome, list):
        uploads.discard(root, upload)
        return _page(request, "import.html", _import_values(problems=outcome), status=400)
    return _page(request, "import.html", _import_values(result=outcome, upload=upload))


async def _run_upload(request: web.Request, upload: uploads.Upload, *, dry_run: bool
                      ) -> ImportResult | list[str]:
    """The import of an upload as the logged-in user: its result, or the lines of its validation errors."""
    user = request[ADMIN].username

    def run(session: Session) -> ImportResult | list[str]:
        try:
            return uploads.run(session, upload, user, dry_run=dry_run)
        except ImportValidationError as error:
            return _problems(error)

    return await run_in_session(request.app, run)


def _upload_root(request: web.Request) -> Path:
    return Path(request.app[settings_key].upload_dir)


@routes.post("/admin/tuonti/tallenna")
@admin_only
async def import_commit(request: web.Request) -> web.Response:
    form = await request.post()
    admin = request[ADMIN]
    root = _upload_root(request)
    try:
        upload = uploads.find(root, _text(form, "token"), admin.username)
    except uploads.UploadError as error:
        return _page(request, "import.html", _import_values(problem=str(error)), status=400)

    outcome = await _run_upload(request, upload, dry_run=False)
    uploads.discard(root, upload)
    if isinstance(outcome, list):
        return _page(request, "import.html", _import_values(problems=outcome), status=400)
    return _page(request, "import.html", _import_values(result=outcome, committed=True))


# --- queues -------------------------------------------------------------------------------------------------


@routes.get("/admin/vanhentuneet")
@routes.get("/admin/vanhentuneet.json")
async def stale_queue(request: web.Request) -> web.Response:
    rows = await run_in_session(request.app, queries.stale)
    return _page(request, "stale.html", {"title": "Tarkistamatta – Ovin ylläpito", "rows": rows,
                                         "days": queries.STALE_DAYS, "notice": request.query.get("viesti")},
                 twin={"days": queries.STALE_DAYS, "services": rows}, json_url="/admin/vanhentuneet.json")


@routes.get("/admin/ilmoitukset")
@routes.get("/admin/ilmoitukset.json")
async def report_queue(request: web.Request) -> web.Response:
    rows = await run_in_session(request.app, queries.reports)
    return _page(request, "reports.html", {"title": "Virheilmoitukset – Ovin ylläpito", "rows": rows,
                                           "notice": request.query.get("viesti")},
                 twin={"reports": rows}, json_url="/admin/ilmoitukset.json")


@routes.post("/admin/ilmoitukset/{id}/kasitelty")
async def resolve(request: web.Request) -> web.Response:
    form = await request.post()
    user, report_id = request[ADMIN].username, request.match_info["id"]

    def close(session: Session) -> str:
        try:
            resolve_report(session, report_id, user=user, resolution=_text(form, "resolution"))
        except ReportError as error:
            session.rollback()
            return error.message
        session.commit()
        return "Ilmoitus merkitty käsitellyksi."

    message = await run_in_session(request.app, close)
    raise web.HTTPSeeOther(str(URL("/admin/ilmoitukset").with_query(viesti=message)))


# --- accounts -----------------------------------------------------------------------------------------------


async def _users_page(request: web.Request, message: str | None = None, status: int = 200,
                      form: dict[str, str] | None = None) -> web.Response:
    rows = await run_in_session(request.app, queries.users)
    return _page(request, "users.html", {"title": "Käyttäjät – Ovin ylläpito", "rows": rows,
                                         "roles": ("maintainer", "admin"), "form": form or {},
                                         "notice": message or request.query.get("viesti")},
                 status=status, twin={"users": rows}, json_url="/admin/kayttajat.json")


@routes.get("/admin/kayttajat")
@routes.get("/admin/kayttajat.json")
@admin_only
async def users_page(request: web.Request) -> web.Response:
    return await _users_page(request)


@routes.post("/admin/kayttajat")
@admin_only
async def add_user(request: web.Request) -> web.Response:
    form = _form_dict(await request.post())

    def add(session: Session) -> str | None:
        try:
            accounts.add_user(session, form.get("username", ""), form.get("password", ""),
                              form.get("role", ""))
        except accounts.AccountError as error:
            session.rollback()
            return str(error)
        session.commit()
        return None

    problem = await run_in_session(request.app, add)
    if problem:
        return await _users_page(request, problem, 400, {k: v for k, v in form.items() if k != "password"})
    raise web.HTTPSeeOther(str(URL("/admin/kayttajat").with_query(viesti="Käyttäjä lisätty.")))


@routes.post("/admin/kayttajat/{name}/{action:avaa|kirjaa-ulos|poista-kaytosta}")
@admin_only
async def user_action(request: web.Request) -> web.Response:
    name, action = request.match_info["name"], request.match_info["action"]

    def act(session: Session) -> str:
        user = accounts.find_user(session, name)
        if user is None:
            return "Käyttäjää ei löydy."
        if action == "avaa":
            accounts.unlock(session, user)
            message = f"Käyttäjän {user.username} lukitus avattu."
        elif action == "kirjaa-ulos":
            count = accounts.end_all_sessions(session, user)
            message = f"Käyttäjä {user.username} kirjattu ulos kaikkialta ({count} istuntoa)."
        else:
            user.active = False
            accounts.end_all_sessions(session, user)
            message = f"Käyttäjä {user.username} poistettu käytöstä."
        session.commit()
        return message

    message = await run_in_session(request.app, act)
    raise web.HTTPSeeOther(str(URL("/admin/kayttajat").with_query(viesti=message)))
