#!/usr/bin/env bash
# Creates ./.venv on Python >= 3.12 and installs socialguard into it.
#   scripts/bootstrap.sh            runtime only
#   scripts/bootstrap.sh --test     runtime + test dependencies + Debian packages the tests drive
# Idempotent: a second run only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

find_python() {
    local candidates=(python3.13 python3.12 python3)
    for c in "${candidates[@]}"; do
        if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            command -v "$c"; return 0
        fi
    done
    # pyenv keeps versions that are installed but not selected.
    if command -v pyenv >/dev/null 2>&1; then
        for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -rV); do
            local p; p="$(pyenv root)/versions/$v/bin/python3"
            [ -x "$p" ] && { echo "$p"; return 0; }
        done
    fi
    for p in /root/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        [ -x "$p" ] && { echo "$p"; return 0; }
    done
    return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    if ! py="$(find_python)"; then
        cat >&2 <<'MSG'
socialguard needs Python 3.12 or newer and none was found.
Install one, then run this command again, e.g.:
  Debian/Ubuntu:  apt-get install python3.12 python3.12-venv
  pyenv:          pyenv install 3.12 && pyenv shell 3.12
MSG
        exit 1
    fi
    echo "socialguard: creating .venv with $py" >&2
    rm -rf .venv
    "$py" -m venv .venv
fi

stamp=".venv/.socialguard-installed"
extras=""
[ "$want_test" = 1 ] && extras="[test]"
# requirements-lock.txt is for pip-audit only (tests/test_security.py): it never decides what gets installed.
sum="$(cat pyproject.toml $(ls requirements*.txt 2>/dev/null | grep -v -- -lock.txt) | sha256sum | cut -c1-16)$extras"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
    .venv/bin/python -m pip install -q -e ".$extras" 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
    .venv/bin/python -c 'import socialguard, mitmproxy' || { echo "socialguard: install failed" >&2; exit 1; }
    echo "$sum" > "$stamp"
fi

# Debian packages the proxy itself uses: OCR (English and French) for markings inside images.
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-eng)
ls /usr/share/tesseract-ocr/*/tessdata/fra.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-fra)
if [ "$want_test" = 1 ]; then
    # Debian packages the tests drive: a real browser, a load generator.
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    # Checks of the deploy/ files (tests/test_deploy_files.py): haproxy -c, logrotate on a scratch log.
    [ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
    [ -x /usr/sbin/logrotate ] || command -v logrotate >/dev/null 2>&1 || need+=(logrotate)
    # Proxy authentication against LDAP (tests/test_ops_proxyauth.py starts its own slapd on loopback).
    [ -x /usr/sbin/slapd ] && [ -e /etc/ldap/schema/core.schema ] || need+=(slapd)
    # Reports on Apache Spark (tests/test_report_spark.py runs a local Spark): Java from Debian, never downloaded.
    dpkg -s openjdk-17-jre-headless >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
    # The detection evaluation set (benchmarks/detect_eval, tests/test_inspect_*): fonts the detectors were not
    # tuned on, and LibreOffice to write DOCX/PDF from ODT sources.
    [ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
    [ -e /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || need+=(fonts-noto-core)
    [ -d /usr/share/fonts/opentype/urw-base35 ] || need+=(fonts-urw-base35)
    command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
fi
if [ "${#need[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "socialguard: installing Debian packages: ${need[*]}" >&2
        apt-get update -qq >/dev/null
        # Install only: no package may start a system-wide service (slapd would) on a developer's machine.
        guard=""
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
        if [ -n "$guard" ]; then rm -f /usr/sbin/policy-rc.d; fi
    else
        echo "socialguard: missing Debian packages (${need[*]}); run: sudo apt-get install ${need[*]}" >&2
        exit 1
    fi
fi
