"""`.env.example` lists every setting the code reads from the environment, and nothing it does not.

The settings are found in the code itself (an environment lookup, or a `_str(env, "NAME")`-style reader
in bot/config.py), so a setting added without a line in `.env.example` fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
LISTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute | ast.Name) and (getattr(node, "attr", None) or getattr(node, "id", None)) in {
        "environ", "env"}


def _names_read(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            key = node.slice  # os.environ["X"], env["X"]
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in {"get", "pop"} and _is_environ(func.value):
                key = node.args[0]  # os.environ.get("X"), env.get("X")
            elif isinstance(func, ast.Attribute | ast.Name) and getattr(func, "attr", getattr(func, "id", "")) == "getenv":
                key = node.args[0]
            elif len(node.args) >= 2 and _is_environ(node.args[0]):
                key = node.args[1]  # config.py's readers: _int(env, "X", ...)
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and NAME.match(key.value):
            found.add(key.value)
    return found


def settings_in_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        names |= _names_read(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return names


def test_the_scan_finds_the_settings_it_should():
    code = 'import os\nos.environ.get("A_B")\nos.environ["C_D"]\nos.getenv("E_F")\n_int(env, "G_H", 3)\nenv.get("I_J")'
    assert _names_read(ast.parse(code)) == {"A_B", "C_D", "E_F", "G_H", "I_J"}
    found = settings_in_code()
    assert {"SLACK_BOT_TOKEN", "NEWSBOT_DB", "NEWSBOT_CACHE_DIR", "NEWSBOT_PROMPTS_DIR"} <= found


def test_env_example_lists_every_setting_the_code_reads_and_no_other():
    listed = set(LISTED.findall((ROOT / ".env.example").read_text(encoding="utf-8")))
    read = settings_in_code()
    assert not read - listed, f"settings read by the code but missing from .env.example: {sorted(read - listed)}"
    assert not listed - read, f".env.example lists settings the code never reads: {sorted(listed - read)}"


def test_a_paas_database_url_is_used_only_when_newsbot_db_is_unset_and_it_is_postgresql():
    from bot.config import load_settings

    heroku = "postgres://u:p@ec2.example.com:5432/d1"
    assert load_settings({"DATABASE_URL": heroku}).db_path == heroku
    assert load_settings({"DATABASE_URL": heroku, "NEWSBOT_DB": "/data/x.sqlite"}).db_path == "/data/x.sqlite"
    assert load_settings({"DATABASE_URL": "mysql://u@h/d"}).db_path == "./newsbot.sqlite"
    assert load_settings({}).db_path == "./newsbot.sqlite"
