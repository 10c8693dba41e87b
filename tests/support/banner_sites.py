"""Canned pages that imitate social sites under strict Content-Security-Policies, for the banner's browser tests.

Each page has a nonce'd (or same-origin) script that sets `document.documentElement.dataset.pageScript`,
so a test can tell that the page's own script still ran next to the banner.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

MARKER_SCRIPT = "document.documentElement.dataset.pageScript = 'ran';"


@dataclass(frozen=True)
class CspPage:
    name: str                 # screenshot / test id
    host: str
    path: str                 # served path (a file under <site_dir>/<host>/)
    csp: str = ""             # header value ('' for none)
    meta_csp: str = ""        # <meta http-equiv> value
    script_nonce: str = ""    # nonce of the page's inline script; '' loads /app.js instead
    encoding: str = ""        # content-encoding the internet applies
    style: str = ""           # the expected csp.Mode
    tt_script: bool = False   # the page script uses Trusted Types before touching innerHTML
    head_extra: str = ""      # more markup for <head> (e.g. hostile CSS)

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"


CSP_PAGES = (
    CspPage("strict-dynamic", "www.facebook.com", "/",
            csp="script-src 'nonce-fb1' 'strict-dynamic'; object-src 'none'; base-uri 'none'",
            script_nonce="fb1", encoding="gzip", style="inline"),
    CspPage("style-self", "x.com", "/home",
            csp="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:",
            encoding="zstd", style="stylesheet"),
    CspPage("style-nonce", "www.linkedin.com", "/feed/",
            csp="default-src 'none'; script-src 'nonce-li1'; style-src 'nonce-li2'; img-src 'self'",
            script_nonce="li1", encoding="br", style="nonce"),
    CspPage("trusted-types", "mastodon.social", "/home",
            csp="script-src 'nonce-tt1'; style-src 'self'; require-trusted-types-for 'script'; trusted-types app",
            script_nonce="tt1", style="stylesheet", tt_script=True),
    CspPage("meta-csp", "bsky.app", "/",
            meta_csp="default-src 'none'; script-src 'nonce-m1'; style-src 'nonce-m2'",
            script_nonce="m1", style="nonce"),
    CspPage("hostile-css", "www.facebook.com", "/hostile", style="inline", head_extra=(
        "<style>socialguard-banner,[data-socialguard],body>*:first-child{display:none!important;"
        "visibility:hidden!important;height:0!important}*{font-size:2px!important;color:red!important;"
        "background:black!important}section{display:none!important}</style>")),
    CspPage("no-style-allowed", "twitter.com", "/strict",
            csp="default-src 'none'; script-src 'nonce-q1'; style-src https://static.invalid",
            script_nonce="q1", style="attributes"),
)

# Pages where the proxy inserts a banner that the browser does not render (hidden by the page's CSS), or
# cannot confirm (the page's CSP blocks images from its own origin, so the banner carries no beacon).
TELEMETRY_PAGES = (
    CspPage("hidden-by-css", "www.facebook.com", "/hidden-css", style="inline",
            head_extra="<style>body{display:none!important}</style>"),
    CspPage("images-blocked", "www.facebook.com", "/no-images",
            csp="script-src 'nonce-ib1' 'strict-dynamic'; img-src 'none'", script_nonce="ib1", style="inline"),
)

# Platforms the test policy needs when the shipped catalog does not (yet) have them.
EXTRA_PLATFORMS = {
    "facebook": {"slug": "facebook", "name": "Facebook", "hosts": ["facebook.com", "messenger.com"]},
    "linkedin": {"slug": "linkedin", "name": "LinkedIn", "hosts": ["linkedin.com"], "professional": True},
}


def page_html(p: CspPage) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{p.meta_csp}">' if p.meta_csp else ""
    if p.tt_script:
        body_js = ("const pol = trustedTypes.createPolicy('app', {createHTML: s => s});"
                   "document.getElementById('feed').innerHTML = pol.createHTML('<b>posts</b>');" + MARKER_SCRIPT)
    else:
        body_js = MARKER_SCRIPT
    script = f'<script nonce="{p.script_nonce}">{body_js}</script>' if p.script_nonce else \
        '<script src="/app.js"></script>'
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" + meta + p.head_extra +
            f"<title>{p.name} &lt;body&gt; imitation</title>"
            "<!-- a comment with <body> inside -->"
            "<template><body class=\"in-template\"></template>"
            f"</head>\n<BODY class=\"site\"><header><button id=\"compose\">Post</button></header>"
            f"<main id=\"feed\">Fil d'actualité café</main>{script}</BODY></html>")


def headers_text(p: CspPage) -> str:
    lines = ["Content-Type: text/html; charset=utf-8", "Cache-Control: private, max-age=600",
             'ETag: "v1"', "Last-Modified: Wed, 01 Jan 2025 00:00:00 GMT", "X-Frame-Options: DENY",
             "X-Content-Type-Options: nosniff"]
    if p.csp:
        lines.append(f"Content-Security-Policy: {p.csp}")
    if p.encoding:
        lines.append(f"Content-Encoding: {p.encoding}")
    return "\n".join(lines) + "\n"


def write_file(site: Path, host: str, path: str, body: bytes | str, headers: str | None = None) -> Path:
    target = site / host / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body.encode() if isinstance(body, str) else body)
    if headers is not None:
        target.with_name(target.name + ".headers").write_text(headers)
    return target


def build_site(site: Path) -> None:
    for p in CSP_PAGES + TELEMETRY_PAGES:
        write_file(site, p.host, p.path, page_html(p), headers_text(p))
        if not p.script_nonce:
            write_file(site, p.host, "/app.js", MARKER_SCRIPT, "Content-Type: text/javascript\n")
    # Resources that must pass through untouched, byte for byte.
    write_file(site, "x.com", "/api/data.json", b'{"timeline": ["<body>"]}', "Content-Type: application/json\n")
    write_file(site, "x.com", "/pic.png", bytes(range(256)) * 4, "Content-Type: image/png\n")
    write_file(site, "x.com", "/frame.html", "<html><body>framed</body></html>",
               "Content-Type: text/html; charset=utf-8\n")
    write_file(site, "www.example.org", "/", "<!doctype html><html><body><p>not social</p></body></html>",
               "Content-Type: text/html; charset=utf-8\n")
    # A social page that embeds the frame and fetches the JSON (under a permissive policy).
    write_file(site, "x.com", "/embeds", (
        "<!doctype html><html><head><title>embeds</title></head><body><iframe src=\"/frame.html\"></iframe>"
        "<img src=\"/pic.png\"><script>fetch('/api/data.json').then(r => r.text())"
        ".then(t => { document.documentElement.dataset.fetched = t; });</script></body></html>"),
        "Content-Type: text/html; charset=utf-8\n")


def make_policy(target: Path, source: Path, *, every_minutes: int, dismiss_minutes: int = 480) -> Path:
    """A copy of the shipped policy with the given banner frequency and any platform the tests need."""
    shutil.copytree(source, target)
    banner = yaml.safe_load((source / "banner.yaml").read_text())
    banner["frequency"] = {"every_minutes": every_minutes, "dismiss_minutes": dismiss_minutes}
    (target / "banner.yaml").write_text(yaml.safe_dump(banner, allow_unicode=True, sort_keys=False))
    known = {yaml.safe_load(f.read_text()).get("slug") for f in (target / "platforms").glob("*.yaml")}
    for slug, doc in EXTRA_PLATFORMS.items():
        if slug not in known:
            (target / "platforms" / f"zz-test-{slug}.yaml").write_text(yaml.safe_dump(doc))
    return target
