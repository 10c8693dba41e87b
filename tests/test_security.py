"""Security: planted credentials never reach events, reports or logs; the proxy's own endpoints accept only what
they should; the locked dependencies have no known vulnerabilities (pip-audit)."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from support.clients import session_for
from support.proxies import ROOT, SOCIALGUARD, free_port

# Each secret is unique and greppable; every output is scanned for it (and its usual encodings).
SECRETS = {
    "authorization": "sgAUTHb3arer7c1e4d",
    "proxy_authorization": "sgPROXYpw9e8d7c",
    "cookie": "sgCOOKIEsess5a4b3c",
    "password_field": "sgPASSWORDf1e2d3",
    "query_token": "sgQUERYtok6f5e4d",
    "json_token": "sgJSONbearer0a9b8c",
    "message_text": "sgMESSAGEbody1b2c3d",
}


def encodings(secret: str) -> list[str]:
    return [secret, quote(secret), base64.b64encode(secret.encode()).decode().rstrip("="),
            base64.b64encode(f"alice:{secret}".encode()).decode().rstrip("=")]


def assert_clean(name: str, text: str) -> None:
    for kind, secret in SECRETS.items():
        for form in encodings(secret):
            assert form not in text, f"planted {kind} secret appears in {name}"


def scan_tree(directory: Path) -> None:
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        assert_clean(str(path), path.read_bytes().decode("utf-8", "replace"))


def send_planted_traffic(proxy) -> None:
    s = session_for(proxy)
    auth = {"Authorization": f"Bearer {SECRETS['authorization']}",
            "Proxy-Authorization": "Basic " + base64.b64encode(f"alice:{SECRETS['proxy_authorization']}".encode())
            .decode(),
            "Cookie": f"_session_id={SECRETS['cookie']}; theme=dark"}
    for host in ("mastodon.social", "www.example.org"):
        s.get(f"https://{host}/api/v1/timelines/home?access_token={SECRETS['query_token']}&limit=20",
              headers=auth, timeout=20)
        s.post(f"https://{host}/auth/sign_in", headers=auth, timeout=20,
               data={"user[email]": "alice@example.org", "user[password]": SECRETS["password_field"],
                     "password": SECRETS["password_field"]})
        s.post(f"https://{host}/api/v1/statuses", headers=auth, timeout=20,
               json={"status": f"hello {SECRETS['message_text']}", "token": SECRETS["json_token"],
                     "access_token": SECRETS["json_token"], "visibility": "direct"})
        s.post(f"https://{host}/api/v2/media", headers=auth, timeout=20,
               files={"file": ("notes.txt", f"password={SECRETS['password_field']}".encode(), "text/plain")})


@pytest.mark.e2e
def test_planted_credentials_never_reach_events_or_logs(proxy_factory, internet):
    p = proxy_factory(mitm_extra=["--set", "termlog_verbosity=debug"])
    send_planted_traffic(p)
    # The secrets really went through (the fake internet logs what it received), so a clean scan means something.
    received = json.dumps(internet.received())
    assert SECRETS["authorization"] in received and SECRETS["query_token"] in received
    evs = p.wait_events(lambda e: sum(x.get("url", {}).get("domain") == "mastodon.social" for x in e) >= 4)
    assert sum(e.get("url", {}).get("domain") == "mastodon.social" for e in evs) >= 4, "traffic was not classified"
    log = p.stop()
    assert_clean("proxy log (stdout+stderr)", log)
    scan_tree(p.events_dir)


def planted_har(path: Path) -> Path:
    def entry(method, url, headers, post=None):
        e = {"startedDateTime": "2026-03-02T14:05:00.000Z", "time": 80,
             "request": {"method": method, "url": url, "headers": headers,
                         "cookies": [{"name": "_session_id", "value": SECRETS["cookie"]}]},
             "response": {"status": 200, "headers": [{"name": "Set-Cookie",
                                                      "value": f"_session_id={SECRETS['cookie']}"}], "bodySize": 2}}
        if post:
            e["request"]["postData"] = post
        return e

    hdrs = [{"name": "Authorization", "value": f"Bearer {SECRETS['authorization']}"},
            {"name": "Cookie", "value": f"_session_id={SECRETS['cookie']}"},
            {"name": "Proxy-Authorization", "value": "Basic " + base64.b64encode(
                f"alice:{SECRETS['proxy_authorization']}".encode()).decode()}]
    entries = [
        entry("GET", f"https://mastodon.social/api/v1/timelines/home?access_token={SECRETS['query_token']}", hdrs),
        entry("POST", "https://mastodon.social/auth/sign_in", hdrs,
              {"mimeType": "application/x-www-form-urlencoded",
               "params": [{"name": "user[password]", "value": SECRETS["password_field"]}]}),
        entry("POST", "https://mastodon.social/api/v1/statuses", hdrs,
              {"mimeType": "application/json", "text": json.dumps(
                  {"status": f"hi {SECRETS['message_text']}", "token": SECRETS["json_token"]})}),
    ]
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return path


def test_classify_har_outputs_hold_no_credentials(tmp_path):
    har = planted_har(tmp_path / "planted.har")
    events = tmp_path / "events"
    out = subprocess.run([SOCIALGUARD, "classify", "--har", str(har), "--policy", str(ROOT / "policy"),
                          "--events-dir", str(events), "--user", "alice"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 3
    assert_clean("classify stdout", out.stdout)
    assert_clean("classify stderr", out.stderr)
    assert list(events.glob("*.jsonl"))
    scan_tree(events)


@pytest.mark.parametrize("fmt", ["html", "csv", "md", "json"])
def test_reports_hold_no_credentials(tmp_path, fmt):
    """The worst case for privacy: per-person rows with real names, over events made from planted traffic."""
    har = planted_har(tmp_path / "planted.har")
    events = tmp_path / "events"
    subprocess.run([SOCIALGUARD, "classify", "--har", str(har), "--policy", str(ROOT / "policy"), "--events-dir",
                    str(events), "--user", "alice"], capture_output=True, check=True, timeout=60)
    out_file = tmp_path / "report" / f"report.{fmt}"
    out_file.parent.mkdir()
    out = subprocess.run([SOCIALGUARD, "report", "--events", str(events), "--policy", str(ROOT / "policy"),
                          "--from", "2026-03-01", "--to", "2026-03-07", "--by", "user", "--individual",
                          "--no-pseudonymise", "--format", fmt, "--out", str(out_file), "--operator", "auditor"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    text = out_file.read_text()
    assert "mastodon" in text.lower(), "the planted traffic is not in the report: a clean scan would mean nothing"
    assert_clean("report stdout", out.stdout)
    assert_clean("report stderr", out.stderr)
    scan_tree(tmp_path / "report")
    scan_tree(events)          # and the audit event the report run wrote


# -- the proxy's own endpoints ---------------------------------------------------------------------
@pytest.mark.e2e
def test_metrics_endpoint_accepts_only_what_it_should(tmp_path):
    import requests
    from support.faulty_servers import FaultyServer, RegularProxy

    origin = FaultyServer("ok").start()
    mport = free_port()
    p = RegularProxy(tmp_path / "metrics", metrics_port=mport).start()
    try:
        s = requests.Session()
        s.trust_env = False
        s.proxies = {"http": p.url}
        for path in (f"/api/v1/timelines/home?access_token={SECRETS['query_token']}", "/api/v1/statuses"):
            s.get(f"http://127.0.0.1:{origin.port}{path}", timeout=20, headers={
                "Host": "mastodon.social", "Authorization": f"Bearer {SECRETS['authorization']}",
                "Cookie": f"_session_id={SECRETS['cookie']}"})
        m = requests.Session()
        m.trust_env = False
        base = f"http://127.0.0.1:{mport}"
        deadline = time.monotonic() + 10
        while True:
            try:
                r = m.get(f"{base}/metrics", timeout=10)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert r.status_code == 200 and "socialguard" in r.text
        assert_clean("metrics", r.text)
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            assert m.request(method, f"{base}/metrics", data=b"x=1", timeout=10).status_code >= 400, method
        for path in ("/../../etc/passwd", "/metrics/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/nope"):
            r = m.get(base + path, timeout=10)
            assert "root:" not in r.text and (r.status_code >= 400 or path.startswith("/metrics")), path
    finally:
        p.stop()
        origin.stop()


NAVIGATION = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1",
              "Accept": "text/html,application/xhtml+xml"}


@pytest.mark.e2e
def test_banner_dismiss_endpoint_accepts_only_what_it_should(proxy_factory):
    from socialguard.banner.service import DISMISS_PATH, RESERVED_HOST

    p = proxy_factory()
    s = session_for(p)
    base = f"https://{RESERVED_HOST}{DISMISS_PATH}"
    social = "https://mastodon.social/home"

    def get(url, headers=NAVIGATION, method="GET"):
        return s.request(method, url, headers=headers, allow_redirects=False, timeout=20)

    # The one thing it does: a person's navigation back to a social page, by a link made for them (signed with
    # the proxy's key; an unsigned or another person's link is refused: tests/test_banner_dismiss.py).
    import time

    from socialguard.banner.dismiss import DismissLinks
    from socialguard.identity import IdentityResolver
    from socialguard.policy import load_policy

    p.wait_events(lambda e: (p.confdir / "socialguard-dismiss.key").exists(), timeout=10)
    who = IdentityResolver(load_policy(p.policy).identity).resolve("127.0.0.1", None)
    links = DismissLinks((p.confdir / "socialguard-dismiss.key").read_bytes())
    ok = get(links.url(user=who.user, platform="mastodon", page_url=social, now=time.time()))
    assert ok.status_code == 303 and ok.headers["location"] == social
    assert get(f"{base}?r={quote(social, safe='')}").status_code == 400        # unsigned
    # Nothing else: other methods and paths, scripted requests, open redirects, script URLs, reflected markup.
    assert get(f"{base}?r={quote(social, safe='')}", method="POST").status_code == 404
    assert get(f"https://{RESERVED_HOST}/anything").status_code == 404
    assert get(f"{base}?r={quote(social, safe='')}", headers={"Sec-Fetch-Mode": "cors",
                                                              "Sec-Fetch-Dest": "empty"}).status_code == 403
    for target in ("https://evil.example.net/phish", "javascript:alert(1)", "//evil.example.net/",
                   "https://mastodon.social.evil.example.net/", "data:text/html,<script>x</script>",
                   "https://evil.example.net/<script>x</script>"):
        r = get(f"{base}?r={quote(target, safe='')}")
        assert r.status_code == 400, target
        assert "<script>" not in r.text and "location" not in r.headers


# -- dependencies ----------------------------------------------------------------------------------
def test_locked_dependencies_have_no_known_vulnerabilities():
    lock = ROOT / "requirements-lock.txt"
    assert lock.is_file(), "requirements-lock.txt missing: .venv/bin/pip freeze --exclude-editable > it"
    audit = Path(sys.executable).parent / "pip-audit"
    if not audit.exists():
        pytest.skip("pip-audit not installed (scripts/bootstrap.sh --test installs it)")
    try:
        out = subprocess.run([str(audit), "-r", str(lock), "--no-deps", "--disable-pip", "--progress-spinner", "off",
                              "-f", "json"], capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        pytest.skip("pip-audit timed out (no network to PyPI's vulnerability API?)")
    try:
        report = json.loads(out.stdout)
    except ValueError:
        pytest.skip("pip-audit could not reach a vulnerability service: "
                    + (re.findall(r"\w+Error[^\n]*", out.stderr) or [out.stderr.strip()[-200:]])[-1][:300])
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    if not audited:
        reason = deps[0]["skip_reason"] if deps else "no dependencies reported"
        pytest.skip(f"pip-audit audited nothing (no network to PyPI's vulnerability API here): {reason}")
    vulnerable = {f"{d['name']} {d['version']}": [v["id"] for v in d.get("vulns", [])]
                  for d in audited if d.get("vulns")}
    assert not vulnerable, f"known vulnerabilities in locked dependencies: {vulnerable}"
