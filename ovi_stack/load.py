"""Load on the running stack (``make bench``): many residents at once over the REST webhook.

Two measurements on the demo directory, each with fresh conversations:

- **paced**: ``--residents`` (20) residents, each pausing ``--pause`` (3 s) between turns, as people type, for
  ``--seconds`` (60); turn time p50/p95 (goal p95 ≤ 250 ms);
- **saturation**: the same residents with no pauses; turns per second and p95 (goal ≥ 25 turns/s).

A resident's conversation is a script of the common kind (a need, the place, a follow-up, thanks) made of
residents' own messages (``ovi_stack.traffic``): no two conversations open with the same message until the
589 openings are used up, so the turn mix and the work are those of new residents (NLU on every turn, a
directory search on the recommendation turn), not of one message remembered by the processes.

Both run twice in the same run, side by side: with the configured Rasa workers (``OVI_RASA_WORKERS``,
default 2) and, as the reference, with one worker (Rasa's own default: one process, one core).

Each measurement also reports the CPU time the stack's processes spent per turn (Rasa, the action server,
the web app; each with its child processes, read from ``/proc``). On this noisy 2-core machine turns per
second move by ±15 % between runs of the same code; CPU per turn moves less and tells where a turn's cost is.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ovi_stack import paths, traffic
from ovi_stack.conversations import ConversationSettings
from ovi_stack.run import Ports, Stack

WARMUP_S = 15.0


def _turn(url: str, sender: str, text: str) -> float:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process so far (0 when it has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # after "(command name)", which may hold spaces
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (Rasa's Sanic workers are children of the ``rasa run`` process)."""
    tree = [pid]
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return tree
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                for child in children.read().split():
                    tree += process_tree(int(child))
        except FileNotFoundError:
            continue
    return tree


def _cpu_by_process(stack: Stack) -> dict[str, dict[int, float]]:
    return {name: {pid: cpu_seconds(pid) for pid in process_tree(process.pid)}
            for name, process in stack.processes.items()}


def run_load(stack: Stack, residents: int, pause: float, seconds: float,
             scripts: Iterator[tuple[str, ...]]) -> dict[str, Any]:
    """Every resident plays scripts until the time is up; returns turn-time percentiles and throughput."""
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    samples: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    started_conversations = 0

    def next_script() -> tuple[str, ...]:
        nonlocal started_conversations
        with lock:
            started_conversations += 1
            return next(scripts)

    def resident(seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, pause))  # residents do not all start in the same millisecond
        while time.monotonic() < deadline:
            sender = f"load-{uuid.uuid4().hex}"
            for text in next_script():
                if time.monotonic() >= deadline:
                    return
                took = _turn(url, sender, text)
                with lock:
                    samples.append(took)
                if pause:
                    time.sleep(pause)

    started, cpu_before = time.monotonic(), _cpu_by_process(stack)
    threads = [threading.Thread(target=resident, args=(i,), daemon=True) for i in range(residents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu_after = time.monotonic() - started, _cpu_by_process(stack)
    cpu_s = {name: sum(spent - cpu_before[name].get(pid, 0.0) for pid, spent in cpu_after[name].items())
             for name in cpu_after}
    ms = sorted(s * 1000 for s in samples)
    return {
        "residents": residents, "pause_s": pause, "turns": len(ms), "conversations": started_conversations,
        "turns_per_s": round(len(ms) / elapsed, 2),
        "p50_ms": round(statistics.median(ms), 1) if ms else None,
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1) if ms else None,
        "cpu_ms_per_turn": {name: round(1000 * spent / len(ms), 1) for name, spent in cpu_s.items()}
        if ms else None,
    }


def _measure(workers: int | None, args: argparse.Namespace) -> dict[str, Any]:
    logs = paths.ROOT / "var" / "load-logs"
    stack = Stack(ports=Ports.free(), database_url=args.database_url, log_dir=logs, rasa_workers=workers)
    started = time.monotonic()
    stack.start(timeout=400)
    cold_start = time.monotonic() - started
    try:
        scripts = traffic.conversations(seed=7)  # one stream per stack: the saturation run opens anew too
        # Warm-up, not measured: every worker's first turns trace TensorFlow's functions (seconds), which a
        # server does once after it starts; a few residents at once reach every worker.
        run_load(stack, 4, 0.0, WARMUP_S, scripts)
        paced = run_load(stack, args.residents, args.pause, args.seconds, scripts)
        saturated = run_load(stack, args.residents, 0.0, args.seconds, scripts)
    finally:
        stack.stop()
    return {"rasa_workers": workers or ConversationSettings.from_env().rasa_workers,
            "cold_start_s": round(cold_start, 1), "paced": paced, "saturation": saturated}


def _cpu_text(run: dict[str, Any]) -> str:
    per_turn = run.get("cpu_ms_per_turn") or {}
    return " + ".join(f"{name} {ms}" for name, ms in per_turn.items() if ms) or "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--pause", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database-url", default=None, help="default: the demo database of make run")
    parser.add_argument("--no-reference", action="store_true", help="skip the one-worker reference")
    args = parser.parse_args(argv)
    runs = [_measure(None, args)] + ([] if args.no_reference else [_measure(1, args)])
    out = paths.ROOT / "results" / "load.json"
    Path(out).parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"configured": runs[0], "reference": runs[1:]}, indent=2) + "\n",
                   encoding="utf-8")
    for name, run in zip(("configured", "reference"), runs, strict=False):
        paced, saturated = run["paced"], run["saturation"]
        print(f"{name} (Rasa workers: {run['rasa_workers']}, cold start {run['cold_start_s']} s): "
              f"paced ({paced['residents']} residents, {paced['pause_s']} s pauses) "
              f"p50 {paced['p50_ms']} ms, "
              f"p95 {paced['p95_ms']} ms, {paced['turns']} turns; saturation {saturated['turns_per_s']} "
              f"turns/s, p50 {saturated['p50_ms']} ms, p95 {saturated['p95_ms']} ms; CPU ms per turn paced "
              f"{_cpu_text(paced)}, saturated {_cpu_text(saturated)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
