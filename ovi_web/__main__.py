"""``python -m ovi_web``: serve the web app on OVI_WEB_HOST:OVI_WEB_PORT (default 127.0.0.1:8080);
``python -m ovi_web users …`` manages the maintainers' accounts (see ovi_web/admin/cli.py)."""

from __future__ import annotations

import argparse
import logging
import sys

from aiohttp import web

from ovi_web.admin import cli
from ovi_web.app import init_app
from ovi_web.settings import Settings, SettingsError, settings_help

ACCESS_LOG = '%t "%r" %s %b %Tf'
"""aiohttp's default also logs the client's IP address, Referer and User-Agent: residents' visits (and error
reports) must not leave those behind in the logs."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ovi_web",
        description="Ovi web app: chat page, widget.js, lookup, admin, HSDS 3.0 API and /healthz. "
        "Without a command it serves the app.",
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the web app (the default)")
    cli.add_parser(commands)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"ovi_web: {exc}", file=sys.stderr)
        return 2
    if args.command == "users":
        return cli.run(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(init_app(settings), host=settings.host, port=settings.port, access_log_format=ACCESS_LOG)
    return 0


if __name__ == "__main__":
    sys.exit(main())
