"""`python -m bench [name ...]`: run every benchmark in this package (or the named ones), one after another.

A benchmark is a module here with a `main(argv) -> int` function; `settings`, `urls` and modules
starting with `_` are helpers.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

_HELPERS = {"settings", "urls"}


def benchmark_names() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).resolve().parent)])
        if not info.name.startswith("_") and info.name not in _HELPERS
    )


def main(argv: list[str]) -> int:
    names = argv or benchmark_names()
    unknown = sorted(set(names) - set(benchmark_names()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(benchmark_names())}")
        return 2
    status = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "main"):
            continue
        print(f"=== bench.{name}", flush=True)
        started = time.perf_counter()
        status = max(status, module.main([]) or 0)
        print(f"=== bench.{name} finished in {time.perf_counter() - started:.0f} s\n", flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
