# audience-lab — the README's two commands (`make demo`, `make test`) and the build steps
# behind them. Every step installs what it needs, so both work on a fresh Debian machine.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/"/,"",$$3); print $$3}' Cargo.lock)
VERSION := $(shell awk -F'"' '/^version = /{print $$2; exit}' Cargo.toml)
BIN := target/debug/audience-lab
PORT ?= 8080
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER := /usr/bin/chromedriver
# zstd and other C code in wasm dependencies build with clang for wasm32.
export CC_wasm32_unknown_unknown := clang
export AR_wasm32_unknown_unknown := llvm-ar

.PHONY: demo test setup setup-browser apt pkg cli samples native-test wasm-test web-test bench-load lint fmt serve clean types
.PHONY: duckdb-venv duckdb-test export-test bench-native spark-test bench bench-segment bench-compare bench-responsive bench-ceiling bench-warehouse fuzz

## demo: install what is missing, build the wasm package and samples, serve on 127.0.0.1:$(PORT)
demo: setup pkg samples
	@echo "audience-lab: open http://127.0.0.1:$(PORT)/"
	node www/serve.mjs --port $(PORT) --host 127.0.0.1

## test: lint, native tests, DuckDB differential tests, wasm binding tests in Chromium,
## end-to-end tests in Chromium
test: setup setup-browser lint native-test duckdb-test export-test wasm-test pkg web-test
	@echo "make test: all suites passed"

setup:
	@command -v clang >/dev/null && command -v llvm-ar >/dev/null || $(MAKE) --no-print-directory apt PKGS="clang llvm"
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	@cd www && npm ci --no-audit --no-fund --loglevel=error

## setup-browser: Debian's Chromium and its driver (tests never download a browser), and CJK
## fonts so that screenshots of Chinese text are legible.
setup-browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && [ -d /usr/share/fonts/opentype/noto ] || \
	  $(MAKE) --no-print-directory apt PKGS="chromium chromium-driver fonts-noto-cjk"

apt:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PKGS) >/dev/null

## pkg: the ES-module package (wasm-bindgen output + client + worker + types) in pkg/
pkg:
	$(CARGO) build --lib --release --target $(WASM_TARGET)
	rm -rf pkg && mkdir -p pkg
	wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir pkg --out-name audience_lab \
	  target/$(WASM_TARGET)/release/audience_lab.wasm
	cd www && npx tsc -p tsconfig.lib.json
	sed 's/"version": "[^"]*"/"version": "$(VERSION)"/' www/lib/package.json > pkg/package.json
	cp -r www/ui pkg/ui
	mkdir -p pkg/vendor && cp www/node_modules/echarts/dist/echarts.esm.min.js www/node_modules/echarts/LICENSE pkg/vendor/
	@ls -l pkg/audience_lab_bg.wasm | awk '{print "pkg/audience_lab_bg.wasm:", $$5, "bytes"}'

cli:
	$(CARGO) build --bin audience-lab

## samples: sample exports the page offers for one-click loading
samples: cli
	$(BIN) gen --members 5000 --seed 42 --out www/samples
	$(BIN) gen --members 5000 --seed 42 --lang zh --out www/samples/zh

native-test:
	$(CARGO) test

## duckdb-venv: a local venv (.venv/) with the pinned DuckDB, openpyxl, phonenumbers and scipy
## Python packages (independent readers and references for the tests)
DUCKDB_VERSION := 2.0.0
PY_PACKAGES := duckdb==$(DUCKDB_VERSION) openpyxl==3.1.5 phonenumbers==9.0.43 numpy==2.1.3 scipy==1.14.1
VENV := .venv
duckdb-venv: $(VENV)/.packages-$(DUCKDB_VERSION)-2

$(VENV)/.packages-$(DUCKDB_VERSION)-2:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check $(PY_PACKAGES)
	touch $@

## duckdb-test: metrics of the CLI against SQL written from SPEC, run by DuckDB (tests/sql/);
## campaign groups and readouts against SPEC §7's SQL and scipy; every report compiled to SQL
## (`sql --report`) against the CLI's output (tests/duckdb/reports.py)
duckdb-test: cli duckdb-venv
	$(VENV)/bin/python tests/duckdb/compare.py --bin $(BIN)
	$(VENV)/bin/python tests/duckdb/segments.py --bin $(BIN)
	$(VENV)/bin/python tests/duckdb/campaign.py --bin $(BIN)
	$(VENV)/bin/python tests/duckdb/reports.py --bin $(BIN)

