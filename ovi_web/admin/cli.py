"""``python -m ovi_web users …``: the maintainers' accounts from the command line (SPEC §2b).

``users add NAME --role maintainer|admin`` reads the password from standard input (one line; from a
terminal it asks twice without echo), so it never appears in the shell history or the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.orm import Session

from directory_db.db import make_engine
from directory_db.migrate import upgrade
from directory_db.models import ROLES
from ovi_web.admin import accounts
from ovi_web.admin.queries import users as list_users
from ovi_web.settings import Settings


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = subcommands.add_parser("users", help="maintainers' accounts: add, list, unlock, disable…")
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an account; the password is read from standard input")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    actions.add_parser("list", help="list the accounts")
    for name, text in (("unlock", "end a lock-out after failed logins"),
                       ("disable", "disable an account and end its sessions"),
                       ("password", "set a new password (from standard input); ends the account's sessions")):
        action = actions.add_parser(name, help=text)
        action.add_argument("username")


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Salasana: ")
        if getpass.getpass("Salasana uudelleen: ") != first:
            raise accounts.AccountError("Salasanat eivät täsmää.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    url = Settings.from_env().database_url
    upgrade(url)  # the accounts tables come with the schema; creating the first user must not need `init`
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            if args.action == "list":
                for row in list_users(session):
                    state = "käytössä" if row["active"] else "poistettu käytöstä"
                    print(f"{row['username']}\t{row['role']}\t{state}{', lukittu' if row['locked'] else ''}")
                return 0
            if args.action == "add":
                accounts.add_user(session, args.username, _password(), args.role)
                session.commit()
                print(f"Käyttäjä {args.username.strip().lower()} lisätty ({args.role}).")
                return 0
            user = accounts.find_user(session, args.username)
            if user is None:
                raise accounts.AccountError(f"Käyttäjää {args.username} ei ole.")
            if args.action == "unlock":
                accounts.unlock(session, user)
            elif args.action == "disable":
                user.active = False
                accounts.end_all_sessions(session, user)
            else:
                accounts.set_password(session, user, _password())
            session.commit()
            print("Tehty.")
            return 0
    except accounts.AccountError as error:
        print(f"ovi_web users: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
