"""The walking skeleton's conversations over the real REST webhook of the running stack."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from ovi_lang.codes import SCHEMES
from ovi_stack.run import Stack
from tests.e2e.conftest import Chat, get_json, service_lists

pytestmark = pytest.mark.e2e

KOTKA_AREAS = {
    f"{SCHEMES['kunta']}/code/285",
    f"{SCHEMES['hyvinvointialue']}/code/10",
    f"{SCHEMES['maakunta']}/code/08",
}


def _texts(replies: list[dict[str, Any]]) -> list[str]:
    return [r["text"] for r in replies if r.get("text")]


def _serves_kotka(service: dict[str, Any]) -> bool:
    areas = service.get("service_areas") or []
    return any(a.get("uri") in KOTKA_AREAS or a.get("extent") == "FI" for a in areas)


def _assert_crisis_first(replies: list[dict[str, Any]]) -> None:
    assert replies, "no reply"
    first = replies[0].get("text") or ""
    assert "112" in first, first
    assert "09 2525 0111" in first, first
    assert "24/7" in first, first


def test_homeless_person_in_kotka_gets_ngo_and_public_services(chat: Chat, stack: Stack) -> None:
    replies = chat.say("mulla ei oo kämppää")
    assert any("Missä kunnassa asut" in t for t in _texts(replies)), replies
    assert not service_lists(replies)

    replies = chat.say("Kotkassa")
    lists = service_lists(replies)
    assert len(lists) == 1, replies
    services = lists[0]["services"]
    assert len(services) >= 3
    assert {"ngo", "public"} <= {s["provider_type"] for s in services}
    for item in services:
        assert item["name"] and item["organization"] and item["why"], item
        assert item["why"].endswith("."), item["why"]
        full = get_json(f"{stack.web_url}/api/hsds/services/{item['id']}")
        assert _serves_kotka(full), (item["name"], full.get("service_areas"))
    assert any("Kotka" in t for t in _texts(replies)), replies


def test_crisis_mid_form_is_answered_first_and_the_form_continues(chat: Chat) -> None:
    chat.say("mulla ei oo kämppää")
    replies = chat.say("en jaksa enää elää")
    _assert_crisis_first(replies)
    assert any("Missä kunnassa asut" in t for t in _texts(replies)), replies

    replies = chat.say("kouvolasta")
    services = service_lists(replies)[0]["services"]
    assert len(services) >= 3


def test_crisis_as_the_first_message(chat: Chat) -> None:
    replies = chat.say("en jaksa enää elää")
    _assert_crisis_first(replies)


def test_crisis_after_recommendations(chat: Chat) -> None:
    chat.say("mulla on tosi paljon velkoja")
    assert service_lists(chat.say("asun haminassa"))
    _assert_crisis_first(chat.say("en jaksa enää elää"))


def test_violence_happening_now_gets_112_and_nollalinja(chat: Chat) -> None:
    # Issue #6: violence gets 112 and Nollalinja, the line for violence (no longer also the crisis line).
    replies = chat.say("mies uhkaa tappaa mut")
    first = replies[0]["text"]
    assert "112" in first and "080 005 005" in first and "24/7" in first, first
    assert first.index("112") < first.index("080 005 005")


def test_place_first_then_situation(chat: Chat) -> None:
    replies = chat.say("asun kouvolassa")
    assert not service_lists(replies)
    replies = chat.say("juon liikaa viinaa")
    services = service_lists(replies)[0]["services"]
    assert len(services) >= 3


def test_nlu_normalises_places_to_official_codes(stack: Stack) -> None:
    cases = {"asun hameenlinnassa": "109", "Haminaan": "075", "kouvolasta": "286", "Kotkassa": "285"}
    for text, code in cases.items():
        body = json.dumps({"text": text}).encode()
        request = urllib.request.Request(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            parsed = json.loads(response.read())
        assert parsed["intent"]["name"] == "inform_municipality", (text, parsed["intent"])
        assert [e["value"] for e in parsed["entities"] if e["entity"] == "municipality"] == [code], text


@pytest.mark.parametrize(("answer", "town"), [
    ("kuusankoskella", "Kouvola"),  # a former municipality, part of Kouvola since 2009
    ("mummo asuu virojoella", "Virolahti"),  # a village
    ("karhulas", "Kotka"),  # a part of town, spoken inessive
])
def test_a_part_of_town_or_village_answers_where_do_you_live(chat: Chat, answer: str, town: str) -> None:
    assert any("Missä kunnassa asut" in t for t in _texts(chat.say("mulla on tosi paljon velkoja")))
    replies = chat.say(answer)
    assert service_lists(replies), replies
    assert any(f"({town})" in t for t in _texts(replies)), replies


def test_a_place_answer_with_no_known_municipality_is_told_so_and_asked_again(chat: Chat) -> None:
    # "Anjala" is a part of Kouvola and of Salo: the bot cannot tell which. It must not forget the need
    # and ask what the matter is (Rasa's default fallback did).
    chat.say("mulla on tosi paljon velkoja")
    replies = chat.say("asumme anjalassa")
    texts = _texts(replies)
    assert any("En tunnistanut vastauksesta kuntaa" in t for t in texts), replies
    assert not any("Missä asiassa kaipaat apua" in t for t in texts), replies
    replies = chat.say("Kouvola")
    assert service_lists(replies), replies
    assert any("(Kouvola)" in t for t in _texts(replies)), replies


def test_the_place_moved_to_is_where_the_person_lives(chat: Chat) -> None:
    replies = chat.say("muutin haminaan espoosta ja velkoja on tosi paljon, ulosotto vie palkan")
    lists = service_lists(replies)
    assert lists, replies
    assert any("(Hamina)" in t for t in _texts(replies)), replies


@pytest.mark.parametrize(("message", "intent"), [("moikkelis", "greet"), ("kiitti hirveesti", "thanks")])
def test_short_small_talk_is_understood(stack: Stack, message: str, intent: str) -> None:
    body = json.dumps({"text": message}).encode()
    request = urllib.request.Request(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["intent"]["name"] == intent
