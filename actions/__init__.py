"""Rasa SDK custom actions. Thin: the logic is in ``directory_db.recommend`` and ``ovi_lang``."""
