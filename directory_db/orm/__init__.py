"""The model classes, one module per HSDS area; import them from :mod:`directory_db.models`.

(The package is not called ``models/`` because the project's ruff configuration excludes every directory of
that name — it is meant for Rasa's trained models.)
"""
