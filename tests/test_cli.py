"""The newsbot command line, run as a user runs it (a subprocess), on the bundled example article."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "article.txt"


def newsbot(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEWSBOT_", "SLACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
        env={**base, **(env or {})}, timeout=120,
    )


def test_analyze_json_is_deterministic_and_offsets_are_true():
    first = newsbot("analyze", "--json", "--engine", "offline", str(EXAMPLE))
    second = newsbot("analyze", "--json", "--engine", "offline", str(EXAMPLE))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout  # byte-identical
    a = json.loads(first.stdout)
    assert a["schema"] == "newsbot/analysis@1"
    assert a["text"] == EXAMPLE.read_text(encoding="utf-8")
    assert a["engine"]["name"] == "offline"
    text = a["text"]
    for q in a["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
    for f in a["flags"]:
        for c in f["cues"]:
            assert text[c["start"]:c["end"]] == c["text"]
    assert a["quotes"] and a["flags"] and a["summary"] and a["claims"]


def test_analyze_report_is_readable():
    r = newsbot("analyze", "--engine", "offline", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    for heading in ("Summary", "Claims", "Quoted", "Flags"):
        assert heading in r.stdout
    assert "Elena Varga" in r.stdout
    assert "\033[" not in r.stdout  # no colour codes when stdout is not a terminal


def test_analyze_stdin_html_and_text():
    html = "<html><head><title>Council votes</title></head><body><article><h1>Council votes</h1>" + (
        "<p>The council voted on Monday to close the old bridge, officials said. "
        "\"It is simply not safe any more,\" said Mayor Ana Ruiz, who backed the plan.</p>" * 3
    ) + "</article></body></html>"
    r = newsbot("analyze", "--json", "--engine", "offline", "-", stdin=html)
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert "<p>" not in a["text"] and "old bridge" in a["text"]
    r = newsbot("analyze", "--json", "--engine", "offline", "-", stdin="Plain text. Nothing more.")
    assert json.loads(r.stdout)["text"] == "Plain text. Nothing more."


def test_analyze_missing_file_and_openai_without_key_fail_clearly():
    r = newsbot("analyze", "no/such/file.txt", "--engine", "offline")
    assert r.returncode == 2 and "no such file" in r.stderr
    r = newsbot("analyze", str(EXAMPLE), "--engine", "openai")
    assert r.returncode == 2 and "OPENAI_API_KEY" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_setting_names_itself():
    r = newsbot("analyze", str(EXAMPLE), env={"NEWSBOT_ENGINE": "magic"})
    assert r.returncode == 2 and "NEWSBOT_ENGINE" in r.stderr


def test_batch_keeps_order_and_goes_on_after_bad_lines():
    lines = [
        json.dumps({"id": "one", "text": "The mayor said the bridge would close. It did."}),
        "this is not json",
        json.dumps({"id": "two"}),
        json.dumps({"id": "three", "html": "<html><body><article><p>" + "Officials said the vote was close. " * 20
                    + "</p></article></body></html>"}),
        "",
        json.dumps({"id": 4, "text": "\"We won,\" she said."}),
    ]
    r = newsbot("batch", "--engine", "offline", stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["one", None, "two", "three", "4"]
    assert "error" in out[1] and "error" in out[2]
    assert out[0]["text"] == "The mayor said the bridge would close. It did."
    assert "Officials said" in out[3]["text"]
    assert "error" not in out[4]


@pytest.mark.parametrize("engine", ["offline", "auto"])
def test_batch_engines_without_key(engine):
    r = newsbot("batch", "--engine", engine, stdin=json.dumps({"id": "x", "text": "Hello there."}) + "\n")
    assert r.returncode == 0
    assert json.loads(r.stdout)["engine"]["name"] == "offline"


def test_analyze_pdf_file(tmp_path):
    from tests.fakes.pdfs import scanned_pdf, text_pdf

    article = EXAMPLE.read_text()
    (tmp_path / "water.pdf").write_bytes(text_pdf(article))
    r = newsbot("analyze", "--json", "--engine", "offline", str(tmp_path / "water.pdf"))
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert a["text"].split() == article.split() and a["quotes"] and a["claims"]
    assert a["source"]["title"] == article.splitlines()[0]
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf())
    r = newsbot("analyze", "--engine", "offline", str(tmp_path / "scan.pdf"))
    assert r.returncode == 1 and "no text layer (a scan?)" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("workers", ["0", "2"])
def test_batch_in_worker_processes_matches_analyze_line_for_line(workers, tmp_path):
    # Documents run side by side in worker processes, yet each line is byte for byte what `analyze`
    # gives for that document alone, in input order.
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>" + "Officials said the vote was close. " * 20
                    + "</p></article></body></html>", encoding="utf-8")
    docs = [("a", "text", EXAMPLE.read_text(encoding="utf-8")), ("b", "html", page.read_text(encoding="utf-8")),
            ("c", "text", "\"We won,\" she said. The count reportedly took hours.")] * 3
    stdin = "\n".join(json.dumps({"id": f"{i}{name}", kind: body}) for i, (name, kind, body) in enumerate(docs))
    r = newsbot("batch", "--engine", "offline", stdin=stdin + "\n", env={"NEWSBOT_WORKER_PROCESSES": workers})
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert [json.loads(line)["id"] for line in out] == [f"{i}{name}" for i, (name, _, _) in enumerate(docs)]
    alone = {}
    for name, _, body in docs[:3]:
        source = EXAMPLE if name == "a" else page if name == "b" else "-"
        one = newsbot("analyze", "--json", "--engine", "offline", str(source),
                      stdin=body if source == "-" else None)
        assert one.returncode == 0, one.stderr
        alone[name] = json.loads(one.stdout)
    for i, line in enumerate(out):
        got = json.loads(line)
        expected = alone[docs[i][0]]
        assert {**got, "id": None, "source": None} == {**expected, "id": None, "source": None}


@pytest.mark.parametrize(
    ("source", "words", "code"),
    [
        ("HTTP://127.0.0.1:9/news", "won't fetch", 1),  # upper-case scheme: a link, not a file name
        ("Https://localhost:9/news", "won't fetch", 1),
        ("gopher://example.com/news", "only fetch http and https links", 2),
        ("file:///etc/passwd", "only fetch http and https links", 2),
        ("FTP://example.com/a.txt", "only fetch http and https links", 2),
        ("no/such/file.txt", "no such file", 2),
    ],
)
def test_analyze_reads_any_scheme_as_a_link(source, words, code):
    r = newsbot("analyze", "--engine", "offline", source)
    assert r.returncode == code and words in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
