"""The professionals' quick lookup: ``GET /haku`` (the page) and ``GET /haku.json`` (its JSON twin).

The page is a plain GET form: it works without JavaScript, and its URL holds the query, so a search can be
shared or bookmarked. With JavaScript (``static/lookup.js``) the results follow the typing: the script
fetches this same page for the form's current values and swaps in its results, so there is one renderer.
A bad parameter re-renders the form with the problem named in Finnish (status 400); the JSON twin answers
it as the HSDS API does.

The cards can be picked for a referral sheet, ``GET /haku/kooste?id=…&id=…&lang=fi|sv|en``
(``ovi_web.referral``): a printable page and the same as copyable text; ``/haku/kooste.json`` is its twin.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from yarl import URL

from ovi_lang import codes
from ovi_lang.needs import NEEDS
from ovi_web import lookup, referral
from ovi_web.db import run_in_session
from ovi_web.errors import BadParameter
from ovi_web.hsds_api import PROVIDER_TYPES
from ovi_web.render import json_response, render_html, wants_json

routes = web.RouteTableDef()

TITLE = "Palveluhaku ammattilaisille – Ovi"
PROVIDER_LABELS = {"ngo": "järjestö", "public": "julkinen", "parish": "seurakunta", "private": "yritys"}
LANGUAGES = {"fi": "suomi", "sv": "ruotsi", "en": "englanti", "se": "saame", "ru": "venäjä", "et": "viro",
             "uk": "ukraina", "ar": "arabia", "so": "somali", "fa": "persia"}
AREA_LABELS = {"municipality": "kunnan palvelu", "county": "hyvinvointialueen palvelu",
               "region": "maakunnan palvelu", "nationwide": "valtakunnallinen"}


def _choices() -> dict[str, list[tuple[str, str]]]:
    """The form's select options: (value, label), in the order a Finnish reader looks for them."""
    municipalities = sorted(codes.codes("kunta").values(), key=lambda c: c.name_fi)
    return {
        "municipality": [(c.code, c.name_fi) for c in municipalities],
        "county": [(c.code, c.name_fi) for c in sorted(codes.codes("hyvinvointialue").values(),
                                                       key=lambda c: c.name_fi)],
        "need": [(key, need.label_fi) for key, need in NEEDS.items() if key != "crisis"],
        "service_class": [(c.code, f"{c.code} {c.name_fi}") for c in codes.codes("ptvserclass2").values()],
        "target_group": [(c.code, f"{c.code} {c.name_fi}") for c in codes.codes("ptvkohderyhmat").values()],
        "provider_type": [(t, PROVIDER_LABELS[t]) for t in PROVIDER_TYPES],
        "language": list(LANGUAGES.items()),
    }


def _json_link(query: lookup.LookupQuery) -> str:
    return str(URL("/haku.json").with_query(query.as_params()))


@routes.get("/haku")
@routes.get("/haku.json")
async def lookup_page(request: web.Request) -> web.Response:
    problem: str | None = None
    try:
        query = lookup.LookupQuery.read(request.query)
    except BadParameter as exc:
        if wants_json(request):
            raise
        problem, query = exc.message_fi or exc.message, lookup.LookupQuery()
    cards = await run_in_session(request.app, lambda session: lookup.run(session, query))
    if wants_json(request):
        return json_response(lookup.as_json(query, cards))
    values: dict[str, Any] = {
        "title": TITLE, "query": query, "form": request.query if problem else query.as_params(),
        "cards": cards, "problem": problem, "choices": _choices(), "json_url": _json_link(query),
        "providers": PROVIDER_LABELS, "languages": LANGUAGES, "areas": AREA_LABELS,
        # "Ilmoita virheestä" returns here (routes_reports).
        "back_url": str(URL("/haku").with_query(query.as_params())),
    }
    response = render_html("haku.html", values, status=400 if problem else 200)
    response.headers["Link"] = f'<{_json_link(query)}>; rel="alternate"; type="application/json"'
    return response


@routes.get("/haku/kooste")
@routes.get("/haku/kooste.json")
async def referral_sheet(request: web.Request) -> web.Response:
    ids, language = referral.read_request(request.query)
    sheet = await run_in_session(request.app, lambda session: referral.build(session, ids, language))
    if wants_json(request):
        return json_response(sheet.as_json())
    twin = str(URL("/haku/kooste.json").with_query([("id", i) for i in ids] + [("lang", language)]))
    response = render_html("kooste.html", {"sheet": sheet, "text": sheet.plain_text(), "json_url": twin,
                                           "back_url": "/haku"})
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    return response
