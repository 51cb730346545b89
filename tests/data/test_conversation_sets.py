"""The evaluation and development conversation sets are graded against what their directory really holds:
every graded service exists there, is active and serves the conversation's municipality (the municipality
itself, its wellbeing services county or the whole country); needs, places and answers are well formed.
A grade that points at a missing or unreachable service would make the figures of ``eval_conversations``
silently wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ovi_lang import codes
from ovi_lang.needs import SITUATION_KEYS, ordered

ROOT = Path(__file__).resolve().parents[2]
SETS = [
    ("bot/eval/conversations.yml", "directory_db/search_eval/data/directory.json"),
    ("bot/dev/conversations.yml", "directory_db/data/demo/kymenlaakso_demo.json"),
    ("bot/dev/conversations_varsinais_suomi.yml", "bot/dev/directory_varsinais_suomi.json"),
    ("bot/dev/conversations_pohjois_savo.yml", "bot/dev/directory_pohjois_savo.json"),
]


def _areas(service: dict[str, Any]) -> set[str]:
    """"FI", "kunta:CODE" or "hyvinvointialue:CODE" for each of the service's areas."""
    out: set[str] = set()
    for area in service.get("service_areas") or []:
        if area.get("extent") == "FI":
            out.add("FI")
        code = codes.parse_area_uri(area.get("uri") or "")
        if code is not None:
            out.add(f"{code.scheme}:{code.code}")
    return out


def _reaches(service: dict[str, Any], municipality: str) -> bool:
    county = codes.county_of(municipality)
    wanted = {"FI", f"kunta:{municipality}"} | ({f"hyvinvointialue:{county.code}"} if county else set())
    return bool(_areas(service) & wanted)


@pytest.mark.parametrize(("conversations", "directory"), SETS)
def test_every_graded_service_is_active_and_serves_the_place(conversations: str, directory: str) -> None:
    services = {s["id"]: s for s in json.loads((ROOT / directory).read_text("utf-8"))}
    problems: list[str] = []
    ids = [c["id"] for c in yaml.safe_load((ROOT / conversations).read_text("utf-8"))]
    assert len(ids) == len(set(ids)), "duplicate conversation ids"
    for c in yaml.safe_load((ROOT / conversations).read_text("utf-8")):
        where = f"{conversations} {c['id']}"
        if not {"municipality", "age"} <= set(c.get("answers") or {}):
            problems.append(f"{where}: answers need municipality and age")
        if codes.municipality(str(c["municipality"])) is None:
            problems.append(f"{where}: unknown municipality {c['municipality']!r}")
        if any(n not in SITUATION_KEYS for n in c["needs"]) or c["needs"][1:] != ordered(c["needs"][1:]):
            problems.append(f"{where}: needs {c['needs']} unknown or not in the table's order")
        if set(c["relevant"]) != set(c["needs"]):
            problems.append(f"{where}: relevant lists {sorted(c['relevant'])} ≠ needs {c['needs']}")
        for need, graded in c["relevant"].items():
            for sid, grade in (graded or {}).items():
                service = services.get(sid)
                if service is None:
                    problems.append(f"{where} {need}: {sid} is not in {directory}")
                elif service.get("status") != "active":
                    problems.append(f"{where} {need}: {service['name']} is {service.get('status')}")
                elif not _reaches(service, str(c["municipality"])):
                    problems.append(f"{where} {need}: {service['name']} does not serve {c['municipality']}")
                if grade not in (1, 2, 3):
                    problems.append(f"{where} {need}: grade {grade!r} of {sid}")
    assert problems == []
