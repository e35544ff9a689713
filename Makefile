# The course's commands. Needs only GNU make and Python 3.11+; everything else is installed
# into .venv from requirements.txt on first use.
#   make book     build the HTML book into _build/html (notebooks run through the cache)
#   make test     lint (ruff) and run the whole test suite (pytest)
#   make lab      open the workbook notebooks in JupyterLab
#   make release  write the student notebooks (solutions removed) into release/
#   make clean    remove the built book and its execution cache

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Extra JupyterLab options, e.g. make lab LAB_ARGS=--allow-root (needed when running as root).
LAB_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help book test lab release clean

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     lint (ruff) and run the whole test suite"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make release  write student notebooks (solutions removed) into release/"
	@echo "make clean    remove _build"

# The virtual environment, (re)installed whenever the pinned requirements change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Open the book: $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks $(LAB_ARGS)

release: $(STAMP)
	$(BIN)/python -m kamlib.release notebooks release

clean:
	rm -rf _build
