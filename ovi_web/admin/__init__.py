"""The maintainers' admin at ``/admin`` (SPEC §2b).

- ``accounts``: argon2 passwords, lock-out, login sessions (tables in directory_db.orm.accounts).
- ``auth``: the session cookie, CSRF and role checks of every ``/admin`` route (a middleware).
- ``edits``: forms → HSDS records → the importers (one rule set with the files; history rows per field).
- ``uploads``: an uploaded import file between its dry run and its commit.
- ``queries``: what the lists and queues show (HTML pages and their JSON twins render the same data).
- ``routes``: the pages; ``cli``: ``python -m ovi_web users …``.
"""
