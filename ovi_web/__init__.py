"""Ovi web app (aiohttp): the chat page and ``widget.js``, the lookup, the admin, the HSDS 3.0 API and
``/healthz``. The factory is ``ovi_web.app.init_app``.

Nothing is imported here: ``ovi_stack`` reads ``ovi_web.settings`` in the Rasa environment too, where the
app's own dependencies (SQLAlchemy 2) are not installed.
"""
