"""Ovi's custom actions offline: Tracker.from_dict fixtures and CollectingDispatcher (as Rasa's examples)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import session as action_session
from actions.actions import ActionCrisisFollowup, ActionRecommendServices, situation_words
from ovi_lang.needs import SITUATION_KEYS
from tests.actions.conftest import tracker

DOMAIN: dict[str, Any] = {}


async def _recommend(slots: dict[str, Any]) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionRecommendServices().run(dispatcher, tracker(slots), DOMAIN)
    assert events == []
    return dispatcher.messages


def _service_list(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert len(payloads) == 1, messages
    assert payloads[0]["type"] == "service_list"
    services: list[dict[str, Any]] = payloads[0]["services"]
    return services


async def test_homelessness_in_kotka_mixes_ngo_and_public_services() -> None:
    messages = await _recommend({"situation": "homelessness", "municipality": "285"})
    services = _service_list(messages)
    assert 3 <= len(services) <= 5
    assert {"ngo", "public"} <= {s["provider_type"] for s in services}
    expected = {"id", "name", "organization", "provider_type", "phone", "url", "address", "why",
                "opening_hours"}
    for service in services:
        assert set(service) == expected
        assert service["why"].endswith(".") and "asumiseen" in service["why"]
    text = messages[0]["text"]
    assert "Kotka" in text and services[0]["name"] in text


@pytest.mark.parametrize("situation", SITUATION_KEYS)
@pytest.mark.parametrize("municipality", ["285", "286", "075"])
async def test_every_situation_has_ngo_and_public_help_in_the_demo_towns(situation: str,
                                                                         municipality: str) -> None:
    services = _service_list(await _recommend({"situation": situation, "municipality": municipality}))
    assert len(services) >= 3
    assert {"ngo", "public"} <= {s["provider_type"] for s in services}


async def test_a_crisis_in_the_conversation_puts_24_7_help_first() -> None:
    messages = await _recommend({"situation": "homelessness", "municipality": "285",
                                 "crisis_kind": "suicidal"})
    first = _service_list(messages)[0]
    assert "ympäri vuorokauden" in first["why"]


async def test_a_municipality_outside_the_demo_area_still_gets_nationwide_services() -> None:
    services = _service_list(await _recommend({"situation": "mental_health", "municipality": "564"}))
    assert services
    assert all("valtakunnallinen" in s["why"] for s in services)


async def test_missing_slots_ask_instead_of_guessing() -> None:
    messages = await _recommend({"situation": None, "municipality": "285"})
    assert len(messages) == 1 and "Kerro" in messages[0]["text"]


async def test_nothing_personal_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await _recommend({"situation": "debt", "municipality": "285"})
    logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("actions"))
    assert "recommended" in logged  # the action does log: check what it logs, not that it is silent
    assert "test-sender" not in logged and "285" not in logged and "Kotka" not in logged


async def test_crisis_followup_sets_crisis_as_the_situation_outside_a_form() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionCrisisFollowup().run(dispatcher, tracker({}), DOMAIN)
    assert events == [SlotSet("situation", "crisis")]
    assert dispatcher.messages == []


async def test_crisis_followup_keeps_the_situation_the_form_is_collecting() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"situation": "homelessness"}
    events = await ActionCrisisFollowup().run(dispatcher, tracker(slots, active_loop="situation_form"),
                                              DOMAIN)
    assert events == []


async def test_a_directory_that_is_down_gets_a_plain_answer(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    # A real SQLite URL whose folder does not exist: connecting fails as with a database that is down.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'ovi.sqlite3'}")
    action_session._factory.cache_clear()
    messages = await _recommend({"situation": "debt", "municipality": "285"})
    assert len(messages) == 1 and not messages[0].get("custom")
    assert "112" in messages[0]["text"] and "hakemisto" in messages[0]["text"]


def _tracker_with_words(situation: str, words: list[str]) -> Any:
    t = tracker({"situation": situation, "municipality": "285"})
    t.events = [
        {"event": "user", "text": w, "parse_data": {"intent": {"name": situation, "confidence": 0.9}}}
        for w in words
    ] + [{"event": "user", "text": "Kotka", "parse_data": {"intent": {"name": "inform_municipality"}}}]
    return t


def test_situation_words_are_the_messages_of_that_situation_only() -> None:
    t = _tracker_with_words("debt", ["pikavipit kasautuu", "ulosotossa jo kaks"])
    assert situation_words(t, "debt") == "pikavipit kasautuu ulosotossa jo kaks"


async def test_the_residents_own_words_order_the_services() -> None:
    async def first_names(words: list[str]) -> list[str]:
        dispatcher = CollectingDispatcher()
        await ActionRecommendServices().run(dispatcher, _tracker_with_words("debt", words), DOMAIN)
        return [s["name"] for s in _service_list(dispatcher.messages)]

    quick_loans = await first_names(["pikavipit on ihan karannu käsistä"])
    rent = await first_names(["en pysty maksaa vuokraa, toimeentulo loppu"])
    assert quick_loans != rent