## spark-test: the Spark dialect of segment, campaign and report SQL run by a local PySpark session (needs Java;
## not part of `make test`: Spark starts slowly). The venv is .venv-spark/.
PYSPARK_VERSION := 3.5.3
SPARK_VENV := .venv-spark
spark-test: cli
	@command -v java >/dev/null || $(MAKE) --no-print-directory apt PKGS="default-jre-headless"
	@[ -f $(SPARK_VENV)/.pyspark-$(PYSPARK_VERSION) ] || { python3 -m venv $(SPARK_VENV) && \
	  $(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check pyspark==$(PYSPARK_VERSION) && \
	  touch $(SPARK_VENV)/.pyspark-$(PYSPARK_VERSION); }
	$(SPARK_VENV)/bin/python tests/duckdb/segments.py --bin $(BIN) --engine spark --rules 40
	$(SPARK_VENV)/bin/python tests/duckdb/campaign_spark.py --bin $(BIN)
	$(SPARK_VENV)/bin/python tests/duckdb/reports.py --bin $(BIN) --engine spark

## bench-compare: audience-lab vs DuckDB-WASM side by side in Chromium (1M members: ~4.5M and ~10M orders)
BENCH_DIR := bench/data/compare
bench-compare: setup setup-browser pkg
	$(CARGO) build --release --bin audience-lab
	cd www/bench/compare && npm ci --no-audit --no-fund && npx vite build --logLevel warn
	@for v in "1m 1.5" "10m 3.3"; do set -- $$v; d=$(BENCH_DIR)/$$1; [ -f $$d/orders.parquet ] || { \
	  target/release/audience-lab gen --members 1000000 --seed 1 --activity $$2 --out $$d && \
	  target/release/audience-lab gen --members 1000000 --seed 1 --activity $$2 --format parquet --compression zstd --out $$d; } || exit 1; done
	[ -f $(BENCH_DIR)/1m/orders.arrows ] || target/release/audience-lab gen --members 1000000 --seed 1 --activity 1.5 --format arrow-stream --out $(BENCH_DIR)/1m
	node www/bench/compare.mjs $(BENCH_DIR)/1m 1m 5
	node www/bench/compare.mjs $(BENCH_DIR)/10m 10m 3

## export-test: every export format read back by Python's csv module, openpyxl and DuckDB;
## ad-platform hashes recomputed with hashlib and phonenumbers (tests/duckdb/exports.py)
export-test: cli duckdb-venv
	$(VENV)/bin/python tests/duckdb/exports.py --bin $(BIN)

## bench-native: metric timings on 1M members / ~10M orders (data cached in bench/data/)
bench-native:
	$(CARGO) bench --bench metrics

wasm-test:
	WASM_BINDGEN_USE_BROWSER=1 $(CARGO) test --release --target $(WASM_TARGET) --test wasm

web-test: cli samples
	cd www && npm run typecheck && AUDIENCE_LAB_BIN=$(CURDIR)/$(BIN) npm test

## bench-segment: live-count latency per rule edit on 1M members / ~10M orders, native
## (cargo bench) and wasm in Chromium (data shared with bench-native, cached in bench/data/)
bench-segment: setup setup-browser pkg
	$(CARGO) bench --bench segment
	node www/bench/segment.mjs bench/data/m1000000_a5

## bench-responsive: the main thread's long tasks and longest stall while the page loads 1M
## members and their orders (goal: no task over 50 ms)
bench-responsive: setup setup-browser pkg cli
	node www/bench/responsive.mjs bench/data/responsive

## bench-ceiling: the largest export the page handles (sizes raised until the first OUT_OF_MEMORY)
bench-ceiling: setup setup-browser pkg
	$(CARGO) build --release --bin audience-lab
	node www/bench/ceiling.mjs

## bench-warehouse: every report compiled to SQL on native DuckDB over ~10M orders held in a
## .duckdb file, next to the CLI's load + report of the same CSV files
bench-warehouse: duckdb-venv
	$(CARGO) build --release --bin audience-lab
	@[ -f bench/data/warehouse/orders.csv ] || target/release/audience-lab gen --members 1000000 --seed 7 --activity 4.3 --out bench/data/warehouse
	$(VENV)/bin/python bench/warehouse.py --bin target/release/audience-lab bench/data/warehouse

## bench: every benchmark (native and in Chromium)
bench: bench-compare bench-native bench-load bench-segment bench-responsive bench-ceiling bench-warehouse

## bench-load: load throughput (CSV MB/s, Parquet rows/s), native and wasm in Chromium
bench-load: setup setup-browser pkg
	$(CARGO) build --release --bin audience-lab
	@[ -f bench/data/load/orders.parquet ] || { \
	  target/release/audience-lab gen --members 200000 --seed 7 --out bench/data/load && \
	  target/release/audience-lab gen --members 200000 --seed 7 --format parquet --compression zstd --out bench/data/load; }
	$(CARGO) bench --bench load -- bench/data/load
	node www/bench/load.mjs bench/data/load

## fuzz: cargo-fuzz (nightly) on every target for FUZZ_SECONDS each, starting from the seeds in
## fuzz/seeds/<target>; new inputs go to fuzz/corpus/<target>, crashes to fuzz/artifacts/.
## Not part of `make test`. Run one target with `make fuzz FUZZ_TARGETS=rule FUZZ_SECONDS=60`.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= load_csv load_xlsx load_parquet load_arrow load_arrow_stream load_ndjson encoding roles rule
fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	cd fuzz && cargo +nightly fuzz build -O -a
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p corpus/$$t && \
	  cargo +nightly fuzz run -O -a $$t corpus/$$t seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 || exit 1; \
	done

## types: rewrite www/lib/generated.ts (the TypeScript of the JS API's options, results and
## vocabulary) from the Rust types, after changing a type that crosses to JS; `make test`
## fails while the file and the types differ.
types:
	UPDATE_TYPES=1 $(CARGO) test --test typescript

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt

serve:
	node www/serve.mjs --port $(PORT) --host 127.0.0.1

clean:
	rm -rf target pkg www/samples www/test-results
