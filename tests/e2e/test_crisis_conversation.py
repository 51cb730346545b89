"""Crisis answers over the real REST webhook of the running stack: every kind, in every state of the
conversation, in Finnish, Swedish and English, and with the action server and the directory down.

The expected numbers are the real 24/7 lines the issue names (112, MIELI's crisis line, the Poison
Information Centre, Nollalinja): a change in them must fail here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ovi_stack.model_cache import current_model_path
from ovi_stack.run import Ports, Stack
from tests.e2e.conftest import Chat, service_lists

pytestmark = pytest.mark.e2e

CRISIS_LINE = "09 2525 0111"
POISON = "0800 147 111"
NOLLALINJA = "080 005 005"

# One plainly acute message per kind, and the 24/7 line that must follow 112 (None: 112 alone).
KINDS = [
    ("suicidal", "mä en jaksa enää elää, mietin itsemurhaa", CRISIS_LINE),
    ("self_harm", "viiltelen just nyt itseäni enkä saa lopetettua", CRISIS_LINE),
    ("overdose", "kaveri otti kokonaisen purkin unilääkkeitä äsken", POISON),
    ("medical", "isä on tajuton lattialla", None),
    ("violence_now", "mies hakkaa mua just nyt", NOLLALINJA),
    ("child_in_danger", "kolmevuotias on yksin kotona ja äiti lähti baariin", None),
]


def crisis_payload(replies: list[dict[str, Any]]) -> dict[str, Any]:
    """The crisis payload, which must ride on the first message of the reply, next to its text."""
    assert replies, "no reply"
    first = replies[0]
    custom = first.get("custom")
    assert isinstance(custom, dict) and custom.get("type") == "crisis", replies
    assert "112" in (first.get("text") or ""), first
    return custom


def assert_lines(custom: dict[str, Any], second: str | None) -> None:
    phones = [line["phone"] for line in custom["lines"]]
    assert phones[0] == "112", phones
    assert all(line["available"] == "24/7" and line["name"] for line in custom["lines"]), custom
    if second:
        assert second in phones, phones


@pytest.mark.parametrize(("kind", "message", "line"), KINDS, ids=[k for k, _, _ in KINDS])
def test_each_kind_as_the_first_message(chat: Chat, kind: str, message: str, line: str | None) -> None:
    replies = chat.say(message)
    custom = crisis_payload(replies)
    assert custom["kind"] == kind
    assert_lines(custom, line)
    if line:
        assert line in replies[0]["text"]
    # Never a dead end: the conversation goes on (Ovi asks where the person lives to find help nearby).
    assert any("Missä kunnassa" in (r.get("text") or "") for r in replies[1:]), replies


# Other wordings of each kind, for the conversations below.
LATER = [
    ("suicidal", "kirjotin jo jäähyväiskirjeen ja aion tappaa itteni tänä yönä", CRISIS_LINE),
    ("self_harm", "mulla on partaterä kädessä ja haluun viiltää", CRISIS_LINE),
    ("overdose", "poika joi astianpesuainetta", POISON),
    ("medical", "vaimon suupieli roikkuu ja puhe sammaltaa", None),
    ("violence_now", "ex yrittää murtautua sisään ja sillä on puukko", NOLLALINJA),
    ("child_in_danger", "taapero kävelee yksin autotien reunalla", None),
]


@pytest.mark.parametrize(("kind", "message", "line"), LATER, ids=[k for k, _, _ in LATER])
def test_each_kind_inside_the_form_then_services(chat: Chat, kind: str, message: str,
                                                 line: str | None) -> None:
    assert "Missä kunnassa" in " ".join(r.get("text", "") for r in chat.say("mulla ei oo kämppää"))
    replies = chat.say(message)
    custom = crisis_payload(replies)
    assert custom["kind"] == kind
    assert_lines(custom, line)
    assert any("Missä kunnassa" in (r.get("text") or "") for r in replies[1:]), replies
    services = service_lists(chat.say("kotkassa"))
    assert services and len(services[0]["services"]) >= 3


@pytest.mark.parametrize(("kind", "message", "line"), LATER, ids=[k for k, _, _ in LATER])
def test_each_kind_after_recommendations(chat: Chat, kind: str, message: str, line: str | None) -> None:
    chat.say("mulla on tosi paljon velkoja")
    assert service_lists(chat.say("asun haminassa"))
    custom = crisis_payload(chat.say(message))
    assert custom["kind"] == kind
    assert_lines(custom, line)


def test_after_the_acute_help_the_list_answers_what_else_the_message_was_about(chat: Chat) -> None:
    replies = chat.say("tehdas lopetti ja mut irtisanottiin, en jaksa enää elää")
    assert crisis_payload(replies)["kind"] == "suicidal"
    services = service_lists(chat.say("kotkassa"))[0]["services"]
    assert services[0]["always_open"], services[0]
    # Never only crisis lines: the lost job the person told of gets its own services after them.
    needs = [s["need"] for s in services]
    assert needs.count("unemployment") >= 2, [(s["name"], s["need"]) for s in services]


def test_swedish_crisis_is_answered_in_swedish(chat: Chat) -> None:
    replies = chat.say("jag vill inte leva längre")
    custom = crisis_payload(replies)
    assert custom["kind"] == "suicidal"
    assert custom["lines"][0]["name"] == "Nödnumret"
    assert "Ring" in replies[0]["text"] or "ring" in replies[0]["text"]
    assert any("kommun" in (r.get("text") or "") for r in replies[1:]), replies


def test_english_crisis_is_answered_in_english(chat: Chat) -> None:
    replies = chat.say("my friend took too many pills and is not breathing properly")
    custom = crisis_payload(replies)
    assert custom["kind"] == "overdose"  # pills taken, breathing badly: 112 and the Poison Information Centre
    assert custom["lines"][0]["name"] == "Emergency number"
    assert "call" in replies[0]["text"].lower()
    assert any("municipality" in (r.get("text") or "") for r in replies[1:]), replies


def test_a_message_not_understood_gets_a_guiding_question_not_112(chat: Chat) -> None:
    replies = chat.say("qwerty zxcv")
    assert replies and not any(isinstance(r.get("custom"), dict) for r in replies), replies
    assert not any("112" in (r.get("text") or "") for r in replies), replies
    assert any(r.get("buttons") for r in replies), replies


@pytest.fixture(scope="module")
def rasa_alone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Rasa with its action endpoint pointing at a port nobody listens on, and no directory at all."""
    work = tmp_path_factory.mktemp("rasa-alone")
    missing_db = f"sqlite:///{work / 'missing' / 'ovi.sqlite3'}"
    running = Stack(ports=Ports.free(), database_url=missing_db, model=current_model_path(),
                    log_dir=work / "logs")
    running.start(timeout=400, only=("rasa",))
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize(("kind", "message", "line"), KINDS[:1] + KINDS[2:3] + KINDS[4:5],
                         ids=["suicidal", "overdose", "violence_now"])
def test_crisis_answer_works_with_the_action_server_and_directory_down(
        rasa_alone: Stack, kind: str, message: str, line: str | None) -> None:
    assert "actions" not in rasa_alone.processes
    replies = Chat(rasa_alone).say(message)
    custom = crisis_payload(replies)
    assert custom["kind"] == kind
    assert_lines(custom, line)

