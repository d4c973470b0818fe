"""Old table-and-font pages read as a reader reads them: all their text, headings and list items on lines of
their own, datelines apart from the story, and no extractor chatter on the terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from bot.analysis import offline
from bot.fetch import extract_article
from bot.fetch.headings import break_after_headings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "html"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_text_between_line_breaks_of_a_font_page_is_the_article():
    # trafilatura hands back the <font> that holds the text; all of it is the article, <br><br> a paragraph
    text = extract_article(page("old_font_page.html")).text
    assert text.split("\n\n") == [
        "Council approves new library",
        "SPRINGFIELD - The city council voted 7 to 2 on Monday night to approve a budget of 4 million dollars "
        "for a new public library on Elm Street.",
        "Supporters said the old library, built in 1911, was too small and could not be made accessible to "
        "people in wheelchairs.",
        "Councilman Bob Reed, who voted against the plan, said the city could not afford it while roads were in "
        "such poor repair.",
        "Construction is expected to begin in the autumn and take about 18 months, the city manager said.",
    ]


def test_a_story_the_extractor_discards_is_found_by_the_recall_first_pass():
    article = extract_article(page("old_story_in_footer.html"))
    assert "The island ferry will run only twice a day" in article.text
    assert article.text.rstrip().endswith("to ask for a third crossing on weekdays, the mayor said.")


def test_the_extractor_warning_does_not_reach_the_terminal():
    r = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", "--engine", "offline", str(FIXTURES / "old_story_in_footer.html")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "The island ferry will run only twice a day" in r.stdout


def test_headings_and_list_items_stay_on_their_own_lines():
    text = extract_article(page("old_press_release.html")).text
    got = lines(text)
    for line in (
        "Zune player to be available to Canadians in Spring 2008",  # the headline, before the dateline
        "Creating a Personal Entertainment Experience",  # a bold subhead with no <br> after it
        "- Zune 80, an 80 GB player with a 3.2 inch screen",
        "- Zune 8, a flash player with 8 GB of storage",
        # a <ul> in a layout table: trafilatura's default pass drops it, its recall-first pass keeps it
        "Wireless sync with a home computer over Wi-Fi",
        "A touch-sensitive pad for scrolling through long lists",
    ):
        assert line in got
    assert any(line.startswith("With three Zune models") for line in got)


def test_a_press_release_reads_as_sentences_not_runs():
    analysis = offline.analyze(extract_article(page("old_press_release.html")))
    sentences = [analysis.text[s.start:s.end] for s in analysis.sentences]
    assert not any("TORONTO" in s for s in sentences)  # the dateline is where and when, no sentence
    assert any(s.startswith("Today at the Consumer Electronics Show") for s in sentences)
    for bullet in analysis.summary:
        assert "TORONTO" not in bullet.text and "2008" not in bullet.text
        assert not bullet.text.startswith("Creating a Personal")
    assert analysis.summary[0].text.startswith("Today at the Consumer Electronics Show")
    for claim in analysis.claims:
        # a list is items: no claim holds two of them, nor a heading run into a sentence
        assert sum(model in claim.text for model in ("Zune 80", "Zune 8,", "Zune 4")) <= 1
        assert "Experience With" not in claim.text


@pytest.mark.parametrize(
    "fragment, broken",
    [
        ("<p><b>Workers stunned</b>\nWorkers leaving the shift said so.</p>", True),
        ("<td><font><b>Workers stunned</b></font> Workers leaving the shift said so.</td>", True),
        ("<div><u>What happens next</u><p>Construction starts in May.</p></div>", True),
        ("<p>Asked about it, <b>Mayor Ellen Price</b> Said nothing.</p>", False),  # not at a line start
        ("<p><b>Mayor Ellen Price</b> said the plan was sound.</p>", False),  # a sentence goes on
        ("<p><b>Price:</b> The plan is sound.</p>", False),  # a label belongs with its text
        ("<p><b>It is over.</b> Workers left.</p>", False),  # a sentence of its own already
        ("<p><b>Workers stunned</b><br>Workers left.</p>", False),  # the line end is there already
    ],
)
def test_run_in_headings_get_a_line_break(fragment: str, broken: bool):
    tree = lxml_html.fromstring(f"<html><body>{fragment}</body></html>")
    assert break_after_headings(tree) == int(broken)
