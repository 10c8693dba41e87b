"""The reminder banner in real headless Chromium, through the running proxy, on pages with strict CSPs.

One browser for the module; two proxies sharing one CA (trusted by SPKI so Chromium caches like it would
in production): one shows the banner on every page (CSP matrix, dismissal, language, untouched traffic),
one keeps the shipped 4-hour frequency cap. Every test browses as its own proxy-auth user.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import shutil

import pytest
from support.banner_sites import CSP_PAGES, TELEMETRY_PAGES, build_site, make_policy
from support.proxies import ROOT, Internet, SocialguardProxy

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"      # Debian's, never a downloaded browser
BANNER = 'socialguard-banner[data-socialguard="banner"]'
REGION = f'{BANNER} section[role="region"]'
_users = itertools.count(1)

# Collects CSP violations before any page script runs (init scripts are not subject to the page's CSP).
VIOLATION_PROBE = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


def _spki_hash(ca_pem: str) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert = x509.load_pem_x509_certificate(ca_pem.encode())
    der = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("banner-sites")
    build_site(root)
    return root


@pytest.fixture(scope="module")
def net(tmp_path_factory, site):
    internet = Internet(tmp_path_factory.mktemp("banner-internet"), site_dir=site).start()
    yield internet
    internet.stop()


@pytest.fixture(scope="module")
def proxies(tmp_path_factory, net):
    """'every': a banner on every page; 'capped': the shipped cap. Same CA, proxy auth for per-test users."""
    work = tmp_path_factory.mktemp("banner-proxies")
    auth = ["--set", "proxyauth=any"]
    every = SocialguardProxy(work / "every", net.port, policy=make_policy(work / "policy-every", ROOT / "policy",
                                                                            every_minutes=0), mitm_extra=auth,
                             # Non-social hosts pass through undecrypted: one CA for the origin and the proxy
                             # lets the browser trust both by one SPKI hash.
                             ca_from=net.confdir).start()
    capped = SocialguardProxy(work / "capped", net.port, policy=make_policy(work / "policy-capped", ROOT / "policy",
                                                                              every_minutes=240), mitm_extra=auth)
    capped.confdir.mkdir(parents=True)
    for f in every.confdir.glob("mitmproxy-ca*"):
        shutil.copy(f, capped.confdir / f.name)
    capped.start()
    yield {"every": every, "capped": capped}
    every.stop()
    capped.stop()


@pytest.fixture(scope="module")
def browser(proxies):
    from playwright.sync_api import sync_playwright

    spki = _spki_hash(proxies["every"].ca.read_text())
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-features=HttpsUpgrades",
            f"--ignore-certificate-errors-spki-list={spki}"],
            proxy={"server": "http://per-context"})
        yield b
        b.close()


class Tab:
    """A browser context as one person, with its console errors and CSP violations collected."""

    def __init__(self, browser, proxy, locale: str = "en-CA", user: str | None = None):
        self.user = user or f"user{next(_users)}"
        self.context = browser.new_context(
            proxy={"server": proxy.url, "username": self.user, "password": "pw"}, locale=locale,
            viewport={"width": 1100, "height": 500})
        self.context.add_init_script(VIOLATION_PROBE)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def goto(self, url: str):
        return self.page.goto(url, wait_until="load")

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations")

    def banner_count(self) -> int:
        return self.page.locator(BANNER).count()

    def close(self):
        self.context.close()


@pytest.fixture
def tab_factory(browser):
    tabs: list[Tab] = []

    def make(proxy, **kw) -> Tab:
        t = Tab(browser, proxy, **kw)
        tabs.append(t)
        return t

    yield make
    for t in tabs:
        t.close()


@pytest.mark.parametrize("page", CSP_PAGES, ids=[p.name for p in CSP_PAGES])
def test_banner_visible_under_strict_csp(page, proxies, tab_factory, net, artifacts):
    tab = tab_factory(proxies["every"])
    resp = tab.goto(page.url)
    assert resp.status == 200
    region = tab.page.locator(REGION)
    region.wait_for(state="visible", timeout=10_000)
    tab.page.wait_for_timeout(200)           # let a same-origin stylesheet apply before the screenshot
    tab.page.screenshot(path=str(artifacts / f"banner-{page.name}.png"))
    assert region.bounding_box()["height"] > 20
    assert tab.page.evaluate("document.documentElement.dataset.pageScript") == "ran"
    assert tab.violations() == []
    assert tab.console_errors == []
    # The page's own security headers reach the browser unchanged.
    assert resp.headers.get("x-frame-options") == "DENY"
    if page.csp:
        assert resp.headers.get("content-security-policy") == page.csp
    assert "etag" not in resp.headers and "last-modified" not in resp.headers
    if page.style != "attributes":
        bg = tab.page.locator(REGION).evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg == "rgb(255, 244, 206)", f"banner not styled ({page.style})"
    if page.style != "attributes":
        size = tab.page.locator(REGION).evaluate("e => getComputedStyle(e).fontSize")
        assert size == "14px", "the page's CSS leaked into the banner"
    # The site's own controls stay visible next to the banner (hostile CSS may hide its own first child).
    if not page.head_extra:
        assert tab.page.locator("#compose").is_visible()
    evs = proxies["every"].wait_events(lambda e: any(
        x["event"]["action"] == "social.banner" and x["user"]["name"] == tab.user for x in e))
    shown = [x for x in evs if x["event"]["action"] == "social.banner" and x["user"]["name"] == tab.user]
    assert shown and shown[0]["socialguard"]["banner"]["action"] == "inserted"


def test_rendered_only_when_the_browser_fetched_the_beacon(proxies, tab_factory):
    """`inserted` for every page that got a banner; `rendered` only where the browser laid it out."""
    tab = tab_factory(proxies["every"])
    visible = CSP_PAGES[0]
    for page in (*TELEMETRY_PAGES, visible):
        tab.goto(page.url)
        tab.page.wait_for_timeout(300)
        assert tab.violations() == [] and tab.console_errors == []

    def mine(evs, action):
        return sorted(x["url"]["path"] for x in evs if x["event"]["action"] == "social.banner"
                      and x["user"]["name"] == tab.user and x["socialguard"]["banner"]["action"] == action)

    evs = proxies["every"].wait_events(lambda e: len(mine(e, "inserted")) >= 3 and mine(e, "rendered"))
    assert mine(evs, "inserted") == sorted(p.path for p in (*TELEMETRY_PAGES, visible))
    assert mine(evs, "rendered") == [visible.path]
    beacons = {x["url"]["path"]: x["socialguard"]["banner"]["beacon"] for x in evs
               if x["user"]["name"] == tab.user and x["socialguard"].get("banner", {}).get("action") == "inserted"}
    assert beacons == {"/hidden-css": True, "/no-images": False, visible.path: True}


def test_dismiss_by_keyboard_holds_across_reloads(proxies, tab_factory):
    tab = tab_factory(proxies["every"])
    page = CSP_PAGES[0]
    tab.goto(page.url)
    close = tab.page.locator(f"{BANNER} a.x")
    close.wait_for(state="visible")
    assert close.get_attribute("aria-label")
    # Reachable with the Tab key: the "More" disclosure, then the dismiss link.
    for _ in range(2):
        tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate("document.activeElement.shadowRoot && document.activeElement.shadowRoot"
                                ".activeElement && document.activeElement.shadowRoot.activeElement.className")
    assert focused == "x"
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    tab.page.wait_for_load_state("load")
    assert tab.page.url == page.url
    assert tab.banner_count() == 0
    tab.page.reload(wait_until="load")
    assert tab.banner_count() == 0
    tab.goto(page.url)
    assert tab.banner_count() == 0
    assert tab.violations() == [] and tab.console_errors == []
    evs = proxies["every"].wait_events(lambda e: any(
        x["event"]["action"] == "social.banner" and x["socialguard"]["banner"]["action"] == "dismissed" for x in e))
    dismissed = [x for x in evs if x["event"]["action"] == "social.banner"
                 and x["socialguard"]["banner"]["action"] == "dismissed" and x["user"]["name"] == tab.user]
    assert dismissed and dismissed[0]["socialguard"]["platform"] == "facebook"
    # Another platform still gets its reminder.
    tab.goto(CSP_PAGES[2].url)
    assert tab.banner_count() == 1


def test_frequency_cap_holds(proxies, tab_factory):
    tab = tab_factory(proxies["capped"])
    tab.goto(CSP_PAGES[1].url)
    tab.page.locator(REGION).wait_for(state="visible")
    tab.goto(CSP_PAGES[1].url)
    assert tab.banner_count() == 0
    tab.page.reload(wait_until="load")
    assert tab.banner_count() == 0
    assert tab.page.evaluate("document.documentElement.dataset.pageScript") == "ran"
    # Kept by the proxy, not by cookies: a fresh browser profile for the same person stays capped.
    again = tab_factory(proxies["capped"], user=tab.user)
    again.goto(CSP_PAGES[1].url)
    assert again.banner_count() == 0
    # Another person, or another platform, is not capped.
    tab_factory(proxies["capped"]).goto(CSP_PAGES[1].url)
    tab.goto(CSP_PAGES[0].url)
    assert tab.banner_count() == 1
    evs = proxies["capped"].wait_events(lambda e: sum(x["event"]["action"] == "social.banner" for x in e) >= 3)
    mine = [x for x in evs if x["event"]["action"] == "social.banner" and x["user"]["name"] == tab.user
            and x["socialguard"]["banner"]["action"] == "inserted"]
    assert [x["socialguard"]["platform"] for x in mine] == ["x", "facebook"]


@pytest.mark.parametrize("locale,expected", [("fr-CA", "fr"), ("en-CA", "en"), ("de-DE", "en+fr")])
def test_language_follows_browser(locale, expected, proxies, tab_factory, artifacts):
    tab = tab_factory(proxies["every"], locale=locale)
    tab.goto(CSP_PAGES[0].url)
    region = tab.page.locator(REGION)
    region.wait_for(state="visible")
    tab.page.screenshot(path=str(artifacts / f"banner-lang-{locale}.png"))
    text = region.inner_text()                  # the visible line (the closed disclosure hides the rest)
    label = region.get_attribute("aria-label")
    if expected == "fr":
        assert "Ligne directrice" in text and "Guideline" not in text
        assert "Fermer" in text and "Plus" in text
    else:                                       # en, and en+fr: the line in English, French behind "More"
        assert "Guideline" in text and "Ligne directrice" not in text
        region.locator("summary").click()
        assert "Lignes directrices" in region.inner_text() and "FAQ" in region.inner_text()
    assert label


def test_untouched_traffic_is_byte_identical(proxies, tab_factory, site):
    tab = tab_factory(proxies["every"])
    responses = {}
    tab.page.on("response", lambda r: responses.setdefault(r.url, r))
    resp = tab.goto("https://www.example.org/")
    assert resp.body() == (site / "www.example.org" / "index.html").read_bytes()
    responses.clear()
    tab.goto("https://x.com/embeds")
    tab.page.wait_for_function("document.documentElement.dataset.fetched !== undefined")
    bodies = {url: r.body() for url, r in responses.items() if r.status == 200}
    assert "socialguard-banner" not in tab.page.evaluate("document.documentElement.dataset.fetched")
    assert bodies["https://x.com/api/data.json"] == (site / "x.com" / "api" / "data.json").read_bytes()
    assert bodies["https://x.com/pic.png"] == (site / "x.com" / "pic.png").read_bytes()
    assert bodies["https://x.com/frame.html"] == (site / "x.com" / "frame.html").read_bytes()
    # The top-level social page itself does carry the banner; its frame does not.
    assert tab.banner_count() == 1
    assert tab.page.frames[1].locator(BANNER).count() == 0


# Fragments whose combinations the tokenizer must get right, checked against Chromium's own HTML parser.
FRAGMENTS = (
    "<!DOCTYPE html>", "<html lang=fr>", "<head>", "</head>", "<meta charset=utf-8>",
    "<meta http-equiv=Content-Security-Policy content=\"img-src *\">", "<title>a <body> b</title>",
    "<script>document.x = '<body>'</script>", "<SCRIPT type=x>'</scripty><body>'</SCRIPT>",
    "<style>/* <body> */</style>", "<!-- <body> -->", "<!---->", "<template><body class=t></template>",
    "<template><template><body></template></template>", "<link rel=preload href='a>b'>", "\n  ", "<base href=/>",
    "<body class=a>", "<BODY data-x='<body>'>", "<div>x</div>", "text", "<textarea><body></textarea>",
    "<p>para", "</html>", "<?pi <body>?>", "<svg><title><body></title></svg>", "<!doctype html><body>",
    "</br>", "</body>", "</p>", "<noframes><body></noframes>", "<!-->", "\t\f", "&amp;", "<bgsound>",
    "<head data-a=\"x>y\">",
)


def _documents(count: int, seed: int = 6):
    import random

    rnd = random.Random(seed)
    for _ in range(count):
        yield "".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 7)))


def test_insertion_point_agrees_with_chromiums_parser(browser):
    from socialguard.banner.insert import find_insertion

    docs, marked = [], []
    for doc in _documents(1500):
        ins = find_insertion(doc)
        if ins is not None:
            docs.append(doc)
            marked.append(doc[:ins.offset] + "<sg-mark></sg-mark>" + doc[ins.offset:])
    context = browser.new_context()
    page = context.new_page()
    results = page.evaluate("""docs => docs.map(d => {
        const doc = new DOMParser().parseFromString(d, 'text/html');
        const marks = doc.querySelectorAll('sg-mark');
        return marks.length === 1 && doc.body !== null && doc.body.firstChild === marks[0];
    })""", marked)
    context.close()
    wrong = [d for d, ok in zip(docs, results, strict=True) if not ok]
    assert len(docs) > 1000 and wrong == [], "\n".join(wrong)
