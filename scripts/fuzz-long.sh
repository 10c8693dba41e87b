#!/usr/bin/env bash
# Long-mode fuzzing: every parser gets >= 1,000,000 inputs from atheris (coverage-guided), one process each.
#   scripts/fuzz-long.sh                 all targets, 1,000,000 runs each
#   RUNS=20000 scripts/fuzz-long.sh har  one target, fewer runs
# Crashes are saved as var/fuzz/<target>/crash-*; turn each into an @example in tests/test_fuzz_*.py.
# Then the same hypothesis properties with a million examples each (slower, but they reach the parsers the atheris
# harness does not drive): set HYPOTHESIS_TOO=1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test >/dev/null
.venv/bin/python -c 'import atheris' 2>/dev/null || .venv/bin/python -m pip install -q atheris
RUNS="${RUNS:-1000000}"
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=(har body glob policy events classify yaml_aliases chain dismiss operation report)
status=0
for t in "${targets[@]}"; do
    out="var/fuzz/$t"
    mkdir -p "$out/corpus"
    echo "== $t: $RUNS runs" >&2
    if ! .venv/bin/python tests/fuzz/atheris_targets.py "$t" -runs="$RUNS" -max_len=4096 \
            -artifact_prefix="$out/" -print_final_stats=1 "$out/corpus" 2> "$out/log.txt"; then
        echo "   $t: CRASH, see $out/log.txt and $out/crash-*" >&2
        status=1
    fi
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$out/log.txt" | tail -2 >&2 || true
done
if [ "${HYPOTHESIS_TOO:-0}" = 1 ]; then
    SOCIALGUARD_FUZZ_EXAMPLES="$RUNS" .venv/bin/python -m pytest tests/test_fuzz_*.py -q -p no:cacheprovider || status=1
fi
exit "$status"
