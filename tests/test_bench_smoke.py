"""CI runs every benchmark once at a tiny scale through bench/smoke.py: its list must name every script in bench/.

Nothing is run here; the smoke run itself is a step of .ci/run.
"""

import importlib.util
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def smoke_module():
    spec = importlib.util.spec_from_file_location("bench_smoke", BENCH / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def benchmark_scripts():
    """Every runnable script in bench/ (a module such as bench/urls.py has no __main__ block), but the runner."""
    main_block = re.compile(r"^if __name__ == [\"']__main__[\"']:", re.M)
    return sorted(
        path.name for path in BENCH.glob("*.py") if path.name != "smoke.py" and main_block.search(path.read_text())
    )


def test_the_smoke_run_names_every_benchmark_script():
    listed = set(smoke_module().SMOKE_RUNS)
    missing = [name for name in benchmark_scripts() if name not in listed]
    assert not missing, f"add to SMOKE_RUNS in bench/smoke.py, with options for a tiny run: {missing}"


def test_the_smoke_run_names_only_scripts_that_exist():
    assert sorted(smoke_module().SMOKE_RUNS) == benchmark_scripts()


def test_ci_runs_the_smoke_run():
    ci = (BENCH.parent / ".ci" / "run").read_text()
    # A command line, not a comment or a logged message: nothing commented out or quoted before it.
    assert re.search(r"^[^#\"'\n]*\.venv/bin/python bench/smoke\.py", ci, re.M), ".ci/run must run bench/smoke.py"
