"""Ovi web app: the chat widget page and ``widget.js``, the HSDS 3.0 API and ``/healthz`` (aiohttp)."""

from ovi_web.app import init_app

__all__ = ["init_app"]
