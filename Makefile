# Two commands for a new user:
#   make run   - set up, then analyse the bundled example article with the offline engine
#   make test  - set up, then lint and run the whole test suite
# And one for whoever changes a dependency in pyproject.toml:
#   make lock  - pin every dependency, with hashes, in requirements.txt and requirements-dev.txt
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# One lock for every platform (Linux servers, macOS laptops) and every Python newsbot supports.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet $(if $(UPGRADE),--upgrade)

.PHONY: run test eval eval-llm lint bench serve clean lock

# The locked versions, checked against their hashes, then newsbot itself (its dependencies are all there).
$(STAMP): pyproject.toml requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Keeps every pin that still satisfies pyproject.toml; `make lock UPGRADE=1` moves them all to the newest.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements.txt $(LOCK_FLAGS) -o requirements-dev.txt

run: $(STAMP)
	$(BIN)/newsbot analyze --engine offline examples/article.txt

test: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/python -m pytest

# the engine's scores on the repo's annotated articles (eval/), against the floors CI holds it to
eval: $(STAMP)
	$(BIN)/python -m bot.eval

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_slack.py
	$(BIN)/python bench/bench_acks.py

# A model measured on annotated data: make eval-llm [DATA=file.jsonl] [EVAL_ARGS="--limit 20 --split all"]
# (its follow-up judge on the article pairs: make eval-llm DATA=eval/followups/pairs.jsonl)
# (the endpoint is OPENAI_BASE_URL / OPENAI_MODEL, from the environment or .env)
eval-llm: $(STAMP)
	$(BIN)/python -m bot.analysis.llm_eval $(DATA) $(EVAL_ARGS)

serve: $(STAMP)
	$(BIN)/newsbot serve

clean:
	rm -rf $(VENV) build *.egg-info
