"""The dismiss endpoint through a real `socialguard run` in regular (non-upstream) proxy mode.

The reserved host can never resolve; with mitmproxy's default eager connection strategy the proxy must
still accept the CONNECT and answer the request itself, without dialling or resolving anything.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from support.clients import session_for
from support.proxies import ROOT, SOCIALGUARD, free_port, stop, wait_port

pytestmark = pytest.mark.e2e


class _RegularProxy:
    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.ca = workdir / "conf" / "mitmproxy-ca-cert.pem"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def regular_proxy(tmp_path):
    p = _RegularProxy(tmp_path)
    proc = subprocess.Popen([SOCIALGUARD, "run", "--policy", str(ROOT / "policy"), "--events-dir",
                             str(tmp_path / "events"), "--listen-host", "127.0.0.1", "--listen-port", str(p.port),
                             "--node", "test-node", "--", "--set", f"confdir={tmp_path / 'conf'}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    wait_port(p.port, proc)
    deadline = time.monotonic() + 10
    while not p.ca.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield p
    stop(proc)


NAV = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
HOSTILE = {
    "crlf": "r=https%3A%2F%2Fx.com%2Fhome%0D%0ASet-Cookie%3A%20sg%3Dpwned&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "crlf-raw-lf": "r=https%3A%2F%2Fx.com%2F%0ALocation%3A%20https%3A%2F%2Fevil.example%2F&p=x&i={i}&t=AAAA",
    "backslash-at": "r=https%3A%2F%2Fevil.example%5C%40x.com%2F&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "fediverse-foreign": "r=https%3A%2F%2Fevil.example%2Fapi%2Fv1%2Ftimelines%2Fhome&p=mastodon&i={i}&t=AAAAAAAA",
    "userinfo": "r=https%3A%2F%2Fx.com%40evil.example%2F&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "unsigned": "r=https%3A%2F%2Fx.com%2Fhome",
    "forged": "r=https%3A%2F%2Fx.com%2Fhome&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "expired": "r=https%3A%2F%2Fx.com%2Fhome&p=x&i=1000&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "repeated": "r=https%3A%2F%2Fx.com%2Fhome&r=https%3A%2F%2Fevil.example%2F&p=x&i={i}&t=AAAA",
}


def test_dismiss_host_answers_in_regular_mode_and_refuses_hostile_links(regular_proxy):
    s = session_for(regular_proxy)
    now = int(time.time())
    for name, query in HOSTILE.items():
        r = s.get(f"https://socialguard.invalid/dismiss?{query.replace('{i}', str(now))}", allow_redirects=False,
                  headers=NAV, timeout=20)
        assert r.status_code == 400, name
        assert "location" not in r.headers and "set-cookie" not in r.headers, name
        assert "evil" not in r.text and "sg=pwned" not in r.text, name
    r = s.get("https://socialguard.invalid/elsewhere", allow_redirects=False, timeout=20)
    assert r.status_code == 404


def test_decoded_size_cap_holds_for_uncompressed_pages(tmp_path):
    """An 8.6 MiB page gets no banner whether it comes compressed or not, and the proxy says why."""
    from support.banner_sites import make_policy, write_file
    from support.proxies import Internet, SocialguardProxy

    site = tmp_path / "site"
    big = b"<!doctype html><html><head><title>big</title></head><body>" + b"<p>feed</p>" * 820_000 + b"</body></html>"
    assert len(big) > 8.5 * 1024 * 1024
    html = "Content-Type: text/html; charset=utf-8\n"
    write_file(site, "www.facebook.com", "/big", big, html)
    write_file(site, "www.facebook.com", "/big-gz", big, html + "Content-Encoding: gzip\n")  # the internet gzips it
    write_file(site, "www.facebook.com", "/small", big[:2000] + b"</body></html>", html)
    net = Internet(tmp_path / "internet", site_dir=site).start()
    policy = make_policy(tmp_path / "policy", ROOT / "policy", every_minutes=0)
    proxy = SocialguardProxy(tmp_path / "proxy", net.port, policy=policy, ca_from=net.confdir).start()
    try:
        s = session_for(proxy)
        bodies = {}
        for path in ("/big", "/big-gz", "/small"):
            r = s.get(f"https://www.facebook.com{path}", headers=NAV | {"Accept": "text/html"}, timeout=60)
            assert r.status_code == 200
            bodies[path] = r.content
        assert bodies["/big"] == big and bodies["/big-gz"] == big          # untouched, byte for byte
        assert b"socialguard-banner" in bodies["/small"]
        evs = proxy.wait_events(lambda e: sum(x["event"]["action"] == "socialguard.error" for x in e) >= 2)
        errors = [x for x in evs if x["event"]["action"] == "socialguard.error"]
        assert sorted(x["url"]["path"] for x in errors) == ["/big", "/big-gz"]
        assert all(x["event"]["reason"] == "banner" for x in errors)
    finally:
        proxy.stop()
        net.stop()


def _midday_zone() -> str:
    """An Etc/GMT zone in which it is now between 11:00 and 13:00, so 'today' has a working morning behind it."""
    import datetime as dt

    offset = dt.datetime.now(dt.UTC).hour - 12            # local = UTC - offset
    return "Etc/GMT" + (f"+{offset}" if offset > 0 else f"-{-offset}" if offset < 0 else "")


def test_meter_after_a_restart_shows_what_report_self_shows(tmp_path):
    """Events of this morning in the folder; a proxy starts; the first page's meter equals `report --self`."""
    import datetime as dt
    import json
    import re
    from zoneinfo import ZoneInfo

    import holidays
    import yaml
    from support.banner_sites import CSP_PAGES, build_site, make_policy
    from support.proxies import Internet, SocialguardProxy

    zone = _midday_zone()
    today = dt.datetime.now(ZoneInfo(zone)).date()
    off_today = [n for d, n in holidays.country_holidays("CA", subdiv="ON", years=today.year).items() if d == today]
    policy = make_policy(tmp_path / "policy", ROOT / "policy", every_minutes=0)
    wt = yaml.safe_load((policy / "worktime.yaml").read_text())
    wt.update(time_zone=zone, weekly_hours=None, schedules={}, groups={}, people={}, leave={})
    wt["default_schedule"] = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00",
                              "end": "23:59", "lunch": None, "breaks": []}
    wt["holidays"] = {"country": "CA", "subdiv": "ON", "working_days": off_today, "extra": []}
    (policy / "worktime.yaml").write_text(yaml.safe_dump({k: v for k, v in wt.items() if v is not None}))
    events = tmp_path / "proxy" / "events"
    events.mkdir(parents=True)
    start = dt.datetime.combine(today, dt.time(9, 0), ZoneInfo(zone)).timestamp()
    stamps = [start + 45 * i for i in range(40)] + [start + 3600 + 50 * j for j in range(12)]   # two sessions
    lines = [json.dumps({"@timestamp": dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds")
                         .replace("+00:00", "Z"), "event": {"action": "social.activity"}, "user": {"name": "ann"},
                         "socialguard": {"platform": "x", "background": False}}) for ts in stamps]
    day_file = events / f"events-{dt.datetime.fromtimestamp(start, dt.UTC).date()}.jsonl"
    day_file.write_text("\n".join(lines) + "\n")
    out = subprocess.run([SOCIALGUARD, "report", "--events", str(events), "--policy", str(policy), "--self", "ann",
                          "--from", str(today), "--to", str(today), "--format", "json", "--no-cache"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    reported = next(r["working_minutes"] for r in json.loads(out.stdout)["rows"] if r["platform"] == "all")
    assert reported > 30              # what the person's own report says at the moment of the restart
    site = tmp_path / "site"
    build_site(site)
    net = Internet(tmp_path / "internet", site_dir=site).start()
    proxy = SocialguardProxy(tmp_path / "proxy", net.port, policy=policy, ca_from=net.confdir,
                             mitm_extra=["--set", "proxyauth=any"]).start()
    try:
        s = session_for(proxy)
        s.proxies = {k: v.replace("http://", "http://ann:pw@") for k, v in s.proxies.items()}
        meter = None
        deadline = time.monotonic() + 20                    # the rebuild runs beside the first requests
        while meter is None and time.monotonic() < deadline:
            body = s.get(CSP_PAGES[0].url, headers=NAV | {"Accept": "text/html"}, timeout=30).text
            m = re.search(r'class="m"[^>]*><span class="n">Today: </span>(\d+)(?:&#160;|&#xa0;)min', body)
            meter = int(m.group(1)) if m else None
            time.sleep(0.2)
    finally:
        proxy.stop()
        net.stop()
    assert meter == int(reported)
