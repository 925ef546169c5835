# nianbao: `make demo` runs the main job on the bundled data, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
DEMO_DB ?= demo/archive.db

.PHONY: install demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The main job on the bundled demo: crawl the demo's imitation county portals (tests/farm/demo.py:
# chained years, planted problems, synthetic reports that say so) and its walled site, twice,
# extract the bundled real samples, archive both, print what was found, snapshot it, then serve
# it with Datasette (DEMO_SERVE=0 stops before serving). `python -m farm --crawl` crawls the
# whole test farm (every list mechanism) instead.
DEMO_SERVE ?= 1
DEMO_PORT ?= 8001

demo: install
	rm -rf $(dir $(DEMO_DB)) && mkdir -p $(dir $(DEMO_DB))
	cd tests && ../$(BIN)/python -m farm --demo ../$(DEMO_DB)
	$(BIN)/nianbao extract tests/samples --db $(DEMO_DB)
	$(BIN)/nianbao summary --db $(DEMO_DB)
	$(BIN)/nianbao snapshot --db $(DEMO_DB) --out $(dir $(DEMO_DB))snapshots
	@if [ "$(DEMO_SERVE)" = "1" ]; then echo "serving http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C to stop)"; \
	  $(BIN)/nianbao serve --db $(DEMO_DB) --port $(DEMO_PORT); fi

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_crawl.py
	$(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf $(VENV) demo .pytest_cache .hypothesis
