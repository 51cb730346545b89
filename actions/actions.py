"""Ovi's custom actions: recommend a service path, validate the form, follow up a crisis, store feedback.

Thin: what to recommend is ``directory_db.recommend``; which needs and whose words, ``actions.conversation``;
recognising places, ``ovi_lang.municipalities``. Nothing here logs a resident's words, place or identity.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.conversation import (
    current_needs,
    is_unsure_place_message,
    person,
    unclear_story,
    words_by_need,
)
from actions.session import read_session, write_session
from directory_db.feedback import store_feedback
from directory_db.recommend import prepare, recommend_path
from ovi_lang import codes
from ovi_lang.crisis.kinds import BESIDES_CRISIS, SURE
from ovi_lang.known_words import has_known_word
from ovi_lang.municipalities import find_municipalities, home_municipality
from ovi_lang.needs import NEEDS, SITUATION_KEYS, cued_needs
from ovi_lang.phrases import phrase

logger = logging.getLogger(__name__)
CLARIFY_MAX = 3
CLARIFY_FLOOR = 0.05
"""A need the classifier gives at least this confidence is worth offering when it was unsure overall."""

NO_SITUATION_TEXT = {
    "fi": "Kerro vielä omin sanoin, mihin kaipaat apua, niin etsin sopivia palveluja.",
    "sv": "Berätta med egna ord vad du behöver hjälp med, så söker jag passande tjänster.",
    "en": "Tell me in your own words what you need help with, and I will look for services.",
}
DIRECTORY_DOWN_TEXT = {
    "fi": "En saa juuri nyt haettua palveluja hakemistosta. Yritä hetken päästä uudelleen. "
          "Jos tilanne on kiireellinen, soita hätänumeroon 112.",
    "sv": "Jag kan inte hämta tjänster ur katalogen just nu. Försök igen om en stund. "
          "Om det är brådskande, ring nödnumret 112.",
    "en": "I cannot reach the service directory right now. Please try again in a moment. "
          "If it is urgent, call the emergency number 112.",
}


def _language(tracker: Tracker) -> str:
    lang = tracker.get_slot("language")
    return lang if lang in ("fi", "sv", "en") else "fi"


class ActionRecommendServices(Action):
    """Reply with a service path for every need of the request: short text plus one ``service_list``."""

    def name(self) -> str:
        return "action_recommend_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        lang = _language(tracker)
        needs = current_needs(tracker)
        if not needs or not tracker.get_slot("municipality"):
            dispatcher.utter_message(text=NO_SITUATION_TEXT[lang])
            return []
        try:
            with read_session() as session:
                path = recommend_path(session, needs, person(tracker), words=words_by_need(tracker),
                                      crisis_kind=tracker.get_slot("crisis_kind"),
                                      crisis_sure=tracker.get_slot("crisis_certainty") != "unsure")
        except SQLAlchemyError:
            # The directory is down: say so plainly instead of leaving the resident without an answer.
            logger.error("directory unavailable", exc_info=True)
            dispatcher.utter_message(text=DIRECTORY_DOWN_TEXT[lang])
            return []
        # Log only what helps operate the service: never the message, the sender or the place.
        logger.info("recommended %d services for needs=%s", len(path.items), ",".join(needs))
        dispatcher.utter_message(text=path.text())
        if path.items:
            dispatcher.utter_message(json_message=path.payload())
        return [SlotSet("shown", [item.id for item in path.items])]


class ActionClarifyNeed(Action):
    """Not understood: offer the needs the classifier and the cue words point at as buttons (a long story
    that fell under the confidence threshold is rarely about nothing), else the general question. An
    answer to "where do you live?" that names no municipality is told so; the form then asks again."""

    def name(self) -> str:
        return "action_clarify_need"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        lang = _language(tracker)
        if tracker.get_slot("requested_slot") == "municipality" and tracker.get_slot("situation"):
            # The classifier saw no municipality; read as an answer ("runosmäessä": a part of town,
            # "tamperella": a typo) the form may still find one, and then nothing is to be said here.
            if not find_municipalities(str(tracker.latest_message.get("text") or ""), expecting_place=True):
                # The answer to "where do you live?" named no municipality; the need is known: ask the place.
                dispatcher.utter_message(text=phrase("place_not_recognised", lang))
            return []
        guesses = clarifying_needs(tracker.latest_message, unclear_story(tracker))
        if not guesses:
            dispatcher.utter_message(response="utter_default")
            return []
        buttons = [{"title": NEEDS[key].label_in(lang), "payload": f"/{key}"} for key in guesses]
        buttons.append({"title": phrase("clarify_something_else", lang), "payload": "/vague_help"})
        dispatcher.utter_message(text=phrase("clarify_needs", lang), buttons=buttons)
        return []


class ActionAskMunicipality(Action):
    """The form's question of the place, asked of the person the help is for: a resident writing for their
    mother is asked where she lives, not where the writer does (the answer would search the wrong town)."""

    def name(self) -> str:
        return "action_ask_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        for_whom = tracker.get_slot("for_whom")
        key = f"ask_municipality_{for_whom}" if for_whom in ("close_one", "client") else "ask_municipality"
        dispatcher.utter_message(text=phrase(key, _language(tracker)))
        return []


def clarifying_needs(message: dict[str, Any],
                     earlier: list[dict[str, Any]] | None = None) -> list[str]:
    """Up to ``CLARIFY_MAX`` needs for a message the classifier was unsure of: those its words cue first,
    then those the earlier unclear messages of the same request cue (a resident who goes on "mä oon ihan
    loppu tähän" after "puoliso juo joka viikonloppu" is still asking about the drinking), then the
    classifier's best guess for each of these messages, latest first (an unsure "family carer" for "mun
    ystävä hoitaa miestään kotona" is still the likeliest when the next message says only "miten sitä
    vois auttaa jaksamaan"), then its other guesses for the latest above ``CLARIFY_FLOOR``."""
    story = [message, *reversed(earlier or [])]
    cued = [key for m in story for key in cued_needs(str(m.get("text") or "")) if key in SITUATION_KEYS]
    best = [ranked[0] for m in story if (ranked := _guesses(m))]
    return list(dict.fromkeys([*cued, *best, *_guesses(message)]))[:CLARIFY_MAX]


def _guesses(message: dict[str, Any]) -> list[str]:
    """The needs the classifier ranked for a message at ``CLARIFY_FLOOR`` or above, best first."""
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") in SITUATION_KEYS]
    return [str(r["name"]) for r in ranking if float(r.get("confidence") or 0.0) >= CLARIFY_FLOOR]


class ActionCrisisFollowup(Action):
    """After the crisis answer: the acute crisis becomes the situation unless the form already has one, or
    the signal was not sure (``kinds.SURE``) and the classifier understood another need in the message (or,
    if it understood none, the message's cue words show one): then that need is the situation and the
    crisis lines lead its list (the ``crisis_kind`` slot)."""

    def name(self) -> str:
        return "action_crisis_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        form_has_situation = tracker.active_loop.get("name") and tracker.get_slot("situation")
        if form_has_situation:
            return []
        message = tracker.latest_message or {}
        besides = (message.get(BESIDES_CRISIS) or {}).get("name")
        confidence = max((float(e.get("confidence_entity") or 0.0) for e in message.get("entities") or []
                          if e.get("entity") == "crisis_kind"), default=SURE)
        if confidence < SURE and besides not in SITUATION_KEYS:
            # The classifier did not understand a need either (a long story often falls under its
            # threshold): the need the story's words show, if any.
            text = str(message.get("text") or "")
            besides = next((key for key in cued_needs(text) if key in SITUATION_KEYS), None)
        if besides in SITUATION_KEYS and confidence < SURE:
            return [SlotSet("situation", besides)]
        return [SlotSet("situation", "crisis")]


class ValidateSituationForm(FormValidationAction):
    """The place, read in context: a bare "Kolari" or "Simo" is a municipality only as the answer to "where
    do you live" (elsewhere it may be a car crash or a person, and the NLU component leaves it alone)."""

    def name(self) -> str:
        return "validate_situation_form"

    async def extract_municipality(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "municipality" or tracker.get_slot("municipality"):
            return {}
        text = tracker.latest_message.get("text") or ""
        home = home_municipality(text, find_municipalities(text, expecting_place=True), answer=True)
        return {"municipality": home.municipality.code} if home else {}

    async def validate_situation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        """A need guessed from a message with no word Ovi knows ("qwerty zxcv") is no need: the form asks
        for the situation again, with the need buttons. A button press ("/debt") is always a need."""
        text = str(tracker.latest_message.get("text") or "")
        if value and not text.startswith("/") and not has_known_word(text):
            return {"situation": None}
        earlier = _slot_before_latest_message(tracker, "situation")
        if earlier and value != earlier and is_unsure_place_message(tracker.latest_message):
            # "Kouvola, the student flats by the campus": the answer to where, not a new situation.
            value = earlier
        if value in NEEDS and not tracker.get_slot("municipality"):
            _prepare_search([value, *current_needs(tracker)], tracker)
        return {"situation": value}

    async def validate_municipality(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        code = str(value) if value is not None else ""
        if tracker.get_slot("for_whom") == "close_one":
            # For someone else: where they live, if the message says ("isän koti on Virolahdella, mä asun
            # Lahdessa"); Rasa's mapping took one of the names without knowing whose it is.
            # "Itse asun Helsingissä" alone names the writer's home: the form asks again.
            text = str(tracker.latest_message.get("text") or "")
            named = find_municipalities(text, expecting_place=True)
            theirs = home_municipality(text, named, answer=True, for_close_one=True)
            code = theirs.municipality.code if theirs else "" if named else code
        return {"municipality": code if codes.municipality(code) else None}


def _slot_before_latest_message(tracker: Tracker, name: str) -> Any:
    """The slot's value before the latest message (its mappings may have changed it since)."""
    latest_seen = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            latest_seen = True
        elif latest_seen and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def _prepare_search(needs: list[str], tracker: Tracker) -> None:
    """The form asks where the person lives next: embed their words for the search meanwhile (a few
    seconds of the resident's typing), so the recommendation turn does not wait for it."""
    try:
        with read_session() as session:
            prepare(session, list(dict.fromkeys(needs)), words_by_need(tracker))
    except SQLAlchemyError:  # the recommendation turn will say the directory is down
        logger.warning("directory unavailable while preparing a search", exc_info=True)


class ActionStoreFeedback(Action):
    """Store the answer to "was this helpful?" with the needs and the language only: nothing personal."""

    def name(self) -> str:
        return "action_store_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent not in ("affirm", "deny"):
            return []
        needs = [key for key in [tracker.get_slot("situation")] if key]
        try:
            with write_session() as session:
                store_feedback(session, helpful=intent == "affirm", needs=needs, language=_language(tracker))
        except SQLAlchemyError:
            logger.error("feedback not stored", exc_info=True)
        return []
