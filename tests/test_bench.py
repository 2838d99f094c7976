"""The benchmarks in bench/: CI runs each once at a tiny scale (bench/smoke.py), whose list must name every
script, and a summary claims only the targets its run measured.

Nothing is run here; the smoke run itself is a step of .ci/run.
"""

import importlib.util
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def smoke_module():
    return bench_module("smoke")


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


def test_scale_claims_no_target_a_small_run_did_not_measure():
    measured = bench_module("scale").measured_targets([1], ["sqlite"])
    assert all(why is not None for why in measured.values()), measured
    measured = bench_module("scale").measured_targets([1, 2], ["postgresql"])
    assert measured["floor"] is not None and measured["scale"] is not None
    assert measured["queries"] is None  # two scales: whether a query count grows is measured


def test_scale_measures_every_target_on_postgresql_at_scales_1_and_10():
    measured = bench_module("scale").measured_targets([1, 10], ["sqlite", "postgresql"])
    assert measured == {"floor": None, "scale": None, "queries": None}


def test_scale_reports_a_miss_only_for_a_measured_target():
    scale = bench_module("scale")
    record = {"database": "postgresql", "page": "council_page", "page_over_floor": 300.0, "scale_ratio": 2.0,
              "s1_queries": 10, "s2_queries": 11}  # fmt: skip
    assert scale.verdicts(record, scale.measured_targets([1], ["postgresql"])) == []
    assert scale.verdicts(record, scale.measured_targets([1, 2], ["postgresql"])) == [("queries", "queries 10->11")]
    missed = scale.verdicts(record, scale.measured_targets([1, 10], ["postgresql"]))
    assert [target for target, _words in missed] == ["floor", "scale", "queries"]
