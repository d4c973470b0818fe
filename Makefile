# Two commands for a new user:
#   make run   - set up, then analyse the bundled example article with the offline engine
#   make test  - set up, then lint and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test eval eval-llm lint bench serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

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
	$(BIN)/python bench/bench_slack.py

# A model measured on annotated data: make eval-llm [DATA=file.jsonl] [EVAL_ARGS="--limit 20 --split all"]
# (the endpoint is OPENAI_BASE_URL / OPENAI_MODEL, from the environment or .env)
eval-llm: $(STAMP)
	$(BIN)/python -m bot.analysis.llm_eval $(DATA) $(EVAL_ARGS)

serve: $(STAMP)
	$(BIN)/newsbot serve

clean:
	rm -rf $(VENV) build *.egg-info
