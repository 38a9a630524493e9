# The two set-up commands are `make run` and `make test`; everything else is a step of those.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
# ccache, when installed, makes rebuilds and the sanitizer builds (same sources) cheap.
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: deps build run run-cluster load-test redis-cli psql reset test test-asan test-tsan unit-test bench fuzz format lint-openapi clean

deps:
	scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(LAUNCHER)

build: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Redis on REDIS_PORT (6390), the dev broker, PostgreSQL on POSTGRES_PORT (5433) with jkjav-recorder
# filling it, jkjav-server on PORT (3000); data in ./var; Ctrl-C stops.
# CAMPAIGN=NAME serves data/campaign-NAME.json (e.g. `make run CAMPAIGN=az-2021`); CAMPAIGN_FILE a path.
run: deps build
	$(if $(CAMPAIGN),CAMPAIGN_FILE=data/campaign-$(CAMPAIGN).json) scripts/run-local.sh

# The cluster of issue 13 on loopback: a Redis primary (6391) and replica (6392), three Sentinels
# (26391-26393), three jkjav-server (3001-3003), HAProxy on CLUSTER_PORT (8080, stats 8404) and the
# dev broker (9093); state in ./var/cluster, cleared at each start; Ctrl-C stops everything.
run-cluster: deps build
	$(if $(CAMPAIGN),CAMPAIGN_FILE=data/campaign-$(CAMPAIGN).json) scripts/run-cluster.sh

# With `make run` going in another terminal: the original's two hey commands against it,
# redis-cli on its Redis, psql on its PostgreSQL. `make reset` clears ./var (not while make run runs).
load-test:
	scripts/load-test.sh

redis-cli:
	scripts/redis-cli.sh

psql:
	scripts/psql.sh

reset:
	scripts/reset-local.sh

test: deps build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 600

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
test-asan: deps
	JOBS=$(JOBS) scripts/test-sanitized.sh asan

# The whole suite under ThreadSanitizer (build-tsan/; suppressions in tests/tsan.supp).
test-tsan: deps
	JOBS=$(JOBS) scripts/test-sanitized.sh tsan

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L unit

bench: deps build
	bench/run.sh

# libFuzzer targets (clang-14, ASan+UBSan) in their own build dir; FUZZ_SECONDS per target (default 60).
fuzz: deps
	JOBS=$(JOBS) fuzz/run.sh

lint-openapi: deps
	npx --no-install redocly lint openapi/openapi.json

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan
