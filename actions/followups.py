"""Follow-up questions about the services shown: more options, details, open now, where, phone number,
anonymous only, and how to reach a human. One action for all of them, by the message's intent.

The services shown are in the ``shown`` slot (ids, in order); "the second one" is resolved by
``ovi_lang.references``. Answers use the directory's own data, in the conversation's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.actions import CLARIFY_MAX, DIRECTORY_DOWN_TEXT
from actions.conversation import current_needs, person, words_by_need
from actions.session import read_session
from directory_db.models import Service
from directory_db.recommend import map_url, recommend_path
from directory_db.search import load_services
from directory_db.service_facts import (
    address_of,
    helsinki_time,
    is_always_open,
    localized,
    localized_description,
    localized_name,
    open_now,
    opening_hours_of,
    phone_of,
)
from ovi_lang.needs import NEEDS, SITUATION_KEYS, cued_needs, need_for
from ovi_lang.phrases import phrase
from ovi_lang.references import referenced_index

logger = logging.getLogger(__name__)
MORE = 3
"""Services per "more options" answer."""
ABOUT = 3
"""Services a question about "them" (open now, where, phone) answers for when it names none."""


class _Turn:
    """One follow-up: the tracker's state, the session and the dispatcher, with small helpers."""

    def __init__(self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session) -> None:
        self.dispatcher, self.tracker, self.session = dispatcher, tracker, session
        self.lang = tracker.get_slot("language") or "fi"
        self.shown_ids: list[str] = list(tracker.get_slot("shown") or [])
        loaded = load_services(session, self.shown_ids)
        self.shown = [loaded[i] for i in self.shown_ids if i in loaded]

    def say(self, key: str, **values: object) -> None:
        self.dispatcher.utter_message(text=phrase(key, self.lang, **values))

    def name(self, service: Service) -> str:
        return localized_name(service, self.lang)

    def about(self) -> list[Service]:
        """The service the message names ("the second one"), else the first few shown."""
        text = self.tracker.latest_message.get("text") or ""
        index = referenced_index(text, [self.name(s) for s in self.shown])
        return [self.shown[index]] if index is not None else self.shown[:ABOUT]


def _more_options(turn: _Turn) -> list[EventType]:
    needs = current_needs(turn.tracker) or [turn.tracker.get_slot("situation") or ""]
    need = need_for(needs[0])
    path = recommend_path(turn.session, [need.key], person(turn.tracker), words=words_by_need(turn.tracker),
                          exclude=turn.shown_ids, limit=MORE)
    label = need.label_in(turn.lang).lower()
    if not path.items:
        turn.say("more_options_none", need=label)
        return []
    turn.say("more_options_intro", need=label)
    turn.dispatcher.utter_message(json_message=path.payload())
    return [SlotSet("shown", turn.shown_ids + [item.id for item in path.items])]


def _anonymous_only(turn: _Turn) -> list[EventType]:
    needs = current_needs(turn.tracker) or [turn.tracker.get_slot("situation") or ""]
    anonymous = replace(person(turn.tracker), anonymous_only=True)
    path = recommend_path(turn.session, needs, anonymous, words=words_by_need(turn.tracker))
    label = ", ".join(g.need.label_in(turn.lang).lower() for g in path.groups)
    if not path.items:
        turn.say("anonymous_none", need=label)
        return [SlotSet("anonymous_only", True)]
    turn.say("anonymous_intro", need=label)
    turn.dispatcher.utter_message(json_message=path.payload())
    return [SlotSet("anonymous_only", True), SlotSet("shown", [item.id for item in path.items])]


def _details(turn: _Turn) -> list[EventType]:
    service = turn.about()[0]
    description = localized_description(service, turn.lang) or ""
    turn.say("details", name=turn.name(service), organization=localized_name(service.organization, turn.lang),
             description=description)
    contact = " · ".join(c for c in (phone_of(service), service.url or service.organization.website,
                                     opening_hours_of(service, turn.lang), address_of(service)) if c)
    if contact:
        turn.say("details_contact", contact=contact)
    if eligibility := localized(service, "eligibility_description", turn.lang):
        turn.say("details_eligibility", text=eligibility)
    if fees := localized(service, "fees_description", turn.lang):
        turn.say("details_cost", text=fees)
    return []


