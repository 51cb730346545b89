# Ovi — `make run` and `make test` work from a fresh clone (see README). Two environments:
#   .venv       Python 3.11: directory, web app, action server, tests
#   .venv-rasa  Python 3.10: Rasa 3.6 + spaCy Finnish model (Rasa runs on 3.10 only)
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first interpreter that really runs the wanted version (a pyenv shim may exist and still refuse).
find_python = $(shell for p in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(1).*/bin/python 2>/dev/null) \
  python$(1) /usr/bin/python$(1) /usr/local/bin/python$(1); do \
  "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(1)".split("."))))' 2>/dev/null \
  && { echo "$$p"; break; }; done)
PY311 ?= $(call find_python,3.11)
PY310 ?= $(call find_python,3.10)
APT_PACKAGES := libvoikko1 voikko-fi wamerican wswedish chromium postgresql
APP := .venv/bin/python
RASA := .venv-rasa/bin/rasa
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help install system-packages db model run test test-app test-rasa lint validate rasa-test bench eval crisis-model clean

help:
	@echo "make run    – asenna puuttuvat, luo demohakemisto, kouluta malli tarvittaessa ja käynnistä Ovi"
	@echo "make test   – asenna puuttuvat ja aja kaikki testit"
	@echo "make bench  – mittaa vasteajat (mediaanit)"
	@echo "make eval   – arvioi kriisintunnistin, NLU ja keskustelut erillisellä testiaineistolla"

system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Asennetaan Debian-paketit: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Puuttuvat Debian-paketit. Aja: sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

.venv/.installed: requirements/app.lock.txt pyproject.toml
	@test -n "$(PY311)" || { echo "Python 3.11 puuttuu (esim. pyenv install 3.11)"; exit 1; }
	test -x .venv/bin/python || $(PY311) -m venv .venv
	.venv/bin/pip install -q --disable-pip-version-check -r requirements/app.lock.txt
	.venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

.venv-rasa/.installed: requirements/rasa.lock.txt
	@test -n "$(PY310)" || { echo "Python 3.10 puuttuu (Rasa 3.6 vaatii sen; esim. pyenv install 3.10)"; exit 1; }
	test -x .venv-rasa/bin/python || $(PY310) -m venv .venv-rasa
	.venv-rasa/bin/pip install -q --disable-pip-version-check -r requirements/rasa.lock.txt
	touch $@

install: system-packages .venv/.installed .venv-rasa/.installed

db: .venv/.installed
	$(APP) -m directory_db init
	$(APP) -m directory_db seed-demo

model: .venv-rasa/.installed
	.venv-rasa/bin/python -m ovi_stack.model_cache

run: install db model
	$(APP) -m ovi_stack.run

lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/mypy ovi_lang directory_db ovi_web actions ovi_stack

validate: .venv-rasa/.installed
	.venv-rasa/bin/python nlu_data/check_examples.py
	.venv-rasa/bin/python -m bot.build_crisis_responses --check
	.venv-rasa/bin/python -m bot.build_need_domain --check
	$(RASA) data validate --domain bot/domain --data nlu_data bot/data --config config.yml

rasa-test: model
	$(RASA) test core --model $$(.venv-rasa/bin/python -c 'from ovi_stack.model_cache import current_model_path as p; print(p())') \
	  --stories bot/tests/test_stories.yml --out results --fail-on-prediction-errors --no-plot

test-rasa: model  # tests/bot/test_policies.py reads the trained model's TED
	.venv-rasa/bin/python -m pytest -q -p no:cacheprovider tests/lang
	# Rasa's own modules warn on import (deprecations it will never fix): not errors for our tests.
	.venv-rasa/bin/python -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
	  -W ignore::UserWarning -W ignore::PendingDeprecationWarning tests/bot

# axe-core (MPL-2.0, from npm) checks WCAG 2.1 AA in the browser tests; test-only, kept under var/.
AXE_VERSION := 4.10.3
var/axe/axe.min.js:
	mkdir -p var/axe && cd var/axe && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null \
	  && tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js package/LICENSE \
	  && mv package/axe.min.js package/LICENSE . && rm -rf package axe-core-$(AXE_VERSION).tgz

test-app: install model var/axe/axe.min.js
	# Unit and HTTP tests on both cores (pytest-xdist; a file's tests stay in one worker with its fixtures),
	# then the whole-stack tests one after another (each starts Rasa, which wants both cores itself).
	$(APP) -m pytest -q -n 2 --dist loadfile --ignore=tests/e2e
	$(APP) -m pytest -q tests/e2e

test: install lint validate test-rasa rasa-test test-app

bench: install db model
	$(APP) -m ovi_stack.bench
	# Search quality (test split) beside PostgreSQL's finnish full text, then import and search speed at 1k,
	# 10k and 100k services on SQLite and PostgreSQL (100k: a 320 MB file, some 20 minutes on two cores).
	$(APP) -m directory_db.search_eval.quality --split test --with-postgres
	$(APP) -m directory_db.search_eval.speed --sizes 1000,10000,100000 --with-postgres
	# Many residents at once on the demo data: 20 with 3 s pauses, then with none (saturation).
	$(APP) -m ovi_stack.load

eval: install model
	$(APP) -m ovi_lang.crisis.evaluate
	# The NLU on the held-out set (intent macro-F1, entity F1, confusion matrix in results/), then whole
	# conversations over the webhook on the test directory (not the demo data).
	.venv-rasa/bin/python -m bot.evaluate_nlu
	$(APP) -m ovi_stack.eval_conversations

# After changing the crisis corpus or rules: retrain the classifier, choose its thresholds by cross-validation.
crisis-model: .venv/.installed
	$(APP) -m ovi_lang.crisis.train

clean:
	rm -rf results .pytest_cache .mypy_cache .ruff_cache
