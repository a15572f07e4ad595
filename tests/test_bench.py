"""The benchmark runs: `python -m bench --quick` finishes and prints every part.

Only that it runs is tested here. Its figures and targets belong in its own output
(`make bench`), never in a test: a slow machine must not fail the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("route", "echo", "engine", "startup", "fanout", "summary", "stop")


def test_the_quick_benchmark_runs_every_part() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for part in PARTS:
        assert f"== {part}:" in result.stdout, f"no {part} part in:\n{result.stdout}"
    assert "part(s) failed" in result.stdout
