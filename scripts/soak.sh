#!/usr/bin/env bash
# Long-mode soak: 1,000,000 mixed flows through `socialguard run`, RSS sampled (about 20-30 min on 2 cores).
# Extra arguments go to benchmarks/soak.py, e.g. `scripts/soak.sh --flows 50000` for a shorter check.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test >/dev/null
exec .venv/bin/python benchmarks/soak.py --flows 1000000 "$@"
