# Development entry points of the groupid.groupid collection. Each target does its own set-up:
# virtual environments from requirements-dev.txt, cached under .cache/venvs/<hash>/.
.PHONY: help test demo docs build simulator benchmark venv clean

help:
	@echo "make test       every check (sanity/units/integration on ansible-core 2.19, 2.20, 2.21, lint, docs, build)"
	@echo "make demo       examples/demo.yml against the bundled simulator: check+diff, changed, then unchanged"
	@echo "make docs       HTML docs site into build/docs/build/html/"
	@echo "make build      the collection tarball into dist/"
	@echo "make benchmark  benchmarks/run.py: requests per task, per-task time vs uri, bulk vs loop, memory"
	@echo "make simulator  run the simulator with TLS in the foreground (Ctrl-C stops it)"
	@echo "make clean      remove .cache/, build/ and dist/"

test:
	@bash hacking/test.sh

demo:
	@bash hacking/demo.sh

docs:
	@bash hacking/docs.sh

build:
	@bash hacking/build.sh

simulator:
	@bash hacking/simulator.sh

benchmark:
	@bash hacking/benchmark.sh

venv:
	@bash -c '. hacking/lib.sh && setup_pybin && for py in $$CORE_PYS; do ensure_venv $$py; done && venv_dir $$TOOLS_PY'

clean:
	rm -rf .cache build dist
