"""What ``make bench`` and the load test send: residents' own messages, no two conversations opening alike.

Ovi's processes remember recent query vectors (``ovi_lang.embeddings.QueryMemory``) and their word
analyses, so a benchmark repeating one message would time those memories, not the work a new resident's
message costs. The openings are residents' messages from sets written apart from the training data: the
turns of the development conversations (``bot/dev/conversations.yml``, whose places are those of the demo
directory) and, used here as traffic only (never to tune anything), of the evaluation conversations and the
held-out NLU set (``bot/eval``). Short answers (a place, a follow-up, thanks) repeat, as they do in real
conversations.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ovi_lang.municipalities import find_municipalities
from ovi_lang.needs import NEEDS
from ovi_stack import paths

DEV_CONVERSATIONS = paths.ROOT / "bot" / "dev" / "conversations.yml"
EVAL_CONVERSATIONS = paths.ROOT / "bot" / "eval" / "conversations.yml"
HELD_OUT = paths.ROOT / "bot" / "eval" / "nlu_heldout.yml"
FOLLOW_UPS = ("onko ne auki nyt", "onko muita vaihtoehtoja", "kerro lisää ekasta", "mikä sen numero on",
              "missä se on", "onko joku anonyymi")
THANKS = ("kiitos", "kiitti", "kiitos paljon", "kiitos avusta", "tack", "thanks")


@cache
def _yaml(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def _conversations() -> list[dict[str, Any]]:
    return _yaml(DEV_CONVERSATIONS)


def _held_out() -> list[dict[str, Any]]:
    return _yaml(HELD_OUT)


def openings() -> list[str]:
    """Every distinct resident's message about a need: the conversations' turns and the held-out messages
    of a need's intent (any language; some name the place, some are a crisis, as real openings are)."""
    texts = [str(turn) for c in [*_conversations(), *_yaml(EVAL_CONVERSATIONS)] for turn in c["turns"]]
    texts += [str(m["text"]) for m in _held_out() if m.get("intent") in NEEDS]
    return list(dict.fromkeys(texts))


def need_openings() -> list[str]:
    """Finnish messages about a need in which Ovi reads no place: its next turn asks where the person
    lives."""
    return [str(m["text"]) for m in _held_out()
            if m.get("intent") in NEEDS and m.get("intent") != "crisis"
            and (m.get("entities") or {}).get("language", "fi") == "fi"
            and not (m.get("entities") or {}).get("municipality") and not find_municipalities(str(m["text"]))]


def place_answers(*, own: bool = False) -> list[str]:
    """Every answer of the development conversations to "where do you live?"; ``own``: only those of
    residents writing for themselves (not for a close one or a client)."""
    return list(dict.fromkeys(str(c["answers"]["municipality"]) for c in _conversations()
                              if (c.get("answers") or {}).get("municipality")
                              and not (own and {"other_person", "client"} & set(c.get("tags") or ()))))


def places() -> list[str]:
    """The answers to "where do you live?" of residents writing for themselves in which Ovi reads a
    municipality (places of the demo directory). The timed turn is the one that recommends; an answer Ovi
    cannot place (d241's "asumme anjalassa": Anjala is in Kouvola and in Salo) is asked again, which the
    conversation tests cover, and an answer for someone else ("isän koti on Virolahdella, mä asun
    Lahdessa") names their place only after an opening about them."""
    return [answer for answer in place_answers(own=True) if find_municipalities(answer, expecting_place=True)]


def conversations(seed: int) -> Iterator[tuple[str, ...]]:
    """Endless scripts (opening, place, follow-up, thanks); the openings in a seeded random order, none
    again before every one has been used."""
    rng = random.Random(seed)
    pool, where = openings(), places()
    while True:
        rng.shuffle(pool)
        for opening in pool:
            yield opening, rng.choice(where), rng.choice(FOLLOW_UPS), rng.choice(THANKS)
