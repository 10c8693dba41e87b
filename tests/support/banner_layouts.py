"""Imitation pages with the layout traits of the platforms' real pages, for the banner's placement tests.

Each page reproduces what makes a banner disappear on the real site (publicly visible layout traits, written
from scratch here): fixed or sticky top bars with high z-index, app shells whose body does not scroll, a
full-page `#root`/`#mount_0_0`, content inside shadow roots, overlays at z-index 2147483647, chat docks and
message drawers in the bottom corners, bottom tab bars and floating compose buttons on narrow windows, RTL.
Every control the person must keep using carries `data-control` (its name); the tests check that each is the
topmost element at its centre next to the banner. Each page has a strict CSP and a nonce'd script that marks
`document.documentElement.dataset.pageScript`.

The held-out pages (`banner_layouts_heldout.py`) are written another way and only run at the end.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

DESKTOP = (1280, 800)
MOBILE = (390, 844)
ZOOM_200 = (640, 400)         # a 1280x800 window at 200 % zoom: half the CSS pixels, device scale 2

STRICT_DYNAMIC = "script-src 'nonce-{n}' 'strict-dynamic'; object-src 'none'; base-uri 'none'"
STYLE_SELF = "default-src 'self'; script-src 'nonce-{n}'; style-src 'self'; img-src 'self' data:"
STYLE_NONCE = "default-src 'none'; script-src 'nonce-{n}'; style-src 'nonce-{n}'; img-src 'self'"
TRUSTED_TYPES = "script-src 'nonce-{n}'; style-src 'self'; require-trusted-types-for 'script'; trusted-types app"


@dataclass(frozen=True)
class LayoutPage:
    name: str
    platform: str
    host: str
    path: str
    css: str                          # the page's own stylesheet (served same-origin or with its nonce)
    body: str                         # the body's markup (controls carry data-control)
    csp: str = STRICT_DYNAMIC
    viewport: tuple[int, int] = DESKTOP
    scale: float = 1
    dir: str = "ltr"
    body_attrs: str = ""
    after_load: str = ""              # more page script (runs with the nonce)

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"

    @property
    def nonce(self) -> str:
        return f"n{zlib.crc32(self.name.encode())}"

    def html(self) -> str:
        csp = self.csp.format(n=self.nonce)
        if not self.css:
            style = ""
        elif "style-src 'self'" in csp:
            style = f'<link rel="stylesheet" href="/site-{self.name}.css">'
        else:
            style = f'<style nonce="{self.nonce}">{self.css}</style>'
        script = (f'<script nonce="{self.nonce}">document.documentElement.dataset.pageScript = "ran";'
                  f"{self.after_load}</script>")
        return (f'<!DOCTYPE html><html lang="en" dir="{self.dir}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">{style}'
                f"<title>{self.name}</title></head><body {self.body_attrs}>{self.body.replace('{n}', self.nonce)}{script}"
                "</body></html>")

    def headers(self) -> dict[str, str]:
        return {"content-type": "text/html; charset=utf-8", "content-security-policy": self.csp.format(n=self.nonce),
                "x-frame-options": "DENY", "x-content-type-options": "nosniff", "cache-control": "private, max-age=0"}


def _feed(n: int = 40, cls: str = "entry") -> str:
    return "".join(f'<article class="{cls}"><b>Someone {i}</b><p>Post number {i} of the feed, with text long '
                   f"enough to wrap onto a second line in a narrow column.</p></article>" for i in range(n))


BASE = ("*{box-sizing:border-box}body{margin:0;font:15px/1.4 Arial,sans-serif;background:#f0f2f5}"
        "button{font:inherit;cursor:pointer}article{background:#fff;margin:8px 0;padding:12px;border-radius:8px}")

# -- Facebook: fixed blue-white top bar (z-index high), full-page #mount_0_0, fixed left column, feed with the
#    composer at its top, a "new message" button floating in the bottom-right corner at the maximum z-index.
FACEBOOK_CSS = BASE + """
#mount_0_0{min-height:100vh}
[role=banner]{position:fixed;top:0;left:0;right:0;height:56px;background:#fff;z-index:9999;display:flex;
 align-items:center;gap:12px;padding:0 16px;box-shadow:0 1px 2px rgba(0,0,0,.2)}
