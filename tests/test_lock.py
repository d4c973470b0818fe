"""The hashed locks that deploys and `make test` install from cover every dependency pyproject.toml names.

A dependency added to pyproject.toml without `make lock` fails here, with the command to run: a deploy
from requirements.txt would otherwise build without it and fail at start-up.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
FIX = "run `make lock` and commit requirements.txt and requirements-dev.txt"


def pins(path: Path) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) for each pinned line of a uv/pip-compile lock."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            found[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(spec) for spec in names]


@pytest.mark.parametrize(("lock", "extras"), [("requirements.txt", [None]), ("requirements-dev.txt", [None, "dev"])])
def test_every_dependency_is_pinned_with_hashes_in_a_version_pyproject_allows(lock, extras):
    locked = pins(ROOT / lock)
    assert locked, f"{lock} has no pins; {FIX}"
    for extra in extras:
        for requirement in declared(extra):
            name = canonicalize_name(requirement.name)
            assert name in locked, f"{lock} does not pin {requirement.name} (pyproject.toml: {requirement}); {FIX}"
            version, hashes = locked[name]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {name}=={version}, outside pyproject.toml's {requirement}; {FIX}")
            assert hashes, f"{lock} has no hash for {name}; {FIX}"
    assert all(hashes for _, hashes in locked.values()), f"{lock} has a pin without a hash; {FIX}"


def test_development_installs_the_versions_deploys_run():
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    differ = {name: (version, dev.get(name, ("missing",))[0]) for name, (version, _) in runtime.items()
              if dev.get(name, (None,))[0] != version}
    assert not differ, f"requirements-dev.txt differs from requirements.txt on {differ}; {FIX}"
