"""Follow-up questions and the form's reading of the place, offline (Tracker.from_dict and
CollectingDispatcher, as Rasa's example bots)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionRecommendServices, ValidateSituationForm
from actions.followups import ActionFollowup
from directory_db.models import Service
from tests.actions.conftest import tracker

DOMAIN: dict[str, Any] = {"forms": {"situation_form": {"required_slots": ["situation", "municipality"]}},
                          "slots": {"situation": {}, "municipality": {}}}


async def _shown(situation: str = "mental_health", municipality: str = "285") -> list[str]:
    events = await ActionRecommendServices().run(CollectingDispatcher(), tracker(
        {"situation": situation, "municipality": municipality}), DOMAIN)
    return list(events[0]["value"])


async def _ask(intent: str, text: str, slots: dict[str, Any]) -> tuple[str, list[dict[str, Any]], list[Any]]:
    t = tracker(slots)
    t.latest_message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    dispatcher = CollectingDispatcher()
    events = await ActionFollowup().run(dispatcher, t, DOMAIN)
    text_out = "\n".join(m["text"] for m in dispatcher.messages if m.get("text"))
    return text_out, dispatcher.messages, events


async def test_more_options_are_new_services_and_are_remembered() -> None:
    shown = await _shown()
    slots = {"situation": "mental_health", "municipality": "285", "shown": shown}
    _, messages, events = await _ask("more_options", "onko muita", slots)
    more = [s["id"] for m in messages if m.get("custom") for s in m["custom"]["services"]]
    assert more and not set(more) & set(shown)
    assert events == [SlotSet("shown", shown + more)]


async def test_details_of_the_second_service_quote_its_description(demo_session: Any) -> None:
    shown = await _shown()
    second = demo_session.get(Service, shown[1])
    text, _, _ = await _ask("service_details", "kerro lisää toisesta", {"situation": "mental_health",
                                                                      "municipality": "285", "shown": shown})
    assert second.name in text and " ".join(second.description.split()[:5]) in text


async def test_open_now_answers_for_each_service_it_knows_hours_of(demo_session: Any) -> None:
    shown = await _shown()
    text, _, _ = await _ask("ask_open_now", "onko ne auki nyt", {"situation": "mental_health",
                                                                "municipality": "285", "shown": shown})
    names = [demo_session.get(Service, i).name for i in shown[:3]]
    assert all(name in text for name in names)


async def test_phone_of_the_first_service(demo_session: Any) -> None:
    shown = await _shown()
    text, _, _ = await _ask("ask_phone", "mikä sen ekan numero on", {"situation": "mental_health",
                                                                    "municipality": "285", "shown": shown})
    first = demo_session.get(Service, shown[0])
    assert first.name in text and text.count("puh.") == 1


async def test_location_gives_a_map_link_or_says_there_is_no_public_address() -> None:
    shown = await _shown("homelessness")
    text, _, _ = await _ask("ask_location", "missä ne on", {"situation": "homelessness",
                                                            "municipality": "285", "shown": shown})
    assert "openstreetmap.org/search?query=" in text or "ei julkista käyntiosoitetta" in text


async def test_follow_ups_before_any_services_explain_instead_of_failing() -> None:
    slots = {"situation": None, "municipality": None}
    text, messages, events = await _ask("ask_open_now", "onko auki", slots)
    assert "En ole vielä ehdottanut" in text and events == [] and len(messages) == 1


async def test_a_story_half_read_as_a_follow_up_before_any_services_gets_its_needs_as_buttons() -> None:
    slots = {"situation": None, "municipality": None}
    story = ("tilasin vaatteita maksa myöhemmin -jutuilla ja nyt laskuja tulee kymmenestä paikasta, "
             "ekat meni jo perintätoimistolle")
    text, messages, events = await _ask("service_details", story, slots)
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert "/debt" in payloads and "En ole vielä ehdottanut" not in text and events == []


async def test_a_human_is_offered_the_services_phones_and_a_24_7_line() -> None:
    shown = await _shown()
    slots = {"situation": "mental_health", "municipality": "285", "shown": shown}
    text, _, _ = await _ask("ask_human", "voinko puhua ihmisen kanssa", slots)
    assert "puh." in text and "09 2525 0111" in text


async def test_anonymous_only_is_remembered() -> None:
    _, _, events = await _ask("anonymous_only", "haluun olla nimettömänä",
                              {"situation": "debt", "municipality": "285", "shown": await _shown("debt")})
    assert SlotSet("anonymous_only", True) in events


async def _extract(text: str, requested: str | None, municipality: str | None = None) -> dict[str, Any]:
    t = tracker({"situation": "debt", "municipality": municipality, "requested_slot": requested}, text=text)
    return await ValidateSituationForm().extract_municipality(CollectingDispatcher(), t, DOMAIN)


@pytest.mark.parametrize(("text", "code"), [("kolari", "273"), ("Simo", "751"), ("salo", "734")])
async def test_a_bare_ambiguous_name_is_the_place_when_the_bot_asked_for_it(text: str, code: str) -> None:
    assert await _extract(text, "municipality") == {"municipality": code}


async def test_a_bare_ambiguous_name_is_not_a_place_when_the_bot_did_not_ask() -> None:
    assert await _extract("kolari", "situation") == {}


async def test_an_invalid_municipality_value_is_rejected() -> None:
    validated = await ValidateSituationForm().validate_municipality("999", CollectingDispatcher(),
                                                                    tracker({}), DOMAIN)
    assert validated == {"municipality": None}


@pytest.mark.parametrize(("for_whom", "code"), [("close_one", "935"), ("self", "398")])
async def test_for_someone_else_the_place_is_where_they_live(for_whom: str, code: str) -> None:
    # Rasa's mapping filled Lahti (where the writer lives); the parents the help is for live in Virolahti.
    text = "isän ja äidin koti on Virolahden Klamilassa, mä asun Lahdessa"
    t = tracker({"situation": "family_carer", "for_whom": for_whom, "requested_slot": "municipality"},
                text=text)
    validated = await ValidateSituationForm().validate_municipality("398", CollectingDispatcher(), t, DOMAIN)
    assert validated == {"municipality": code}


@pytest.mark.parametrize(("for_whom", "code"), [("close_one", None), ("self", "091")])
async def test_for_someone_else_the_writers_own_home_is_no_answer(for_whom: str, code: str | None) -> None:
    # The mother the help is for lives elsewhere; the form asks again rather than search Helsinki.
    text = "siivous alkaa olla hänelle liikaa. Itse asun Helsingissä enkä pääse käymään kuin kerran kuussa"
    t = tracker({"situation": "elderly", "for_whom": for_whom}, text=text)
    validated = await ValidateSituationForm().validate_municipality("091", CollectingDispatcher(), t, DOMAIN)
    assert validated == {"municipality": code}
