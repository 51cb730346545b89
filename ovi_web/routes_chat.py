"""The resident's page with the chat widget (``/`` and its JSON twin ``/.json``) and the widget's files."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from aiohttp import web
from yarl import URL

from ovi_web.keys import settings_key
from ovi_web.render import json_response, render_html, wants_json

STATIC_DIR = Path(str(files("ovi_web").joinpath("static")))
TITLE = "Ovi – apua oikeaan paikkaan"
# Short cache: embedding sites get fixes within minutes, not days.
WIDGET_CACHE = "public, max-age=300"

routes = web.RouteTableDef()


def page_data(request: web.Request) -> dict[str, Any]:
    """Everything the page shows or hands to the widget; the HTML and JSON forms render this."""
    rasa_url = request.app[settings_key].rasa_url
    return {
        "title": TITLE,
        "lang": "fi",
        "widget": {
            "script_url": "/widget.js",
            "stylesheet_url": "/widget.css",
            "rasa_url": rasa_url,
            "rest_webhook_url": f"{rasa_url}/webhooks/rest/webhook",
            "embed": f'<script src="{request.url.origin()}/widget.js" data-rasa-url="{rasa_url}"></script>',
        },
        "notices": {
            "demo_data": "Palveluhakemisto on esittelyaineistoa (demo).",
            "emergency": "Hätätilanteessa soita 112.",
            "emergency_number": "112",
        },
        "links": {"self": "/", "json": "/.json", "hsds_api": "/api/hsds/", "health": "/healthz"},
    }


@routes.get("/")
@routes.get("/.json")
async def index(request: web.Request) -> web.Response:
    data = page_data(request)
    if wants_json(request):
        return json_response(data)
    return render_html(
        "chat.html",
        {"title": data["title"], "rasa_url": data["widget"]["rasa_url"]},
        # The origin only: a CSP source with a path would allow that exact path and not the webhook below it.
        connect_src=str(URL(data["widget"]["rasa_url"]).origin()),
    )


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
