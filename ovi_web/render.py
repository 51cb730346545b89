"""HTML pages from ``templates/`` and their JSON twins (every page's data is also available as JSON).

Templates are ``string.Template`` files; every substituted value is HTML-escaped here, so a template can
never receive raw markup. That is enough for a handful of small pages and needs no template engine.
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

from aiohttp import web

# Pages load nothing inline; the widget talks to Rasa, whose origin is added per page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'{connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@cache
def _template(name: str) -> Template:
    return Template(files("ovi_web").joinpath("templates", name).read_text(encoding="utf-8"))


def render_html(
    name: str, values: dict[str, Any], *, status: int = 200, connect_src: str = ""
) -> web.Response:
    body = _template(name).substitute({key: html.escape(str(value)) for key, value in values.items()})
    response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    response.headers["Content-Security-Policy"] = CSP.format(connect=f" {connect_src}" if connect_src else "")
    return response


def wants_json(request: web.Request) -> bool:
    """The JSON twin of a page: ``/page.json``, ``/.json`` or ``?format=json``."""
    return request.path.endswith(".json") or request.query.get("format") == "json"


def json_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(
        data,
        status=status,
        headers=headers,
        # Finnish text stays readable in the raw response.
        dumps=lambda obj: json.dumps(obj, ensure_ascii=False),
    )
