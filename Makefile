# The course's commands. Needs only GNU make and Python 3.11+; everything else is installed
# into .venv from requirements.txt on first use.
#   make book     build the HTML book into _build/html (notebooks run through the cache)
#   make test     lint (ruff) and run the whole test suite (pytest)
#   make lab      open the workbook notebooks in JupyterLab
#   make release  write the student release into release/: notebooks (solutions removed),
#                 datasets and the kamlib package to install, without any answer
#   make answer-key  run the source notebooks and rewrite the exercises' answer key
#   make grade SUBMISSIONS=folder  grade a class (one sub-folder or .ipynb per student)
#   make pdf      the book as one PDF (XeLaTeX; needs the TeX packages listed in README.md)
#   make clean    remove the built book and its execution cache

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser, JupyterLab and JupyterHub tests need Debian's chromium and, for the hub,
# configurable-http-proxy from npm (in $(NODE_DIR), not system-wide). Installed once by `make
# test`, each only when missing; apt-get needs root (or sudo).
TOOLS_STAMP := $(VENV)/.tools-installed
NODE_DIR := $(VENV)/node
CHP := $(NODE_DIR)/node_modules/.bin/configurable-http-proxy
CHP_VERSION := 5.3.0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends
# Debian packages of `make pdf`.
PDF_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-fonts-extra \
	texlive-lang-chinese texlive-plain-generic fonts-noto-cjk fonts-freefont-otf latexmk xindy \
	imagemagick librsvg2-bin
# Where the student release goes (make release RELEASE_DIR=...).
RELEASE_DIR ?= release
# Extra JupyterLab options, e.g. make lab LAB_ARGS=--allow-root (needed when running as root).
LAB_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help book test lab release answer-key grade pdf clean

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     lint (ruff) and run the whole test suite"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make release  write the student release (no answers) into release/"
	@echo "make answer-key  rerun the source notebooks and rewrite the answer key"
	@echo "make grade SUBMISSIONS=folder  grade a class into folder-graded/"
	@echo "make pdf      the book as one PDF in _build/latex (XeLaTeX, see README.md)"
	@echo "make clean    remove _build"

# The virtual environment, (re)installed whenever the pinned requirements change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Open the book: $(CURDIR)/_build/html/index.html"

$(TOOLS_STAMP): $(STAMP)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(APT) chromium; }
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(APT) nodejs npm; }
	test -x $(CHP) || npm install --no-audit --no-fund --prefix $(NODE_DIR) \
		configurable-http-proxy@$(CHP_VERSION)
	touch $@

test: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks $(LAB_ARGS)

release: $(STAMP)
	$(BIN)/python -m kamlib.release $(RELEASE_DIR)

answer-key: $(STAMP)
	$(BIN)/python -m kamlib.exercises.answer_key

# Grading options: NOTEBOOK=01_meet_the_company (for bare .ipynb files), TIMEOUT (s per cell),
# JOBS (submissions graded at once), OUT (default: SUBMISSIONS-graded).
TIMEOUT ?= 120
JOBS ?= 1
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder"; exit 1; }
	$(BIN)/python -m kamlib.grading "$(SUBMISSIONS)" --timeout $(TIMEOUT) --jobs $(JOBS) \
		$(if $(NOTEBOOK),--notebook $(NOTEBOOK)) $(if $(OUT),--out $(OUT))

pdf: $(STAMP)
	@command -v xelatex >/dev/null && command -v convert >/dev/null \
		&& kpsewhich xeCJK.sty bbm.sty >/dev/null || { \
		echo "make pdf needs TeX: apt-get install $(PDF_PACKAGES)"; exit 1; }
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "The PDF: $(CURDIR)/_build/latex/kam-course.pdf"

clean:
	rm -rf _build
