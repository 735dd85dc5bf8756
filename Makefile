# Thin entry points; the work is in CMake, scripts/ and the test suites.
#   make run        install dependencies, build, serve on :8000 (embedded backends)
#   make test       install dependencies, build, run every test
#   make test-asan  unit and API tests under AddressSanitizer + UBSan
#   make bench      HTTP load test (wrk) and micro benchmarks
#   make fmt        clang-format every C++ file
JOBS ?= 2

.PHONY: setup configure build run test test-unit test-api test-asan bench fmt clean

setup:
	@scripts/setup

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

run: build
	./build/comptoir serve

test: build
	scripts/run-tests build

test-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  COMPTOIR_SANITIZED=1 scripts/run-tests build-asan

bench: build
	./build/comptoir-bench --benchmark_min_time=0.2
	scripts/bench-http
	scripts/bench-store

fmt:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan
