"""The report units in deploy/report/: systemd accepts them, the timers start the delivery weekly and monthly, and
the command lines are ones `socialguard report` accepts."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from support.proxies import ROOT

from socialguard.cli import build_parser

REPORT = ROOT / "deploy" / "report"
BIN = Path(os.sys.executable).parent / "socialguard"


def directives(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


@pytest.mark.parametrize("timer, instance, calendar", [
    ("socialguard-report-deliver-weekly.timer", "week", "Mon *-*-* 06:30:00 America/Toronto"),
    ("socialguard-report-deliver-monthly.timer", "month", "*-*-01 06:45:00 America/Toronto"),
])
def test_timers_start_the_delivery(timer, instance, calendar):
    d = directives((REPORT / timer).read_text())
    assert d["Unit"] == [f"socialguard-report-deliver@{instance}.service"] and d["OnCalendar"] == [calendar]
    assert d["Persistent"] == ["true"]
    service = directives((REPORT / "socialguard-report-deliver@.service").read_text())
    argv = shlex.split(service["ExecStart"][0].replace("%i", instance).replace("${EVENTS}", "/e")
                       .replace("${POLICY}", "/p"))
    args = build_parser().parse_args(argv[1:])
    assert args.command == "report" and args.send and getattr(args, f"last_{instance}")
    assert service["EnvironmentFile"] == ["-/etc/socialguard/smtp.env"]
    assert "AF_INET" in service["RestrictAddressFamilies"][0]       # it must reach the relay


def test_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.fail("systemd-analyze is missing (Debian package systemd)")
    for name in ("socialguard-report-deliver@.service", "socialguard-report-deliver-weekly.timer",
                 "socialguard-report-deliver-monthly.timer"):
        text = (REPORT / name).read_text().replace("/opt/socialguard/.venv/bin/socialguard", str(BIN))
        (tmp_path / name).write_text(text)
    for unit in ("socialguard-report-deliver@week.service", "socialguard-report-deliver-weekly.timer",
                 "socialguard-report-deliver-monthly.timer"):
        r = subprocess.run([tool, "verify", str(tmp_path / unit)], capture_output=True, text=True, timeout=60,
                           cwd=tmp_path)
        complaints = [ln for ln in (r.stdout + r.stderr).splitlines() if "socialguard-report" in ln]
        assert r.returncode == 0 and not complaints, r.stdout + r.stderr
