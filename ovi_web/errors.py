"""Errors as JSON (API and ``.json`` twins) or as a Finnish HTML page; never a traceback to the client."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from ovi_web.render import json_response, render_html, wants_json

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered as JSON: ``message`` in English and, if given, ``message_fi`` in Finnish;
    ``parameter`` names the query parameter at fault, if any."""

    def __init__(
        self, status: int, message: str, *, parameter: str | None = None, message_fi: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter
        self.message_fi = message_fi


class BadParameter(ApiError):
    def __init__(self, parameter: str, message: str, message_fi: str | None = None) -> None:
        fi = f"{parameter}: {message_fi}" if message_fi else None
        super().__init__(400, f"{parameter}: {message}", parameter=parameter, message_fi=fi)


class NotFound(ApiError):
    def __init__(self, message: str, message_fi: str | None = None) -> None:
        super().__init__(404, message, message_fi=message_fi)


# What a resident sees; English reason phrases stay in the JSON bodies for developers.
_FINNISH = {
    400: ("Virheellinen pyyntö", "Pyynnössä oli virhe."),
    404: ("Sivua ei löytynyt", "Etsimääsi sivua ei ole olemassa. Tarkista osoite."),
    405: ("Toiminto ei ole sallittu", "Tätä toimintoa ei voi tehdä tällä sivulla."),
    500: ("Palvelussa tapahtui virhe", "Jotain meni vikaan. Yritä hetken päästä uudelleen."),
    503: ("Palvelu ei ole käytettävissä", "Palvelu ei juuri nyt vastaa. Yritä hetken päästä uudelleen."),
}


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz" or wants_json(request)


def error_response(
    request: web.Request,
    status: int,
    message: str,
    *,
    parameter: str | None = None,
    message_fi: str | None = None,
) -> web.Response:
    if _is_api(request):
        error: dict[str, object] = {"status": status, "message": message}
        if message_fi is not None:
            error["message_fi"] = message_fi
        if parameter is not None:
            error["parameter"] = parameter
        # The open HSDS API's errors stay readable cross-origin, like its answers; the other /api/ routes
        # (the widget's) answer CORS only for the allowed origins (ovi_web.cors).
        headers = {"Access-Control-Allow-Origin": "*"} if request.path.startswith("/api/hsds") else None
        return json_response({"error": error}, status=status, headers=headers)
    title, text = _FINNISH.get(status) or _FINNISH[500 if status >= 500 else 400]
    return render_html("error.html", {"status": status, "title": title, "text": text}, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(
            request, exc.status, exc.message, parameter=exc.parameter, message_fi=exc.message_fi
        )
    except web.HTTPException as exc:
        if exc.status < 400:  # redirects and the like are not errors
            raise
        response = error_response(request, exc.status, exc.reason)
        if "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        # The traceback goes to the server log only.
        log.exception("Unhandled error in %s %s", request.method, request.path)
        return error_response(request, 500, "Internal Server Error")
