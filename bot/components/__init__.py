"""Rasa graph components: thin adapters from Rasa's message model to the plain-Python ``ovi_lang`` logic."""
