"""`steunkaart admin crisis-check`: a safety officer's check of their own phrases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.__main__ import main


def test_one_verdict_per_line_tab_separated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("ik wil niet meer leven\n\nmijn zus Mieke\n", encoding="utf-8")
    assert main(["admin", "crisis-check", str(phrases)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["crisis\tsuicide\tik wil niet meer leven", "none\t-\tmijn zus Mieke"]


def test_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Familie\n"))
    assert main(["admin", "crisis-check", "-"]) == 0
    assert capsys.readouterr().out == "none\t-\tFamilie\n"


def test_labelled_json_prints_the_three_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"text": "ik wil dood", "label": "crisis"},
        {"text": "ik ga dood van het lachen", "label": "lookalike"},
        {"text": "Mieke", "label": "ordinary"},
    ]
    path = tmp_path / "labelled.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert main(["admin", "crisis-check", "--labelled", str(path)]) == 0
    out = dict(line.split("\t") for line in capsys.readouterr().out.splitlines())
    assert out["crisis messages caught (crisis reply or check question)"] == "100.0% (1 of 1)"
    assert out["look-alikes that get the crisis reply"] == "0.0% (0 of 1)"
    assert out["ordinary answers that get the check question"] == "0.0% (0 of 1)"


def test_labelled_csv_with_an_unknown_label_is_refused_kindly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text('text,label\n"hoi, hallo",maybe\n', encoding="utf-8")
    assert main(["admin", "crisis-check", "--labelled", str(path)]) == 1
    assert "unknown label 'maybe'" in capsys.readouterr().err


def test_a_missing_file_is_an_error_not_a_crash(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "crisis-check", "/nonexistent/phrases.txt"]) == 1
    assert "No such file" in capsys.readouterr().err
