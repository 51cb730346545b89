"""What the actions read from a conversation: the needs asked about, in the resident's words, and the person.

The needs of a request are those of the messages since the last recommendation: the classifier's intent of
each message plus the needs its words show (``ovi_lang.needs.needs_in``), so "häätö tulossa ja velkoja on
paljon" asks for housing AND debt help. The resident's own words travel with the need the classifier gave
them to; a need found only by its cue words is searched with the need's own words (the message speaks
mostly of the other need).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa_sdk import Tracker

from directory_db.recommend import Person
from ovi_lang.crisis.kinds import BESIDES_CRISIS
from ovi_lang.needs import NEEDS, cued_needs, needs_in, ordered

RECOMMEND_ACTION = "action_recommend_services"
FALLBACK = "nlu_fallback"
CRISIS = "crisis"
PLACE_MESSAGE_NEED = 0.8
"""How sure the classifier must be of a need in a message that names a municipality (see ``_intent``)."""


def _user_events_since_last_recommendation(tracker: Tracker) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == RECOMMEND_ACTION:
            break
        if event.get("event") == "user":
            events.append(event)
    return list(reversed(events))


def _intent(event: dict[str, Any]) -> str | None:
    """The message's intent; for a crisis message, what the classifier was sure of besides the crisis (the
    crisis itself is the ``situation`` slot): its services follow the acute help."""
    parse_data = event.get("parse_data") or {}
    name = (parse_data.get("intent") or {}).get("name")
    if name == CRISIS:
        name = (parse_data.get(BESIDES_CRISIS) or {}).get("name") or name
    return str(name) if name else None


def is_unsure_place_message(event: dict[str, Any]) -> bool:
    """A message that names the place ("Kouvola, the student flats by the campus") and whose need the
    classifier is not sure of (``PLACE_MESSAGE_NEED``), or whose words do not cue the need it guessed
    ("Suonenjoki, we rent a house near the school" is no youth need): it tells where the person lives, not
    another need. ``event``: a user event, or a tracker's latest message (its parse data)."""
    parse_data = event.get("parse_data") or event
    if not any(e.get("entity") == "municipality" for e in parse_data.get("entities") or []):
        return False
    intent = parse_data.get("intent") or {}
    if float(intent.get("confidence") or 0.0) < PLACE_MESSAGE_NEED:
        return True
    text = str(event.get("text") or parse_data.get("text") or "")
    return intent.get("name") in NEEDS and intent.get("name") not in cued_needs(text)


def _messages(tracker: Tracker, *, needs_only: bool = False) -> Iterator[tuple[str | None, str]]:
    """(intent, text) of the request's messages; a button press ("/debt") has an intent and no words.
    ``needs_only``: the intent of an unsure message that names the place is left out (its words count)."""
    for event in _user_events_since_last_recommendation(tracker):
        text = str(event.get("text") or "")
        intent = None if needs_only and is_unsure_place_message(event) else _intent(event)
        yield intent, "" if text.startswith("/") else text


def current_needs(tracker: Tracker) -> list[str]:
    """The needs of this request, main first: the ``situation`` slot, then every other need named since the
    last recommendation (by the classifier or by cue words), in urgency order."""
    main = tracker.get_slot("situation")
    found: list[str] = []
    for intent, text in _messages(tracker, needs_only=True):
        found += needs_in(text, intent if intent in NEEDS else None)
    others = [key for key in ordered(found) if key not in (main, CRISIS)]
    return ([main] if main in NEEDS else []) + others


def words_by_need(tracker: Tracker) -> dict[str, str]:
    """What the resident wrote about each need: the messages the classifier gave to it, in order. A message
    it did not understand belongs to the need chosen next (the resident's story before a button press)."""
    words: dict[str, list[str]] = {}
    unsure: list[str] = []
    for intent, text in _messages(tracker):
        if intent == FALLBACK and text:
            unsure.append(text)
        elif intent in NEEDS:
            words.setdefault(intent, []).extend([*unsure, text] if text else unsure)
            unsure = []
    return {key: " ".join(texts) for key, texts in words.items() if texts}


def unclear_story(tracker: Tracker) -> list[dict[str, Any]]:
    """The messages of this request the classifier did not understand, before the latest one, as their
    parse data (text, intent ranking): what the resident already told when the bot asks again which need
    it is about."""
    unclear = [dict(event.get("parse_data") or {}, text=str(event.get("text") or ""))
               for event in _user_events_since_last_recommendation(tracker)
               if _intent(event) == FALLBACK and event.get("text")]
    latest = str(tracker.latest_message.get("text") or "")
    return unclear[:-1] if unclear and unclear[-1]["text"] == latest else unclear


def person(tracker: Tracker) -> Person:
    """The person the help is for, from the slots (the municipality must be set)."""
    age_group = tracker.get_slot("age_group")
    if age_group is None and (age := tracker.get_slot("age")) is not None:
        years = float(age)
        age_group = "youth" if 15 <= years < 30 else "elderly" if years >= 65 else "adult"
    return Person(
        municipality_code=str(tracker.get_slot("municipality")),
        language=tracker.get_slot("language") or "fi",
        for_whom=tracker.get_slot("for_whom") or "self",
        age_group=age_group,
        anonymous_only=bool(tracker.get_slot("anonymous_only")),
    )
