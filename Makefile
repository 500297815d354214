# Dwa polecenia z README: `make book` i `make test`. Każde samo przygotowuje środowisko.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
export TIKTOKEN_CACHE_DIR := $(CURDIR)/.cache/tiktoken
export PYTHONHASHSEED := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))

.PHONY: publish hunspell install book test lint unit node site-data nbval book-strict browser lab execute bench vendor tiktoken chromium clean

# Python 3.11–3.14 (pyproject.toml); inny niż domyślny: make book PYTHON=python3.12.
PYTHON ?= python3

# PyTorch w wersji CPU na każdym Pythonie (indeks kół CPU PyTorcha albo lokalne koło CPU, nigdy
# kilka GB z CUDA): scripts/install_torch_cpu.py, przed resztą zależności.
$(VENV)/.installed: requirements.txt pyproject.toml scripts/install_torch_cpu.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) scripts/install_torch_cpu.py
	$(PY) -m pip install -q -r requirements.txt
	touch $@

tiktoken: $(VENV)/.installed
	$(PY) scripts/fetch_tiktoken_files.py .cache/tiktoken

vendor:
	bash scripts/vendor_js.sh

install: $(VENV)/.installed tiktoken vendor

# Dane paneli „Na żywo” (słowniki, wagi małego GPT) z biblioteki: _vendor/live-data/.
site-data: install
	$(PY) scripts/export_site_data.py

# Testy modułów przeglądarki (web/) z wynikami biblioteki liczonymi teraz (.cache/site-fixtures).
node: install
	$(PY) scripts/export_site_data.py --fixtures .cache/site-fixtures
	node --test web/test/*.test.js

book: site-data
	$(PY) scripts/build_glossary.py
	$(BIN)/jupyter-book build . --path-output . -q

# hunspell z polskim słownikiem: scripts/corpus_stats.py liczy nim literówki korpusu
hunspell:
	@if ! command -v hunspell >/dev/null 2>&1 || [ ! -f /usr/share/hunspell/pl_PL.dic ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell hunspell-pl >/dev/null; \
	  else echo "Brak hunspell/hunspell-pl i brak uprawnień roota: zainstaluj je (apt-get install hunspell hunspell-pl)."; exit 1; fi; fi

lint: $(VENV)/.installed hunspell
	$(BIN)/ruff check lib tests bench scripts chapters
	$(PY) scripts/corpus_stats.py
	$(PY) scripts/train_mini_gpt.py --check
	$(PY) scripts/dropout_comparison.py --check
	$(PY) scripts/recipe_search.py --check
	$(PY) scripts/first_cell.py --check
	$(PY) scripts/publish.py --check
	$(PY) scripts/link_glossary.py --check
	$(PY) scripts/train_tokenizer.py --check

unit: install hunspell
	$(BIN)/pytest tests -q --ignore=tests/test_site.py

nbval: install
	$(BIN)/pytest --nbval $(NOTEBOOKS) --nbval-sanitize-with .nbval-sanitize.cfg -q

book-strict: site-data
	rm -rf _build/html _build/.doctrees
	$(PY) scripts/build_glossary.py
	$(BIN)/jupyter-book build . --path-output . -W --keep-going -q

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Brak chromium i brak uprawnień roota: test przeglądarki zostanie pominięty."; fi; fi

browser: install chromium
	$(BIN)/pytest tests/test_site.py -q

test: lint unit node nbval book-strict browser

execute: $(VENV)/.installed tiktoken
	$(PY) scripts/execute_notebooks.py $(or $(NB),$(NOTEBOOKS))

bench: install
	$(PY) bench/tokenizer.py
	$(PY) bench/attention.py
	$(PY) bench/notebooks.py
	$(PY) bench/widgets.py
	$(PY) bench/site.py

lab: install
	$(BIN)/jupyter lab

# Po forku: adres repozytorium w _config.yml, pierwszych komórkach, README, intro.md, binder/, .github/.
publish: $(VENV)/.installed
	@test -n "$(REPO)" || { echo "Podaj adres repozytorium: make publish REPO=https://github.com/WŁAŚCICIEL/NAZWA"; exit 1; }
	$(PY) scripts/publish.py "$(REPO)"

clean:
	rm -rf _build .cache/jupyter
