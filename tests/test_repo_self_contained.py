"""The repo stands alone: no tracked file sends a reader (or a test) to the team's shared folder or to
a design file outside the repo; the design lives in docs/design.md."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# spelled in pieces so that this file does not match itself
FORBIDDEN = ("../" + "shared", "DESIGN" + ".md", "/work/" + "shared")


def _tracked() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / p for p in out.decode().split("\0") if p]


def test_no_tracked_file_points_outside_the_repo():
    offenders = []
    for path in _tracked():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        offenders += [f"{path.relative_to(ROOT)}: {word}" for word in FORBIDDEN if word in text]
    assert offenders == []


def test_the_design_is_in_the_repo_and_the_docs_point_to_it():
    assert (ROOT / "docs" / "design.md").is_file()
    for doc in ("README.md", "DEVELOPERS.md", "bot/analysis/model.py"):
        assert "docs/design.md" in (ROOT / doc).read_text(encoding="utf-8"), doc
