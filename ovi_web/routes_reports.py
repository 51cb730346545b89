"""Reports of wrong information ("Ilmoita virheestä") from residents and professionals.

* ``POST /api/virheilmoitukset`` — the widget's JSON endpoint, also cross-origin from the sites listed in
  ``OVI_ALLOWED_ORIGINS`` (``ovi_web.cors``; the preflight too). ``{"service_id", "message", "source"}`` →
  ``201 {"id", "status": "open"}``; bad input → ``400 {"error": "<in Finnish>", "field": "<field>"}``.
* ``GET /haku/virheilmoitus?palvelu=ID`` and ``POST /haku/virheilmoitus`` — the same for the lookup's
  cards as a plain HTML form, so it works without JavaScript, ending on a thank-you page.

What is stored is only what ``directory_db.error_reports.store_report`` takes: the service, the message and
where it came from. No IP address, no cookie, no user agent: a resident's message is sensitive, and the
handlers read nothing else from the request (the access log leaves them out too, ``ovi_web.__main__``).
"""

from __future__ import annotations

import json
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.orm import Session

from directory_db.error_reports import MAX_MESSAGE, ReportError, store_report
from directory_db.models import Service
from ovi_web.cors import cors_headers, preflight, same_site_or_allowed
from ovi_web.db import run_in_session
from ovi_web.render import json_response, render_html

routes = web.RouteTableDef()

API_PATH = "/api/virheilmoitukset"
FORM_PATH = "/haku/virheilmoitus"
MAX_BODY = 16 * 1024
"""Bytes: a 2000-character message in JSON is at most ~12 kB even escaped; anything larger is not a report."""
FIELDS = ("service_id", "message", "source")
REPORTS_PER_MINUTE = 30
"""Reports the whole app takes in a minute. There is no per-sender limit (that would need the sender's IP
address, which Ovi does not keep), so a flood is capped as a whole: the maintainers' queue stays readable."""


class ReportBudget:
    """A sliding one-minute window of accepted reports, shared by the API and the lookup's form."""

    def __init__(self, per_minute: int = REPORTS_PER_MINUTE) -> None:
        self.per_minute = per_minute
        self._times: deque[float] = deque()

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        while self._times and now - self._times[0] >= 60:
            self._times.popleft()
        if len(self._times) >= self.per_minute:
            return False
        self._times.append(now)
        return True


budget_key = web.AppKey("report_budget", ReportBudget)
BUSY = "Ilmoituksia tulee juuri nyt poikkeuksellisen paljon. Yritä hetken kuluttua uudelleen."


def _budget(app: web.Application) -> ReportBudget:
    return app[budget_key]


class _TooLarge(Exception):
    pass


async def _read_body(request: web.Request) -> bytes:
    """The body, refused before reading when it says it is too large and while reading when it turns out so
    (a chunked body has no length)."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(4096):
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _store(service_id: Any, message: Any, source: str) -> Any:
    def work(session: Session) -> dict[str, str]:
        report = store_report(session, service_id=service_id, message=message, source=source)
        session.commit()
        return {"id": report.id, "status": report.status}

    return work


def _problem(status: int, error: str, field: str | None, headers: dict[str, str]) -> web.Response:
    return json_response({"error": error, "field": field}, status=status, headers=headers)


@routes.options(API_PATH)
async def report_preflight(request: web.Request) -> web.Response:
    return preflight(request, "POST")


@routes.post(API_PATH)
async def report_api(request: web.Request) -> web.Response:
    headers = cors_headers(request)
    if not same_site_or_allowed(request):
        # A form or a "simple" request from a site that may not embed the widget: nothing is stored.
        return _problem(403, "Tältä sivustolta ei voi lähettää ilmoituksia.", None, headers)
    if request.content_type != "application/json":
        return _problem(415, "Ilmoitus lähetetään JSON-muodossa (Content-Type: application/json).", None,
                        headers)
    try:
        raw = await _read_body(request)
    except _TooLarge:
        return _problem(413, f"Ilmoitus on liian suuri (enintään {MAX_BODY // 1024} kt).", None, headers)
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _problem(400, "Ilmoitus ei ole kelvollista JSONia.", None, headers)
    if not isinstance(body, dict):
        return _problem(400, "Ilmoituksen pitää olla JSON-olio.", None, headers)
    for field in FIELDS:
        if not isinstance(body.get(field), str):
            return _problem(400, f"Kenttä {field} puuttuu tai ei ole tekstiä.", field, headers)
    if not _budget(request.app).take():
        return _problem(429, BUSY, None, {**headers, "Retry-After": "60"})
    try:
        created = await run_in_session(request.app,
                                       _store(body["service_id"], body["message"], body["source"]))
    except ReportError as exc:
        return _problem(400, exc.message, exc.field, headers)
    return json_response(created, status=201, headers=headers)


# --- the lookup's HTML form ----------------------------------------------------------------------------


def _back(value: str | None) -> str:
    """Where "back to the search" goes: a path under /haku on this site only (never another site)."""
    if value:
        parts = urlsplit(value)
        if not parts.scheme and not parts.netloc and parts.path == "/haku":
            return value
    return "/haku"


def _service_name(service_id: str) -> Any:
    def work(session: Session) -> str | None:
        service = session.get(Service, service_id) if service_id else None
        return service.name if service is not None else None

    return work


def _form_page(values: dict[str, Any], status: int = 200) -> web.Response:
    page = {"title": "Ilmoita virheestä – Ovi", "max_message": MAX_MESSAGE, "problem": None, "field": None,
            "message": "", "done": False, **values}
    return render_html("virheilmoitus.html", page, status=status)


@routes.get(FORM_PATH)
async def report_form(request: web.Request) -> web.Response:
    service_id = request.query.get("palvelu", "")
    name = await run_in_session(request.app, _service_name(service_id))
    if name is None:
        raise web.HTTPNotFound()
    return _form_page({"service_id": service_id, "service_name": name,
                       "back": _back(request.query.get("takaisin"))})


@routes.post(FORM_PATH)
async def report_form_post(request: web.Request) -> web.Response:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    form = await request.post()
    service_id, message = str(form.get("service_id", "")), str(form.get("message", ""))
    back = _back(str(form.get("takaisin", "")))
    name = await run_in_session(request.app, _service_name(service_id))
    if name is None:
        raise web.HTTPNotFound()
    values = {"service_id": service_id, "service_name": name, "back": back}
    if not _budget(request.app).take():
        return _form_page({**values, "problem": BUSY, "field": None, "message": message}, status=429)
    try:
        await run_in_session(request.app, _store(service_id, message, "lookup"))
    except ReportError as exc:
        return _form_page({**values, "problem": exc.message, "field": exc.field, "message": message},
                          status=400)
    return _form_page({**values, "done": True})
