"""Settings of the web app, declared once in ``SETTINGS``: environment variable, default and help text.

``Settings.from_env`` reads that table and ``python -m ovi_web --help`` prints it, so the documentation
cannot drift from the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from yarl import URL

from ovi_stack.settings_table import Env, Setting, SettingsError


def _port(name: str, value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a port number, got {value!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name} must be between 1 and 65535, got {port}")
    return port


def _url(name: str, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must be an http(s) URL, got {value!r}")
    # A trailing slash would give the widget "//webhooks/..." URLs.
    return value.rstrip("/")


def _default_database_url(env: Env) -> str:
    # Imported lazily: directory_db decides where the embedded SQLite file lives.
    from directory_db.db import default_database_url

    return default_database_url()


def _cookie_mode(name: str, value: str) -> str:
    if value not in ("auto", "always", "never"):
        raise SettingsError(f"{name} must be auto, always or never, got {value!r}")
    return value


def _default_upload_dir(env: Env) -> str:
    from ovi_stack import paths

    return str(paths.ROOT / "var" / "uploads")


def _default_rasa_url(env: Env) -> str:
    port = _port("OVI_RASA_PORT", env.get("OVI_RASA_PORT", "").strip() or "5005")
    return f"http://localhost:{port}"


def _origins(name: str, value: str) -> tuple[str, ...]:
    """Comma-separated web origins (``scheme://host[:port]``, no path); ``*`` is refused: the list is what
    keeps other sites from scripting residents' conversations, so it must name them."""
    origins: list[str] = []
    for raw in value.split(","):
        origin = raw.strip().rstrip("/")
        if not origin:
            continue
        if origin == "*":
            raise SettingsError(f"{name} must list the origins, not '*'")
        url = URL(origin)
        if url.scheme not in ("http", "https") or not url.host or url.raw_path not in ("", "/") \
                or url.query_string or url.fragment or url.user:
            raise SettingsError(f"{name}: {origin!r} is not an origin like https://kunta.example")
        # Browsers send the origin in this normalised form (lower case, default port left out).
        origins.append(str(url.origin()))
    if not origins:
        raise SettingsError(f"{name} must name at least one origin")
    return tuple(dict.fromkeys(origins))


def _default_origins(env: Env) -> str:
    """The web app's own origin, by both loopback names (a browser may use either for the same server)."""
    port = _port("OVI_WEB_PORT", env.get("OVI_WEB_PORT", "").strip() or "8080")
    return f"http://localhost:{port},http://127.0.0.1:{port}"


# The one table of settings: Settings field name -> how it is read and documented.
SETTINGS: dict[str, Setting] = {
    "host": Setting("OVI_WEB_HOST", "127.0.0.1", "127.0.0.1", "Interface the web app listens on."),
    "port": Setting("OVI_WEB_PORT", "8080", "8080", "Port the web app listens on.", _port),
    "database_url": Setting(
        "DATABASE_URL",
        _default_database_url,
        "the embedded SQLite file under var/ (directory_db.db.default_database_url())",
        "SQLAlchemy URL of the service directory database.",
    ),
    "rasa_url": Setting(
        "OVI_RASA_URL",
        _default_rasa_url,
        "http://localhost:$OVI_RASA_PORT (OVI_RASA_PORT defaults to 5005)",
        "Rasa server URL as the resident's browser sees it; the widget posts to its REST channel there.",
        _url,
    ),
    "allowed_origins": Setting(
        "OVI_ALLOWED_ORIGINS",
        _default_origins,
        "the web app's own origin: http://localhost:$OVI_WEB_PORT,http://127.0.0.1:$OVI_WEB_PORT",
        "Comma-separated web origins allowed to embed the widget and talk to the chat server "
        "(CORS of Rasa and of the widget's calls to the web app); '*' is refused.",
        _origins,
    ),
    "secure_cookies": Setting(
        "OVI_SECURE_COOKIES",
        "auto",
        "auto",
        "Whether the admin's cookies are marked Secure (sent over HTTPS only): auto = yes unless the request "
        "came over plain HTTP to a loopback address (local development); always; never.",
        _cookie_mode,
    ),
    "upload_dir": Setting(
        "OVI_UPLOAD_DIR",
        _default_upload_dir,
        "var/uploads under the repository",
        "Where the admin keeps an uploaded import file between its dry run and its commit (deleted after).",
    ),
}


@dataclass(frozen=True)
class Settings:
    # No defaults here on purpose: they live in SETTINGS only.
    host: str
    port: int
    database_url: str
    rasa_url: str
    allowed_origins: tuple[str, ...]
    secure_cookies: str
    upload_dir: str

    @classmethod
    def from_env(cls, env: Env | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(**{f.name: SETTINGS[f.name].read(env) for f in fields(cls)})


def settings_help() -> str:
    """The settings table as plain text (for ``--help``)."""
    width = max(len(s.env) for s in SETTINGS.values())
    lines = ["Environment variables:"]
    for spec in SETTINGS.values():
        lines.append(f"  {spec.env:<{width}}  {spec.help}")
        lines.append(f"  {'':<{width}}  default: {spec.default_doc}")
    return "\n".join(lines)
