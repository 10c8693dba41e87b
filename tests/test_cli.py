"""The command line: run's argument hand-off to mitmdump, classify --har, the README's run command."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from socialguard.cli import build_parser, main
from socialguard.commands.run import mitmdump_args
from support.proxies import ROOT, free_port, stop, validate_event, wait_port

SOCIALGUARD = str(Path(sys.executable).parent / "socialguard")


def _parse(argv):
    if "--" in argv:
        i = argv.index("--")
        argv, rest = argv[:i], argv[i + 1:]
    else:
        rest = []
    args = build_parser().parse_args(argv)
    args.passthrough = rest
    return args


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["run"], ["--listen-host", "127.0.0.1", "--listen-port", "8080"]),
        (["run", "--listen-port", "9999", "--", "--mode", "transparent"], ["flow_detail=0", "--mode", "transparent"]),
        (["run", "--", "--mode", "wireguard", "--set", "x=y"], ["--mode", "wireguard", "--set", "x=y"]),
        (["run", "--node", "n7"], ["socialguard_node=n7"]),
    ],
)
def test_run_hands_everything_after_double_dash_to_mitmdump(argv, expected):
    out = mitmdump_args(_parse(argv))
    joined = " ".join(out)
    assert " ".join(expected) in joined
    # What follows `--` comes last, so it can override socialguard's own defaults.
    args = _parse(argv)
    assert out[len(out) - len(args.passthrough):] == args.passthrough
    assert "-s" in out and out[out.index("-s") + 1].endswith("mitm_entry.py")


def test_run_rejects_bad_policy_before_starting(tmp_path):
    (tmp_path / "agency.yaml").write_text("name: {en: A, fr: B}\nbogus: 1\n")
    r = subprocess.run([SOCIALGUARD, "run", "--policy", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert f"{tmp_path / 'agency.yaml'}:2: unknown key 'bogus'" in r.stderr


def _har(entries):
    return {"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": entries}}


def _entry(method, url, when, body=None):
    e = {"startedDateTime": when, "time": 50, "request": {"method": method, "url": url, "headers": []},
         "response": {"status": 200, "headers": []}}
    if body is not None:
        e["request"]["postData"] = {"mimeType": "application/json", "text": json.dumps(body)}
    return e


def test_classify_har_prints_rows_and_writes_stamped_events(tmp_path):
    har = tmp_path / "day.har"
    har.write_text(json.dumps(_har([
        _entry("GET", "https://www.example.org/", "2026-11-24T13:00:00Z"),
        _entry("POST", "https://mastodon.social/api/v1/statuses?x=1", "2026-11-24T13:00:05Z", {"status": "hi"}),
        _entry("GET", "https://pbs.twimg.com/media/a.jpg", "2026-11-25T13:00:00Z"),
    ])))
    events = tmp_path / "ev"
    r = subprocess.run([SOCIALGUARD, "classify", "--har", str(har), "--policy", str(ROOT / "policy"),
                        "--user", "asmith", "--events-dir", str(events)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["index"] for row in rows] == [0, 1, 2]
    assert set(rows[0]) == {"index", "method", "url", "platform", "activity", "category", "background", "rule"}
    assert rows[0]["platform"] is None
    assert (rows[1]["platform"], rows[1]["activity"], rows[1]["url"]) == (
        "mastodon", "post", "https://mastodon.social/api/v1/statuses")
    assert (rows[2]["platform"], rows[2]["background"]) == ("x", True)
    files = sorted(p.name for p in events.glob("*.jsonl"))
    assert files == ["events-2026-11-24.jsonl", "events-2026-11-25.jsonl"]
    evs = [json.loads(line) for p in sorted(events.glob("*.jsonl")) for line in p.read_text().splitlines()]
    for ev in evs:
        validate_event(ev)
    assert evs[0]["@timestamp"] == "2026-11-24T13:00:05.000Z" and evs[0]["user"]["name"] == "asmith"


def test_classify_har_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.har"
    bad.write_text("{not json")
    assert main(["classify", "--har", str(bad), "--policy", str(ROOT / "policy")]) == 1
    assert "not a readable JSON HAR file" in capsys.readouterr().err


@pytest.mark.e2e
def test_readme_run_command_starts_a_classifying_proxy(tmp_path, internet):
    """`./scripts/run.sh` (the README's first command) with a free port, a private events folder, and the
    loopback internet as its upstream (so nothing leaves the machine)."""
    port = free_port()
    events = tmp_path / "events"
    conf = tmp_path / "conf"
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "run.sh"), "--listen-port", str(port), "--events-dir", str(events),
         "--", "--set", f"confdir={conf}", "--mode", f"upstream:http://127.0.0.1:{internet.port}",
         "--set", "ssl_insecure=true"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_port(port, proc, timeout=120)
        import requests

        s = requests.Session()
        s.trust_env = False
        r = s.get("https://x.com/home", proxies={"https": f"http://127.0.0.1:{port}"},
                  verify=str(conf / "mitmproxy-ca-cert.pem"), timeout=30)
        assert r.status_code == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not list(events.glob("*.jsonl")):
            time.sleep(0.1)
    finally:
        out = stop(proc)
    assert "Trust the CA certificate" in out
    evs = [json.loads(line) for p in events.glob("*.jsonl") for line in p.read_text().splitlines()]
    assert evs and evs[0]["socialguard"]["platform"] == "x"


@pytest.mark.e2e
def test_run_from_an_empty_directory_serves_traffic_on_the_bundled_policy(tmp_path, internet):
    """After `pip install`, from any directory and with no --policy: the bundled policy is found and used."""
    import os

    empty = tmp_path / "empty"
    empty.mkdir()
    port = free_port()
    conf = tmp_path / "conf"
    env = {k: v for k, v in os.environ.items() if k != "SOCIALGUARD_POLICY"}
    proc = subprocess.Popen(
        [SOCIALGUARD, "run", "--listen-port", str(port), "--", "--set", f"confdir={conf}",
         "--mode", f"upstream:http://127.0.0.1:{internet.port}", "--set", "ssl_insecure=true"],
        cwd=empty, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_port(port, proc, timeout=120)
        import requests

        s = requests.Session()
        s.trust_env = False
        r = s.get("https://x.com/home", proxies={"https": f"http://127.0.0.1:{port}"},
                  verify=str(conf / "mitmproxy-ca-cert.pem"), timeout=30)
        assert r.status_code == 200
        events = empty / "var" / "events"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not list(events.glob("*.jsonl")):
            time.sleep(0.1)
    finally:
        out = stop(proc)
    assert "bundled_policy" in out or "/policy" in out
    evs = [json.loads(line) for p in events.glob("*.jsonl") for line in p.read_text().splitlines()]
    assert evs and any(ev.get("socialguard", {}).get("platform") == "x" for ev in evs)