def _open_now(turn: _Turn) -> list[EventType]:
    now = helsinki_time(datetime.now())
    for service in turn.about():
        hours = opening_hours_of(service, turn.lang)
        if is_always_open(service):
            turn.say("open_now_always", name=turn.name(service))
        elif hours is None:
            turn.say("open_now_unknown", name=turn.name(service))
        elif open_now(service, now):
            turn.say("open_now_yes", name=turn.name(service), hours=hours)
        else:
            turn.say("open_now_no", name=turn.name(service), hours=hours)
    return []


def _location(turn: _Turn) -> list[EventType]:
    for service in turn.about():
        address = address_of(service)
        if address:
            turn.say("location", name=turn.name(service), address=address,
                     map_url=map_url(address))
        else:
            turn.say("location_none", name=turn.name(service))
    return []


def _phone(turn: _Turn) -> list[EventType]:
    for service in turn.about():
        if number := phone_of(service):
            turn.say("phone", name=turn.name(service), phone=number)
        else:
            url = service.url or service.organization.website or "–"
            turn.say("phone_none", name=turn.name(service), url=url)
    return []


def _human(turn: _Turn) -> list[EventType]:
    reachable = [s for s in turn.shown if phone_of(s)][:ABOUT]
    if reachable:
        turn.say("human_intro")
        for service in reachable:
            turn.say("phone", name=turn.name(service), phone=phone_of(service))
    turn.say("human_general")
    return []


HANDLERS: dict[str, Callable[[_Turn], list[EventType]]] = {
    "more_options": _more_options,
    "anonymous_only": _anonymous_only,
    "service_details": _details,
    "ask_open_now": _open_now,
    "ask_location": _location,
    "ask_phone": _phone,
    "ask_human": _human,
}
NEEDS_SHOWN: Sequence[str] = ("service_details", "ask_open_now", "ask_location", "ask_phone")
"""Follow-ups that only make sense after services were shown."""


class ActionFollowup(Action):
    def name(self) -> str:
        return "action_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        handler = HANDLERS.get(intent)
        lang = tracker.get_slot("language") or "fi"
        has_request = bool(tracker.get_slot("municipality")) and bool(
            current_needs(tracker) or tracker.get_slot("situation"))
        if handler is None or (intent in NEEDS_SHOWN and not tracker.get_slot("shown")) or (
                intent in ("more_options", "anonymous_only") and not has_request):
            if intent == "ask_human":
                dispatcher.utter_message(text=phrase("human_general", lang))
                return []
            # Nothing shown yet, so this was no follow-up: a story the classifier half-read as one ("… ja
            # nyt laskuja tulee kymmenestä paikasta") gets the needs its words point at as buttons.
            text = str(tracker.latest_message.get("text") or "")
            guesses = [key for key in cued_needs(text) if key in SITUATION_KEYS][:CLARIFY_MAX]
            if guesses:
                buttons = [{"title": NEEDS[key].label_in(lang), "payload": f"/{key}"} for key in guesses]
                buttons.append({"title": phrase("clarify_something_else", lang), "payload": "/vague_help"})
                dispatcher.utter_message(text=phrase("clarify_needs", lang), buttons=buttons)
                return []
            dispatcher.utter_message(text=phrase("nothing_shown_yet", lang))
            return []
        try:
            with read_session() as session:
                return handler(_Turn(dispatcher, tracker, session))
        except SQLAlchemyError:
            logger.error("directory unavailable", exc_info=True)
            dispatcher.utter_message(text=DIRECTORY_DOWN_TEXT.get(lang, DIRECTORY_DOWN_TEXT["fi"]))
            return []
