"""The repo's own evaluation: an annotated set of articles written for newsbot (eval/articles/), a scorer
that matches the engine's quotes, flags and claims against it, and the floors CI holds the engine to.

`make eval` (or `python -m bot.eval`) prints the scores; tests/test_eval_floor.py fails below the floors
pinned in eval/floors.json. The matching rules are those of the team's held-out evaluation (see
docs/design.md, "Measuring"): nothing here imports Slack, and nothing reads files outside the repo unless
a path is given on the command line.
"""
