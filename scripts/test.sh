#!/usr/bin/env bash
# Installs socialguard with its test dependencies (and the Debian packages the tests drive)
# and runs the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test
mkdir -p test-artifacts
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
    echo "socialguard: pytest collected no tests; that is a failure here" >&2
    exit 1
fi
exit "$rc"
