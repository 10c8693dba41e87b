"""Serving imitation pages to real Chromium with the banner core in the loop, without a proxy.

A Playwright route answers every request the way the proxy's banner addon does: the page goes through
`BannerService.inject` (with the page's own CSP headers, which Chromium enforces on fulfilled responses), the
reserved stylesheet and beacon paths on the page's origin and the reserved dismiss host are answered by the
service. What Chromium fetched is recorded, so a test can tell "inserted" from "rendered".
The end-to-end tests through the running proxy are in test_browser_banner.py / test_e2e_banner.py.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from socialguard.banner.beacon import PIXEL, beacon_id
from socialguard.banner.dismiss import RESERVED_HOST, Dismissal
from socialguard.banner.service import STYLESHEET_PATH, BannerService, Injected, PageFacts

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"      # Debian's, never a downloaded browser
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]

# Collects CSP violations before any page script runs (init scripts are not subject to the page's CSP).
VIOLATION_PROBE = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""

# For each named part: is it the topmost element at its own centre? Looks through open shadow roots, so a
# control inside the page's own shadow DOM counts, and a banner part counts only when the banner's host is
# what the document hits there.
TOPMOST = """
(parts) => {
  const deepAll = (root, sel, out = []) => {
    root.querySelectorAll(sel).forEach(e => out.push(e));
    root.querySelectorAll('*').forEach(e => { if (e.shadowRoot) deepAll(e.shadowRoot, sel, out); });
    return out;
  };
  const deepHit = (x, y) => {
    let e = document.elementFromPoint(x, y);
    while (e && e.shadowRoot) {
      const inner = e.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === e) break;
      e = inner;
    }
    return e;
  };
  const verdict = (el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (r.width === 0 || r.height === 0) return 'no box';
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return 'off screen';
    const hit = deepHit(x, y);
    if (hit && (hit === el || el.contains(hit))) return 'ok';
    return 'covered by ' + (hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + hit.className : '') : 'nothing');
  };
  const out = {};
  const host = document.querySelector('socialguard-banner');
  if (host && host.shadowRoot) {
    for (const [name, sel] of Object.entries(parts)) {
      const el = host.shadowRoot.querySelector(sel);
      out['banner:' + name] = el ? verdict(el) : 'missing';
    }
    const bar = host.shadowRoot.querySelector('section').getBoundingClientRect();
    out['bar'] = {top: bar.top, bottom: bar.bottom, left: bar.left, right: bar.right, height: bar.height};
  } else {
    out['banner'] = 'missing';
  }
  for (const el of deepAll(document, '[data-control]')) out['page:' + el.dataset.control] = verdict(el);
  return out;
}
"""
BANNER_PARTS = {"message": "p.t", "meter": "span.m", "dismiss": "a.x", "more": "summary"}


@dataclass
class Served:
    """One imitation site: path -> (status, headers, body), plus the banner pages by URL."""

    files: dict[str, tuple[dict[str, str], bytes]] = field(default_factory=dict)
    platforms: dict[str, str] = field(default_factory=dict)     # page URL -> platform slug


class BannerRoute:
    """Plays the proxy's banner addon for one browser context (one person)."""

    def __init__(self, policy, site: Served, user: str, *, minutes: float = 17.0, known_hosts: set[str]):
        self.policy, self.site, self.user, self.minutes = policy, site, user, minutes
        self.service = BannerService()
        self.known_hosts = known_hosts
        self.inserted: list[Injected] = []
        self.rendered: list = []
        self.dismissed: list[Dismissal] = []
        self.stylesheets = 0

    def known(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.known_hosts)

    def __call__(self, route, request) -> None:
        parts = urlsplit(request.url)
        if parts.hostname == RESERVED_HOST:
            return self._dismiss(route, parts.query)
        if parts.path == STYLESHEET_PATH:
            self.stylesheets += 1
            return route.fulfill(status=200, body=self.service.stylesheet(parts.query),
                                 headers={"content-type": "text/css; charset=utf-8", "cache-control": "no-store"})
        token = beacon_id(parts.path)
        if token is not None:
            record = self.service.rendered(token, user=self.user, now=time.time(),
                                           fetch_dest=request.headers.get("sec-fetch-dest"))
            if record is not None:
                self.rendered.append(record)
            return route.fulfill(status=200, body=PIXEL, headers={"content-type": "image/gif",
                                                                  "cache-control": "no-store"})
        url = request.url.split("#", 1)[0]
        key = f"{parts.scheme}://{parts.netloc}{parts.path}"
        if key not in self.site.files:
            return route.fulfill(status=404, body=b"not found", headers={"content-type": "text/plain"})
        headers, body = self.site.files[key]
        if key in self.site.platforms and request.is_navigation_request() and request.frame.parent_frame is None:
            body = self._inject(url, parts, headers, body, request.headers.get("accept-language"), key)
        route.fulfill(status=200, body=body, headers=headers)

    def _inject(self, url, parts, headers, body, accept_language, key) -> bytes:
        platform = self.site.platforms[key]
        page = PageFacts(scheme=parts.scheme, host=parts.hostname, port=parts.port or 443, url=url,
                         content_type=headers.get("content-type"), content_encoding=None,
                         csp=tuple(v for k, v in headers.items() if k.startswith("content-security-policy")),
                         path=parts.path)
        now = time.time()
        injected = self.service.inject(
            body, page, self.policy.banner, faq_url="https://faq.example/", contact_url="mailto:team@example.org",
            now=now, host_known=self.known,
            make_content=lambda: self.service.content_for(
                self.policy.banner, user=self.user, platform=platform, now=now, accept_language=accept_language,
                minutes=lambda: self.minutes, coaching=list, has_coaching=lambda: False, platform_names={}))
        if injected is None:
            return body
        self.inserted.append(injected)
        return injected.raw

    def _dismiss(self, route, query: str) -> None:
        result = self.service.dismiss(query, user=self.user, now=time.time(), host_known=self.known)
        if isinstance(result, Dismissal):
            self.dismissed.append(result)
            return route.fulfill(status=303, headers={"location": result.return_url, "cache-control": "no-store"})
        return route.fulfill(status=400, body=b"socialguard: this link does not lead back to a social media page\n",
                             headers={"content-type": "text/plain; charset=utf-8"})


def serve_layouts(pages) -> Served:
    site = Served()
    for p in pages:
        site.files[p.url] = (p.headers(), p.html().encode())
        site.platforms[p.url] = p.platform
        site.files[f"https://{p.host}/site-{p.name}.css"] = ({"content-type": "text/css"}, p.css.encode())
    return site
