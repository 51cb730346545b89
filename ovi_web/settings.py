"""Settings of the web app, declared once in ``SETTINGS``: environment variable, default and help text.

``Settings.from_env`` reads that table and ``python -m ovi_web --help`` prints it, so the documentation
cannot drift from the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

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
