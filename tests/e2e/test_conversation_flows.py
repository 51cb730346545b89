"""Issue 8's conversations over the real REST webhook of the running stack (demo directory, trained model):
a vague opening, several needs at once, for someone else, an area fallback, follow-ups, Swedish and English,
restart and feedback. Each test is a whole conversation as a resident would have it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Chat, service_lists

pytestmark = pytest.mark.e2e


def _texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r["text"] for r in replies if r.get("text"))


def _services(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lists = service_lists(replies)
    assert len(lists) == 1, replies
    services: list[dict[str, Any]] = lists[0]["services"]
    return services


def test_a_vague_opening_gets_a_guiding_question_with_buttons(chat: Chat) -> None:
    replies = chat.say("moi, tarviin vähän apua")
    buttons = [b for r in replies for b in r.get("buttons") or []]
    assert len(buttons) >= 8, replies
    assert "Anteeksi" not in _texts(replies) and "112" not in _texts(replies)
    # A button is a need: the form asks where the person lives next.
    payload = next(b["payload"] for b in buttons if b["payload"] == "/debt")
    assert "Missä kunnassa asut" in _texts(chat.say(payload))
    services = _services(chat.say("kotkassa"))
    assert {s["need"] for s in services} == {"debt"}


def test_several_needs_in_one_message_are_all_answered_in_urgency_order(chat: Chat) -> None:
    chat.say("velkoja on niin paljon etten pysty maksaa vuokraa ja nyt tuli häätö, ja juon liikaa")
    replies = chat.say("asun kotkassa")
    services = _services(replies)
    order = list(dict.fromkeys(s["need"] for s in services))
    assert order == ["homelessness", "substance_use", "debt"], order
    text = _texts(replies)
    assert text.index("Asuminen") < text.index("Päihteet") < text.index("Velat"), text


def test_for_someone_else_the_close_ones_get_their_own_service(chat: Chat) -> None:
    # The place is asked of the mother, not of the writer.
    replies = chat.say("äitini juo ihan liikaa joka päivä enkä tiedä miten auttaa")
    assert "Missä kunnassa hän asuu" in _texts(replies), replies
    services = _services(chat.say("kouvola"))
    assert any(s["for_close_ones"] for s in services), [s["name"] for s in services]
    assert all(s["need"] == "substance_use" for s in services)


def test_nothing_in_the_municipality_falls_back_to_nationwide_and_says_so(chat: Chat) -> None:
    chat.say("mulla on hirveesti velkoja ja ulosotto")
    replies = chat.say("asun utsjoella")
    services = _services(replies)
    assert services and all(s["area_level"] not in ("municipality", "county") for s in services)
    assert "valtakunnallisia" in _texts(replies)


def test_follow_ups_more_details_open_now_where_phone_and_a_human(chat: Chat) -> None:
    chat.say("oon ollu tosi masentunu ja ahdistunu")
    first = _services(chat.say("kotka"))
    shown = {s["id"] for s in first}

    more = _services(chat.say("onko muita vaihtoehtoja"))
    assert more and not shown & {s["id"] for s in more}

    details = _texts(chat.say("kerro lisää ekasta"))
    assert first[0]["name"] in details

    open_now = _texts(chat.say("onko ne auki nyt"))
    assert first[0]["name"] in open_now
    assert any(word in open_now for word in ("auki nyt", "kiinni juuri nyt", "ympäri vuorokauden",
                                             "aukioloajat eivät"))

    where = _texts(chat.say("missä se toinen on"))
    assert first[1]["name"] in where and ("openstreetmap" in where or "ei julkista" in where)

    phone = _texts(chat.say("mikä sen ekan puhelinnumero on"))
    assert first[0]["name"] in phone and (first[0]["phone"] or "ei ole") in phone

    human = _texts(chat.say("voinko puhua oikean ihmisen kanssa"))
    assert "09 2525 0111" in human


def test_anonymous_only_lists_only_anonymous_services(chat: Chat) -> None:
    chat.say("pelaan rahapelejä liikaa")
    _services(chat.say("hamina"))
    services = _services(chat.say("haluun olla nimettömänä, ei mitään merkintöjä"))
    assert services and all(s["anonymous"] for s in services)


def test_a_swedish_conversation_stays_in_swedish(chat: Chat) -> None:
    replies = chat.say("Hej, jag har stora skulder och vet inte vad jag ska göra")
    assert "I vilken kommun bor du" in _texts(replies), replies
    replies = chat.say("jag bor i Kotka")
    assert _services(replies)
    assert "Här är tjänster" in _texts(replies)
    assert "Var det här" in _texts(chat.say("nej tack")) or "Kan jag" in _texts(replies)


def test_an_english_conversation_stays_in_english(chat: Chat) -> None:
    replies = chat.say("hi, I lost my job and I don't know how to pay my rent")
    assert "Which municipality" in _texts(replies), replies
    replies = chat.say("I live in Kouvola")
    assert _services(replies) and "Here is help" in _texts(replies) or "Here are services" in _texts(replies)


def test_restart_forgets_the_conversation(chat: Chat) -> None:
    chat.say("mulla ei oo kämppää")
    _services(chat.say("kotka"))
    replies = chat.say("aloitetaan alusta")
    assert "alusta" in _texts(replies).lower()
    # The place is forgotten: a new need asks for it again.
    assert "Missä kunnassa asut" in _texts(chat.say("tarviin apua velkoihin"))


def test_feedback_at_the_end(chat: Chat) -> None:
    chat.say("oon yksinäinen")
    _services(chat.say("kotkassa"))
    replies = chat.say("ei kiitos")
    assert "Oliko tästä apua" in _texts(replies)
    assert "Kiitos vastauksesta" in _texts(chat.say("kyllä"))


def test_a_name_that_is_also_a_municipality_is_not_taken_as_the_place(chat: Chat) -> None:
    replies = chat.say("Simo lyö mua kun se juo")
    assert "Missä kunnassa asut" in _texts(replies), replies
    # As the answer to "where do you live", a bare "Kolari" is the municipality Kolari.
    services = _services(chat.say("kolari"))
    assert services


def test_a_place_answer_with_a_typo_or_a_part_of_town_gets_services_there(chat: Chat) -> None:
    chat.say("mulla on hirveesti velkoja")
    replies = chat.say("hamianssa")  # Haminassa, two letters swapped
    services = _services(replies)
    assert "(Hamina)" in _texts(replies) and "En tunnistanut" not in _texts(replies), replies
    assert all(s["need"] == "debt" for s in services)
