"""The load test's CPU accounting (``ovi_stack.load``): what a process and its children spent, from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from ovi_stack.load import cpu_seconds, process_tree

BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"


def test_a_process_tree_counts_the_cpu_its_child_spends() -> None:
    # A parent that starts a child burning 0.4 s of CPU, then both wait.
    parent = subprocess.Popen([sys.executable, "-c", (
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', {BURN + 'time.sleep(30)'!r}])\n"
        "time.sleep(30)\n")])
    try:
        deadline = time.monotonic() + 20
        while len(process_tree(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        tree = process_tree(parent.pid)
        assert tree[0] == parent.pid and len(tree) == 2
        child = tree[1]
        while cpu_seconds(child) < 0.4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 0.35 <= cpu_seconds(child) < 5.0  # the burn, not the parent's idle seconds
        assert cpu_seconds(parent.pid) < cpu_seconds(child)
    finally:
        for pid in reversed(process_tree(parent.pid)):
            os.kill(pid, 9)
        parent.wait()


def test_an_ended_process_reads_as_no_cpu() -> None:
    ended = subprocess.Popen([sys.executable, "-c", BURN])
    ended.wait()  # reaped: its /proc entry is gone
    assert cpu_seconds(ended.pid) == 0.0 and process_tree(ended.pid) == [ended.pid]
