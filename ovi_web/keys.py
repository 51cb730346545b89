"""Typed application keys, in their own module so route modules can import them without cycles."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ovi_web.settings import Settings

settings_key = web.AppKey("settings", Settings)
engine_key = web.AppKey("engine", Engine)
session_factory_key: web.AppKey[sessionmaker[Session]] = web.AppKey("session_factory")
