"""HTML pages from ``templates/`` and their JSON twins (every page's data is also available as JSON).

Templates are Jinja2 files with autoescaping on for every template: a value is always HTML-escaped, so a
template never receives raw markup; an undefined name is an error, not an empty string.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined

# Pages load nothing inline; the widget talks to Rasa, whose origin is added per page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'{connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


_templates = Environment(
    loader=PackageLoader("ovi_web", "templates"), autoescape=True, undefined=StrictUndefined,
    trim_blocks=True, lstrip_blocks=True,
)


def render_fragment(name: str, values: dict[str, Any]) -> str:
    return _templates.get_template(name).render(**values)


def render_html(
    name: str, values: dict[str, Any], *, status: int = 200, connect_src: str = ""
) -> web.Response:
    body = render_fragment(name, values)
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
