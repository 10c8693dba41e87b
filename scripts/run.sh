#!/usr/bin/env bash
# Installs socialguard into ./.venv and starts the proxy on 127.0.0.1:8080 with the shipped policy,
# writing events under ./var/events/. Extra arguments go to `socialguard run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
mkdir -p var/events
exec .venv/bin/socialguard run --policy policy --events-dir var/events --listen-host 127.0.0.1 --listen-port 8080 "$@"
