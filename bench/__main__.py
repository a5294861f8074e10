"""`python -m bench [name ...] [--options]`: run every benchmark module in bench/ (or the named ones), one
after the other, each with its own servers (bench.common.bench_servers).

Every module receives all the options and reads its own; the sizes, for a quick smoke run of the lot:
`--invoices=N --rounds=N` (dashboard), `--count=N --clients=N --queries=N` (directory), `--runs=N`
(extraction), `--users=N --seconds=N --warmup=N` (load), `--sessions=N --actions=N` (processing).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    options = [arg for arg in sys.argv[1:] if arg.startswith("-")]
    available = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                       if m.name not in {"common", "__main__"} and not m.name.startswith("_"))
    for name in names or available:
        if name not in available:
            sys.exit(f"unknown benchmark {name!r}; available: {', '.join(available)}")
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"bench.{name}").main(options)


if __name__ == "__main__":
    main()
