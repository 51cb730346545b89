"""The resident's page with the chat widget (``/`` and its JSON twin ``/.json``), the widget's files, the
embedding demo (``/demo``: a made-up municipality's page with the one script tag) and the privacy page
(``/tietosuoja``) the widget's notice links to."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from aiohttp import web
from yarl import URL

from ovi_stack.conversations import ConversationSettings
from ovi_web.keys import settings_key
from ovi_web.render import json_response, render_html, wants_json

STATIC_DIR = Path(str(files("ovi_web").joinpath("static")))
TITLE = "Ovi – apua oikeaan paikkaan"
# Short cache: embedding sites get fixes within minutes, not days.
WIDGET_CACHE = "public, max-age=300"

routes = web.RouteTableDef()


def retention_days() -> str:
    """How long Rasa keeps conversations (the same setting the stack gives Rasa), as the notice writes it."""
    return f"{ConversationSettings.from_env().retention_days:g}"


def page_data(request: web.Request) -> dict[str, Any]:
    """Everything the page shows or hands to the widget; the HTML and JSON forms render this."""
    rasa_url = request.app[settings_key].rasa_url
    days = retention_days()
    return {
        "title": TITLE,
        "lang": "fi",
        "widget": {
            "script_url": "/widget.js",
            "stylesheet_url": "/widget.css",
            "rasa_url": rasa_url,
            "rest_webhook_url": f"{rasa_url}/webhooks/rest/webhook",
            "embed": f'<script src="{request.url.origin()}/widget.js" data-rasa-url="{rasa_url}" '
                     f'data-retention-days="{days}"></script>',
            "retention_days": days,
            "allowed_origins": list(request.app[settings_key].allowed_origins),
        },
        "notices": {
            "demo_data": "Palveluhakemisto on esittelyaineistoa (demo).",
            "emergency": "Hätätilanteessa soita 112.",
            "emergency_number": "112",
        },
        "links": {"self": "/", "json": "/.json", "hsds_api": "/api/hsds/", "health": "/healthz",
                  "demo": "/demo", "privacy": "/tietosuoja"},
    }


@routes.get("/")
@routes.get("/.json")
async def index(request: web.Request) -> web.Response:
    data = page_data(request)
    if wants_json(request):
        return json_response(data)
    return render_html(
        "chat.html",
        {"title": data["title"], "rasa_url": data["widget"]["rasa_url"],
         "retention_days": data["widget"]["retention_days"]},
        connect_src=_rasa_origin(request),
    )


def _rasa_origin(request: web.Request) -> str:
    # The origin only: a CSP source with a path would allow that exact path and not the webhook below it.
    return str(URL(request.app[settings_key].rasa_url).origin())


@routes.get("/demo")
async def demo(request: web.Request) -> web.Response:
    """A sample municipal page ("Esimerkkikaupunki") with the launcher in the corner: the embed as a host
    site would do it, beside the full-page chat ``/``."""
    values = {"script_url": "/widget.js", "rasa_url": request.app[settings_key].rasa_url,
              "retention_days": retention_days()}
    return render_html("demo.html", values, connect_src=_rasa_origin(request))


@routes.get("/tietosuoja")
@routes.get("/tietosuoja.json")
async def privacy(request: web.Request) -> web.Response:
    data = {"title": "Tietosuoja – Ovi", "retention_days": retention_days(),
            "stored_in_browser": "sessionStorage (this tab only)", "cookies": False}
    if wants_json(request):
        return json_response(data)
    return render_html("tietosuoja.html", data)


def _static(name: str, content_type: str) -> web.FileResponse:
    response = web.FileResponse(STATIC_DIR / name, headers={"Cache-Control": WIDGET_CACHE})
    response.content_type = content_type
    return response


@routes.get("/widget.js")
async def widget_js(request: web.Request) -> web.FileResponse:
    return _static("widget.js", "text/javascript")


@routes.get("/widget.css")
async def widget_css(request: web.Request) -> web.FileResponse:
    return _static("widget.css", "text/css")