.left{position:fixed;top:56px;left:0;bottom:0;width:360px;overflow-y:auto;padding:8px}
.left a{display:block;padding:14px 8px;color:#050505;text-decoration:none}
.feed{margin:0 auto;padding-top:72px;width:590px}
.composer{background:#fff;border-radius:8px;padding:12px}
.composer button{width:100%;text-align:start;border-radius:20px;border:0;background:#f0f2f5;padding:10px}
.newmsg{position:fixed;right:16px;bottom:16px;width:48px;height:48px;border-radius:50%;border:0;
 background:#fff;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:2147483647}
"""
FACEBOOK_BODY = ('<div id="mount_0_0"><div role="banner"><button data-control="topbar">facebook</button>'
                 '<input aria-label="Search Facebook" data-control="search"></div>'
                 '<nav class="left">' + "".join(f"<a href=#>Shortcut {i}</a>" for i in range(20)) + "</nav>"
                 '<main class="feed"><div class="composer"><button data-control="composer">What\'s on your mind?'
                 "</button></div>" + _feed() + "</main>"
                 '<button class="newmsg" aria-label="New message" data-control="dock">&#9998;</button></div>')

# -- X: document scrolls; sticky left header column (nav, Post button, account switcher at its bottom), sticky
#    translucent tabs above the timeline (z-index 3), composer under them, message drawer fixed bottom-right.
X_CSS = BASE + """
body{background:#fff}
.app{display:flex;justify-content:center;min-height:100vh}
header{position:sticky;top:0;height:100vh;width:275px;display:flex;flex-direction:column;padding:8px}
header a{padding:12px;color:#0f1419;text-decoration:none;font-size:20px}
.post{margin-top:8px;background:#1d9bf0;color:#fff;border:0;border-radius:24px;height:52px}
.me{margin-top:auto;margin-bottom:12px;height:64px;border:0;background:none;text-align:start}
main{width:600px;border-inline:1px solid #eff3f4}
.tabs{position:sticky;top:0;z-index:3;height:53px;display:flex;background:rgba(255,255,255,.85);
 backdrop-filter:blur(12px)}
.tabs button{flex:1;border:0;background:none}
.composer{padding:12px;border-bottom:1px solid #eff3f4}
.composer button{border:0;background:#fff;color:#536471;font-size:20px;width:100%;text-align:start;padding:12px 0}
aside{width:350px;padding:12px}
.drawer{position:fixed;inset-inline-end:20px;bottom:0;width:400px;height:53px;background:#fff;border-radius:16px 16px 0 0;
 box-shadow:0 0 15px rgba(101,119,134,.2);z-index:10;display:flex;align-items:center;padding:0 16px}
.drawer button{border:0;background:none;font-weight:700;font-size:20px}
"""
X_BODY = ('<div class="app"><header><a href=# data-control="topbar">X</a><a href=#>Home</a><a href=#>Explore</a>'
          '<a href=#>Notifications</a><button class="post" data-control="post">Post</button>'
          '<button class="me" data-control="account">Account</button></header>'
          '<main><div class="tabs"><button data-control="tabs">For you</button><button>Following</button></div>'
          '<div class="composer"><button data-control="composer">What is happening?!</button></div>'
          + _feed() + '</main><aside><input aria-label="Search" data-control="search"></aside></div>'
          '<div class="drawer"><button data-control="dock">Messages</button></div>')

# -- X on a phone: sticky top bar, bottom tab bar (fixed), floating compose button above it.
X_MOBILE_CSS = BASE + """
body{background:#fff}
.top{position:sticky;top:0;height:53px;z-index:2;background:rgba(255,255,255,.9);display:flex;align-items:center;
 justify-content:center}
.tabbar{position:fixed;left:0;right:0;bottom:0;height:53px;background:#fff;border-top:1px solid #eff3f4;display:flex;
 z-index:2}
.tabbar button{flex:1;border:0;background:none}
.fab{position:fixed;right:16px;bottom:72px;width:56px;height:56px;border-radius:50%;border:0;background:#1d9bf0;
 color:#fff;z-index:2;font-size:24px}
main{padding-bottom:60px}
"""
X_MOBILE_BODY = ('<div class="top"><button data-control="topbar">X</button></div><main>' + _feed() + "</main>"
                 '<button class="fab" data-control="composer">+</button>'
                 '<nav class="tabbar"><button data-control="tab-home">Home</button><button data-control="tab-search">'
                 'Search</button><button data-control="tab-notif">Alerts</button><button data-control="tab-dm">'
                 "Messages</button></nav>")

# -- LinkedIn: fixed global nav (z-index 100), composer card, messaging overlay docked bottom-right (z 1000).
LINKEDIN_CSS = BASE + """
#global-nav{position:fixed;top:0;left:0;right:0;height:52px;background:#fff;z-index:100;display:flex;
 align-items:center;justify-content:center;gap:24px;border-bottom:1px solid #ddd}
.scaffold{width:1128px;max-width:100%;margin:0 auto;padding-top:76px;display:grid;grid-template-columns:225px 1fr 300px;
 gap:24px}
.share-box{background:#fff;border-radius:8px;padding:12px}
.share-box button{width:100%;border:1px solid #888;border-radius:35px;background:#fff;padding:12px;text-align:start}
#msg-overlay{position:fixed;right:32px;bottom:0;width:288px;height:48px;background:#fff;z-index:1000;
 border-radius:8px 8px 0 0;box-shadow:0 0 0 1px rgba(0,0,0,.15),0 2px 3px rgba(0,0,0,.2)}
#msg-overlay button{width:100%;height:100%;border:0;background:none;text-align:start;padding:0 12px}
"""
LINKEDIN_BODY = ('<header id="global-nav"><button data-control="topbar">in</button><input aria-label="Search" '
                 'data-control="search"><button>My Network</button><button>Jobs</button></header>'
                 '<div class="scaffold"><aside>Profile</aside><main><div class="share-box">'
                 '<button data-control="composer">Start a post</button></div>' + _feed() + "</main>"
                 "<aside>News</aside></div>"
                 '<aside id="msg-overlay"><button data-control="dock">Messaging</button></aside>')

# -- Instagram: an app shell (html/body 100 %, overflow hidden) with an inner scroller, a fixed left nav with
#    the Create entry, and the "Messages" pill fixed bottom-right.
INSTAGRAM_CSS = BASE + """
html,body{height:100%;overflow:hidden}
body{background:#fff}
#mount{height:100vh;overflow-y:auto}
.nav{position:fixed;top:0;left:0;bottom:0;width:245px;border-inline-end:1px solid #dbdbdb;padding:24px 12px;
 display:flex;flex-direction:column;gap:8px;background:#fff;z-index:1}
.nav button{border:0;background:none;text-align:start;padding:12px;font-size:16px}
.feed{margin-inline-start:245px;display:flex;flex-direction:column;align-items:center}
.feed article{width:470px}
.pill{position:fixed;right:24px;bottom:24px;height:56px;width:200px;border-radius:28px;border:0;background:#fff;
 box-shadow:0 4px 12px rgba(0,0,0,.15);z-index:3}
"""
INSTAGRAM_BODY = ('<div id="mount"><nav class="nav"><button data-control="topbar">Instagram</button>'
                  '<button>Home</button><button>Search</button><button data-control="composer">Create</button>'
                  '</nav><main class="feed">' + _feed() + '</main></div>'
                  '<button class="pill" data-control="dock">Messages</button>')

# -- Reddit: custom elements with shadow roots (declarative here), a sticky header (z-index high) holding the
#    Create button, the feed inside a shadow root.
REDDIT_CSS = BASE + """
reddit-header{display:block;position:sticky;top:0;z-index:9999}
shreddit-app{display:block}
"""
REDDIT_BODY = ('<shreddit-app><reddit-header><template shadowrootmode="open"><style nonce="{n}">'
               "header{height:56px;background:#fff;display:flex;align-items:center;gap:16px;padding:0 16px;"
               "border-bottom:1px solid #ddd}button{font:inherit}</style>"
               '<header><button data-control="topbar">reddit</button><input aria-label="Search" '
               'data-control="search"><button data-control="composer">Create</button></header></template>'
               '</reddit-header><main-feed><template shadowrootmode="open"><style nonce="{n}">'
               "article{background:#fff;margin:8px auto;padding:12px;width:740px;max-width:100%}</style>"
               + _feed() + "</template></main-feed></shreddit-app>")

# -- YouTube: ytd-app full page, fixed masthead (z-index 2020) with the Create button, fixed guide on the left,
#    a mini-player in the bottom-right corner.
YOUTUBE_CSS = BASE + """
ytd-app{display:block;min-height:100vh;background:#fff}
#masthead{position:fixed;top:0;left:0;right:0;height:56px;z-index:2020;background:#fff;display:flex;
 align-items:center;justify-content:space-between;padding:0 16px}
#guide{position:fixed;top:56px;left:0;bottom:0;width:240px;overflow-y:auto;z-index:2030;background:#fff}
#guide a{display:block;padding:10px 24px;color:#0f0f0f;text-decoration:none}
#contents{margin-inline-start:240px;padding-top:80px;display:grid;grid-template-columns:repeat(3,1fr);gap:16px;
 padding-inline:16px}
#contents article{height:220px}
.miniplayer{position:fixed;right:12px;bottom:12px;width:400px;height:225px;background:#000;z-index:2040}
.miniplayer button{color:#fff;background:none;border:0;margin:8px}
"""
YOUTUBE_BODY = ('<ytd-app><div id="masthead"><button data-control="topbar">YouTube</button>'
                '<input aria-label="Search" data-control="search"><button data-control="composer">Create</button></div>'
                '<nav id="guide">' + "".join(f"<a href=#>Channel {i}</a>" for i in range(30)) + "</nav>"
                '<div id="contents">' + _feed(30) + '</div>'
                '<div class="miniplayer"><button data-control="dock">&#9654; Play</button></div></ytd-app>')

# -- Bluesky (React Native Web): full-page #root, fixed left nav with "New Post", a portal layer at the maximum
#    z-index covering the viewport (transparent, pointer-events none, holding toasts).
BLUESKY_CSS = BASE + """
#root{display:flex;min-height:100vh}
body{background:#fff}
.left{position:fixed;top:0;bottom:0;left:calc(50% - 450px);width:240px;display:flex;flex-direction:column;
 gap:8px;padding:16px}
.left button{border:0;background:none;text-align:start;padding:10px;font-size:17px}
.left .new{background:#1083fe;color:#fff;border-radius:20px}
.center{margin:0 auto;width:600px;border-inline:1px solid #e5e5e5}
.center .head{position:sticky;top:0;z-index:10;background:#fff;height:52px;display:flex}
.center .head button{flex:1;border:0;background:none}
.portal{position:fixed;inset:0;z-index:2147483647;pointer-events:none}
.toast{position:absolute;top:16px;right:16px;pointer-events:auto;background:#333;color:#fff;padding:8px 16px;
 border-radius:8px}
"""
BLUESKY_BODY = ('<div id="root"><nav class="left"><button data-control="topbar">Bluesky</button>'
                '<button>Home</button><button>Search</button><button class="new" data-control="composer">New Post'
                '</button></nav><main class="center"><div class="head"><button data-control="tabs">Discover</button>'
                "<button>Following</button></div>" + _feed() + "</main></div>"
                '<div class="portal"><button class="toast" data-control="toast">Copied</button></div>')

# -- Mastodon (advanced web interface): body does not scroll, columns fill the viewport, each scrolls; the
#    compose column on the left with its textarea and Publish button; Trusted Types.
MASTODON_CSS = BASE + """
html,body{height:100%;overflow:hidden}
body{background:#191b22;color:#fff}
.ui{display:flex;height:100vh}
.drawer{width:350px;flex:none;padding:10px;display:flex;flex-direction:column;gap:8px}
.drawer textarea{height:120px}
.drawer .publish{align-self:flex-end;background:#6364ff;color:#fff;border:0;border-radius:4px;padding:8px 16px}
.column{width:350px;flex:none;overflow-y:auto;background:#282c37}
.column .head{position:sticky;top:0;z-index:2;height:48px;background:#313543;display:flex;align-items:center}
.column article{background:#282c37;color:#fff;border-bottom:1px solid #393f4f;border-radius:0;margin:0}
"""
MASTODON_BODY = ('<div class="ui"><div class="drawer"><input aria-label="Search" data-control="search">'
                 '<textarea aria-label="What is on your mind?" data-control="composer"></textarea>'
                 '<button class="publish" data-control="publish">Publish</button></div>'
                 '<div class="column"><div class="head"><button data-control="topbar">Home</button></div>'
                 + _feed() + '</div><div class="column"><div class="head"><button>Notifications</button></div>'
                 + _feed(10) + "</div></div>")
MASTODON_TT = "const pol = trustedTypes.createPolicy('app', {createHTML: s => s});"

# -- RTL: X in Arabic (the page's direction flips the columns and the drawer).
X_RTL_BODY = X_BODY.replace("For you", "لك").replace("Messages", "الرسائل")

LAYOUT_PAGES = (
    LayoutPage("facebook", "facebook", "www.facebook.com", "/", FACEBOOK_CSS, FACEBOOK_BODY),
    LayoutPage("x", "x", "x.com", "/home", X_CSS, X_BODY, csp=STYLE_SELF),
    LayoutPage("x-mobile", "x", "x.com", "/m", X_MOBILE_CSS, X_MOBILE_BODY, viewport=MOBILE, scale=3),
    LayoutPage("x-rtl", "x", "x.com", "/ar", X_CSS, X_RTL_BODY, csp=STYLE_SELF, dir="rtl"),
    LayoutPage("linkedin", "linkedin", "www.linkedin.com", "/feed/", LINKEDIN_CSS, LINKEDIN_BODY, csp=STYLE_NONCE),
    LayoutPage("instagram", "instagram", "www.instagram.com", "/", INSTAGRAM_CSS, INSTAGRAM_BODY),
    LayoutPage("reddit", "reddit", "www.reddit.com", "/", REDDIT_CSS, REDDIT_BODY, csp=STYLE_NONCE),
    LayoutPage("youtube", "youtube", "www.youtube.com", "/", YOUTUBE_CSS, YOUTUBE_BODY),
    LayoutPage("youtube-zoom200", "youtube", "www.youtube.com", "/z", YOUTUBE_CSS, YOUTUBE_BODY, viewport=ZOOM_200,
               scale=2),
    LayoutPage("bluesky", "bluesky", "bsky.app", "/", BLUESKY_CSS, BLUESKY_BODY),
    LayoutPage("mastodon", "mastodon", "mastodon.social", "/home", MASTODON_CSS, MASTODON_BODY, csp=TRUSTED_TYPES,
               after_load=MASTODON_TT),
)
