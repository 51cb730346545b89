"""Ovi's custom actions: recommend services, and follow up a crisis answer."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.session import read_session
from directory_db.recommend import recommend

logger = logging.getLogger(__name__)

NO_SITUATION_TEXT = "Kerro vielä omin sanoin, mihin kaipaat apua, niin etsin sopivia palveluja."
DIRECTORY_DOWN_TEXT = ("En saa juuri nyt haettua palveluja hakemistosta. Yritä hetken päästä uudelleen. "
                       "Jos tilanne on kiireellinen, soita hätänumeroon 112.")


def situation_words(tracker: Tracker, situation: str) -> str:
    """What the resident wrote about the situation: the messages classified as it, this session, in order.

    The search ranks with these words, so "kämppä lähtee alta" and "vuokrat rästissä" get different lists.
    """
    texts = [
        str(event.get("text") or "")
        for event in tracker.events
        if event.get("event") == "user"
        and ((event.get("parse_data") or {}).get("intent") or {}).get("name") == situation
    ]
    return " ".join(t for t in texts if t)


class ActionRecommendServices(Action):
    """Reply with the best matching services as readable Finnish and a ``service_list`` payload."""

    def name(self) -> str:
        return "action_recommend_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        situation = tracker.get_slot("situation")
        municipality = tracker.get_slot("municipality")
        if not situation or not municipality:
            dispatcher.utter_message(text=NO_SITUATION_TEXT)
            return []
        try:
            with read_session() as session:
                result = recommend(session, situation, municipality,
                                   words=situation_words(tracker, situation),
                                   crisis_kind=tracker.get_slot("crisis_kind"))
        except SQLAlchemyError:
            # The directory is down: say so plainly instead of leaving the resident without an answer.
            logger.error("directory unavailable", exc_info=True)
            dispatcher.utter_message(text=DIRECTORY_DOWN_TEXT)
            return []
        # Log only what helps operate the service: never the message, the sender or the place.
        logger.info("recommended %d services for situation=%s", len(result.items), situation)
        dispatcher.utter_message(text=result.text())
        if result.items:
            dispatcher.utter_message(json_message=result.payload())
        return []


class ActionCrisisFollowup(Action):
    """After the crisis answer: treat an acute crisis as the situation unless the form already has one."""

    def name(self) -> str:
        return "action_crisis_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        form_has_situation = tracker.active_loop.get("name") and tracker.get_slot("situation")
        if form_has_situation:
            return []
        return [SlotSet("situation", "crisis")]
