"""Greetings, thanks, goodbyes, yes and no read from the words of a short message."""

from __future__ import annotations

import pytest
import yaml

from ovi_lang import smalltalk
from ovi_lang.smalltalk import smalltalk_intent


def test_every_entry_of_the_table_is_a_string() -> None:
    # YAML reads a bare yes, no or on as a boolean: such an entry would silently never match.
    data = yaml.safe_load(smalltalk.DATA.read_text(encoding="utf-8"))
    entries = [*(e for values in data["intents"].values() for e in values), *data["filler"]]
    assert [e for e in entries if not isinstance(e, str)] == []
    assert set(data["priority"]) == set(data["intents"])


@pytest.mark.parametrize(("text", "intent"), [
    ("moikkelis", "greet"), ("moiii :)", "greet"), ("no moi", "greet"), ("Hej!", "greet"),
    ("hei hei", "goodbye"), ("Hej då!", "goodbye"), ("kiitos ja moikka", "thanks"),
    ("kiitoooos", "thanks"), ("kiitti hirveesti!!", "thanks"), ("thank you so much", "thanks"),
    ("joo oli", "affirm"), ("se oli ihan hyvä", "affirm"), ("joo kiitos", "affirm"), ("yes", "affirm"),
    ("ei kiitos", "deny"), ("ei ollu", "deny"), ("nej tack", "deny"),
])
def test_a_short_message_of_mechanics_only_is_that_intent(text: str, intent: str) -> None:
    assert smalltalk_intent(text) == intent


@pytest.mark.parametrize("text", [
    "moi, mulla on velkoja",  # a greeting and a need: the classifier decides
    "apua", "moi apua",  # help is no greeting
    "en tiiä", "ei oo rahaa", "no",  # "no" is also the Finnish "well"
    "kiitos " * 9,  # too long to be only thanks
    "", "!!!", "🙂",
])
def test_anything_more_or_less_is_left_to_the_classifier(text: str) -> None:
    assert smalltalk_intent(text) is None
