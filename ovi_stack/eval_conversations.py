"""End-to-end evaluation of conversations: ``python -m ovi_stack.eval_conversations`` (``make eval``).

The conversations of ``bot/eval/conversations.yml`` (written by an author who did not see the training data)
are played over Rasa's REST webhook against the whole running stack (trained model, action server, search)
on a test directory that is not the demo data (``directory_db/search_eval/data/directory.json``: Pirkanmaa
and Pohjois-Pohjanmaa, 118 services). The resident's turns are sent in order; when the bot asks where the
person lives (the tracker's ``requested_slot``), the conversation's prepared answer is sent.

Other data can be chosen: ``--conversations FILE`` (default ``bot/eval/conversations.yml``), ``--directory
FILE`` (an HSDS JSON directory, default the test directory above) and ``--results NAME`` (the file written
under ``results/``, default ``conversation_eval.json``). The development set ``bot/dev/conversations.yml`` is
graded against the demo directory, so it is run with ``--conversations bot/dev/conversations.yml --directory
directory_db/data/demo/kymenlaakso_demo.json --results conversation_dev.json`` (paths relative to the current
directory); its figures are for finding errors, not a quality measure (those come from ``bot/eval`` only).

Scores, over the first service list the conversation gets:

- **main need hit**: a service graded relevant for the main need (grade ≥ 1; also reported for ≥ 2) is
  among the first five services. The goal is 95 %. When the conversation got no services but the bot
  offered the resident's need as a button ("is it one of these?"), the resident presses it, as a person
  would; the share without such a press is reported too.
- **other needs**: for multi-need conversations, the share of the other needs whose own part of the list
  holds a relevant service; reported apart, the share answered by any list of the conversation (the resident
  answers "where do you live?" at once, so a need told in a later message can only get a later list).
- conversations that ended with no recommendation at all, and the time per turn.

Writes ``results/conversation_eval.json`` (or the ``--results`` name) and prints shares by tag, need and
language.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from ovi_stack import paths
from ovi_stack.model_cache import current_model_path
from ovi_stack.run import Ports, Stack

CONVERSATIONS = paths.ROOT / "bot" / "eval" / "conversations.yml"
DIRECTORY = paths.ROOT / "directory_db" / "search_eval" / "data" / "directory.json"
RESULTS = paths.ROOT / "results"
TOP = 5


def _post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


class Player:
    """Plays one conversation: its turns, then the prepared answer when the bot asks for the place."""

    def __init__(self, stack: Stack, *, verbose: bool = False) -> None:
        self.stack = stack
        self.verbose = verbose
        self.sender = f"eval-{uuid.uuid4().hex}"
        self.replies: list[dict[str, Any]] = []
        self.turn_seconds: list[float] = []
        self.clicked = False

    def say(self, text: str) -> list[dict[str, Any]]:
        started = time.perf_counter()
        body = {"sender": self.sender, "message": text}
        replies = _post(f"{self.stack.rasa_url}/webhooks/rest/webhook", body)
        self.turn_seconds.append(time.perf_counter() - started)
        self.replies += replies
        if self.verbose:
            print(f"> {text}")
            print(f"  · {self._understood()}")
            for reply in replies:
                services = (reply.get("custom") or {}).get("services") or []
                print(f"  < {(reply.get('text') or '')[:160]!r} {[s['name'] for s in services]}")
        return list(replies)

    def _tracker(self) -> dict[str, Any]:
        url = f"{self.stack.rasa_url}/conversations/{self.sender}/tracker?token={self.stack.rasa_token}"
        tracker: dict[str, Any] = _get(url)
        return tracker

    def _understood(self) -> str:
        """What the bot made of the latest message (for --verbose): intent, entities and the key slots."""
        tracker = self._tracker()
        latest = tracker.get("latest_message") or {}
        intent = latest.get("intent") or {}
        entities = [f"{e.get('entity')}={e.get('value')}" for e in latest.get("entities") or []]
        slots = tracker.get("slots") or {}
        keys = ("situation", "municipality", "requested_slot", "crisis_kind")
        return (f"{intent.get('name')} {float(intent.get('confidence') or 0):.2f} {entities} "
                + " ".join(f"{k}={slots.get(k)}" for k in keys))

    def requested_slot(self) -> str | None:
        slot = (self._tracker().get("slots") or {}).get("requested_slot")
        return str(slot) if slot else None

    def service_lists(self) -> list[list[dict[str, Any]]]:
        return [r["custom"]["services"] for r in self.replies
                if isinstance(r.get("custom"), dict) and r["custom"].get("type") == "service_list"]

    def play(self, conversation: dict[str, Any]) -> None:
        answered: set[str] = set()
        answers = conversation.get("answers") or {}
        for text in conversation["turns"]:
            self.say(text)
            self._answer_questions(answers, answered)
        self._answer_questions(answers, answered)
        if not self.service_lists():
            # A resident shown a button for their situation presses it (counted apart as "clicked").
            payload = self._button_for(conversation["needs"])
            if payload:
                self.clicked = True
                self.say(payload)
                self._answer_questions(answers, answered)

    def _button_for(self, needs: list[str]) -> str | None:
        for reply in reversed(self.replies):
            payloads = [str(b.get("payload")) for b in reply.get("buttons") or []]
            if payloads:
                return next((p for p in payloads if p.lstrip("/") in needs), None)
        return None

    def _answer_questions(self, answers: dict[str, str], answered: set[str]) -> None:
        for _ in range(2):
            slot = self.requested_slot()
            if slot is None or slot in answered or slot not in answers:
                return
            answered.add(slot)
            self.say(answers[slot])


def judge(conversation: dict[str, Any], lists: list[list[dict[str, Any]]]) -> dict[str, Any]:
    needs: list[str] = conversation["needs"]
    relevant: dict[str, dict[str, int]] = conversation.get("relevant") or {}
    first = lists[0] if lists else []
    top_ids = [s["id"] for s in first[:TOP]]
    main = relevant.get(needs[0], {})
    others, others_later = {}, {}
    for need in needs[1:]:
        graded = relevant.get(need, {})
        own = [s["id"] for s in first if s.get("need") == need]
        others[need] = any(graded.get(i, 0) >= 1 for i in own)
        # A need told in a later message is answered by a later list: counted apart, never instead.
        later = [s["id"] for shown in lists for s in shown if s.get("need") == need]
        others_later[need] = any(graded.get(i, 0) >= 1 for i in later)
    return {
        "id": conversation["id"],
        "recommended": bool(first),
        "main_hit": any(main.get(i, 0) >= 1 for i in top_ids),
        "main_hit_strict": any(main.get(i, 0) >= 2 for i in top_ids),
        "other_needs": others,
        "other_needs_any_list": others_later,
        "needs_shown": sorted({s.get("need") for s in first if s.get("need")}),
        "top": [(s["name"], main.get(s["id"], 0)) for s in first[:TOP]],
    }


def _share(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def summarise(conversations: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    by: dict[str, dict[str, list[bool]]] = {"tag": defaultdict(list), "need": defaultdict(list),
                                            "language": defaultdict(list)}
    for conversation, result in zip(conversations, results, strict=True):
        for tag in conversation.get("tags") or []:
            by["tag"][tag].append(result["main_hit"])
        by["need"][conversation["needs"][0]].append(result["main_hit"])
        by["language"][conversation.get("language", "fi")].append(result["main_hit"])
    other = [hit for r in results for hit in r["other_needs"].values()]
    other_any = [hit for r in results for hit in r.get("other_needs_any_list", {}).values()]
    return {
        "conversations": len(results),
        "main_hit": _share([r["main_hit"] for r in results]),
        "main_hit_without_clicks": _share([r["main_hit"] and not r["clicked"] for r in results]),
        "clicked": sum(r["clicked"] for r in results),
        "main_hit_strict": _share([r["main_hit_strict"] for r in results]),
        "no_recommendation": _share([not r["recommended"] for r in results]),
        "other_needs_hit": _share(other),
        "other_needs": len(other),
        "other_needs_hit_any_list": _share(other_any),
        **{f"by_{k}": {key: {"n": len(v), "hit": _share(v)} for key, v in sorted(d.items())}
           for k, d in by.items()},
    }


def _import_directory(database_url: str, directory: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(paths.ROOT)}
    for args in (["init"], ["import", str(directory), "--format", "hsds-json"]):
        subprocess.run([str(paths.APP_PYTHON), "-m", "directory_db", *args], check=True, env=env,
                       cwd=paths.ROOT, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="conversation ids to play (default: all)")
    parser.add_argument("--verbose", action="store_true", help="print every turn and the bot's replies")
    parser.add_argument("--conversations", type=Path, default=CONVERSATIONS,
                        help="conversations YAML (default: bot/eval/conversations.yml)")
    parser.add_argument("--directory", type=Path, default=DIRECTORY,
                        help="HSDS JSON directory to import (default: the test directory)")
    parser.add_argument("--results", default="conversation_eval.json",
                        help="file name under results/ (default: conversation_eval.json)")
    args = parser.parse_args(argv)
    if Path(args.results).name != args.results:
        parser.error("--results is a file name, written under results/")
    conversations = yaml.safe_load(args.conversations.read_text(encoding="utf-8"))
    if args.only:
        unknown = set(args.only) - {c["id"] for c in conversations}
        if unknown:
            parser.error(f"--only: no conversation {', '.join(sorted(unknown))} in {args.conversations}")
        conversations = [c for c in conversations if c["id"] in set(args.only)]
    with tempfile.TemporaryDirectory() as work:
        database_url = f"sqlite:///{Path(work) / 'eval.sqlite3'}"
        _import_directory(database_url, args.directory.resolve())
        stack = Stack(ports=Ports.free(), database_url=database_url, model=current_model_path(),
                      log_dir=Path(work) / "logs")
        stack.start(timeout=400)
        try:
            results, seconds = [], []
            for conversation in conversations:
                player = Player(stack, verbose=args.verbose)
                player.play(conversation)
                results.append({**judge(conversation, player.service_lists()),
                                "turns": len(player.turn_seconds), "clicked": player.clicked})
                seconds += player.turn_seconds
        finally:
            stack.stop()
    summary = summarise(conversations, results)
    # quantiles() needs two points; a single short conversation (--only) has its one turn as both.
    timed = seconds if len(seconds) > 1 else seconds * 2
    summary["turn_seconds"] = {"p50": round(statistics.median(timed), 3),
                               "p95": round(statistics.quantiles(timed, n=20)[18], 3)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / args.results).write_text(
        json.dumps({"summary": summary, "conversations": results}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    print(f"{summary['conversations']} conversations of {args.conversations.name} on {args.directory.name}: "
          f"relevant service for the main "
          f"need in the first {TOP}: {summary['main_hit']:.1%} "
          f"(grade ≥ 2: {summary['main_hit_strict']:.1%}; without pressing an offered need button "
          f"{summary['main_hit_without_clicks']:.1%}, {summary['clicked']} pressed one); "
          f"no recommendation: {summary['no_recommendation']:.1%}; other needs of multi-need conversations "
          f"answered: {summary['other_needs_hit']:.1%} of {summary['other_needs']} in the first list, "
          f"{summary['other_needs_hit_any_list']:.1%} in any list; turn p50/p95 "
          f"{summary['turn_seconds']['p50']}/{summary['turn_seconds']['p95']} s")
    for key in ("by_language", "by_tag", "by_need"):
        print(f"  {key}: " + ", ".join(f"{k} {v['hit']:.0%} ({v['n']})" for k, v in summary[key].items()))
    misses = [r for r in results if not r["main_hit"]]
    for r in misses:
        print(f"  miss {r['id']}: shown {r['needs_shown']}; top: {[name for name, _ in r['top']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
