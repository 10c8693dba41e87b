"""Held-out imitation pages for the banner's placement: written another way than `banner_layouts.py`
(an element builder and utility classes in the manner of Tailwind, grid/flex app shells, rem-based sizes on a
62.5 % root, transforms and containment on wrappers, CSS-set direction) and for platforms the tuning set does
not imitate. They were not looked at while the banner's placement was tuned; they are scored at the end.
"""

from __future__ import annotations

from html import escape

from support.banner_layouts import STRICT_DYNAMIC, STYLE_NONCE, STYLE_SELF, ZOOM_200, LayoutPage

# Utility classes, one declaration each (the way utility-first frameworks write pages).
UTILITIES = """
html{font-size:62.5%}body{margin:0;font-family:Helvetica,Arial,sans-serif;font-size:1.5rem}*{box-sizing:border-box}
.fixed{position:fixed}.sticky{position:sticky}.absolute{position:absolute}.relative{position:relative}
.inset-0{inset:0}.top-0{top:0}.bottom-0{bottom:0}.left-0{left:0}.right-0{right:0}.start-0{inset-inline-start:0}
.end-0{inset-inline-end:0}.end-4{inset-inline-end:1.6rem}.bottom-4{bottom:1.6rem}.bottom-24{bottom:9.6rem}
.z-10{z-index:10}.z-50{z-index:50}.z-1000{z-index:1000}.z-max{z-index:2147483647}
.flex{display:flex}.grid{display:grid}.col{flex-direction:column}.items-center{align-items:center}
.justify-between{justify-content:space-between}.gap-2{gap:.8rem}.gap-4{gap:1.6rem}.grow{flex:1 1 auto}.none{flex:none}
.w-full{width:100%}.h-screen{height:100vh}.h-14{height:5.6rem}.h-16{height:6.4rem}.w-72{width:28.8rem}
.w-60{width:24rem}.w-18{width:7.2rem}.h-18{height:7.2rem}.min-h-0{min-height:0}
.overflow-hidden{overflow:hidden}.overflow-auto{overflow-y:auto}.p-2{padding:.8rem}.p-4{padding:1.6rem}
.px-4{padding-inline:1.6rem}.mx-auto{margin-inline:auto}.max-w-xl{max-width:60rem}.rounded{border-radius:.8rem}
.rounded-full{border-radius:9999px}.bg-white{background:#fff}.bg-gray{background:#f3f3f3}.bg-dark{background:#1e1f22}
.text-white{color:#fff}.border-b{border-bottom:1px solid #ddd}.border-t{border-top:1px solid #ddd}
.shadow{box-shadow:0 .2rem .8rem rgba(0,0,0,.25)}.translate{transform:translateZ(0)}.contain{contain:paint}
.rtl{direction:rtl}.grid-shell{grid-template-rows:auto 1fr}.grid-3{grid-template-columns:24rem 1fr 30rem}
.btn{font:inherit;border:0;cursor:pointer;padding:.8rem 1.2rem;background:#e9e9e9}
.primary{background:#e60023;color:#fff}
"""


def h(tag: str, attrs: dict[str, str] | None = None, *children: str) -> str:
    """One element as markup."""
    a = "".join(f' {k}="{escape(v)}"' if v != "" else f" {k}" for k, v in (attrs or {}).items())
    return f"<{tag}{a}>{''.join(children)}</{tag}>"


def control(name: str, label: str, cls: str = "btn", tag: str = "button") -> str:
    return h(tag, {"class": cls, "data-control": name}, escape(label))


def posts(n: int, cls: str = "p-4 border-b") -> str:
    return "".join(h("div", {"class": cls}, h("strong", None, f"Author {i}"),
                     h("div", None, f"Item {i}: a few words of content so the column has height.")) for i in range(n))


THREADS = h("div", {"class": "grid grid-shell h-screen"},
            h("header", {"class": "sticky top-0 z-50 bg-white border-b flex items-center justify-between px-4 h-16"},
              control("topbar", "Threads"), control("search", "Search")),
            h("main", {"class": "overflow-auto min-h-0"},
              h("div", {"class": "mx-auto max-w-xl"},
                h("div", {"class": "p-4 border-b"}, control("composer", "Start a thread…", "btn w-full")),
                posts(40))))

MESSENGER = h("div", {"class": "flex h-screen overflow-hidden"},
              h("aside", {"class": "w-72 none border-b overflow-auto"}, control("topbar", "Chats"), posts(20)),
              h("section", {"class": "grow flex col min-h-0"},
                h("div", {"class": "h-14 flex items-center px-4 border-b"}, control("call", "Call")),
                h("div", {"class": "grow overflow-auto"}, posts(30)),
                h("div", {"class": "flex gap-2 p-2 border-t"},
                  h("input", {"class": "grow", "aria-label": "Aa", "data-control": "composer"}),
                  control("send", "Send"))))

TIKTOK = h("div", {"class": "translate"},
           h("header", {"class": "fixed top-0 start-0 end-0 z-1000 bg-white h-14 flex items-center justify-between "
                                 "px-4 shadow"}, control("topbar", "TikTok"), control("composer", "+ Upload")),
           h("main", {"class": "p-4"}, h("div", {"class": "h-16"}), posts(30)),
           h("div", {"class": "fixed end-4 bottom-24 flex col gap-2"}, control("like", "Like"),
             control("share", "Share")))

PINTEREST = (h("header", {"class": "fixed top-0 start-0 end-0 z-50 bg-white h-16 flex items-center gap-4 px-4"},
               control("topbar", "Pinterest"), control("search", "Search", "btn grow")) +
             h("main", {"class": "grid p-4", "data-cols": "4"}, h("div", {"class": "h-16"}), posts(40)) +
             h("div", {"class": "fixed end-4 bottom-4 flex col gap-2 z-max"},
               control("composer", "+", "btn rounded-full primary"), control("help", "?", "btn rounded-full")))

TUMBLR_MOBILE = (h("header", {"class": "sticky top-0 z-10 bg-white h-14 flex items-center px-4"},
                   control("topbar", "tumblr")) +
                 h("main", None, posts(30)) +
                 h("a", {"class": "fixed end-4 bottom-24 btn rounded-full primary", "href": "#",
                         "data-control": "composer"}, "✎") +
                 h("nav", {"class": "fixed bottom-0 start-0 end-0 h-16 bg-white border-t flex z-10"},
                   control("tab-home", "Home", "btn grow"), control("tab-explore", "Explore", "btn grow"),
                   control("tab-inbox", "Inbox", "btn grow"), control("tab-account", "Account", "btn grow")))

DISCORD = h("div", {"class": "fixed inset-0 overflow-hidden grid grid-3 bg-dark text-white contain"},
            h("nav", {"class": "flex col overflow-auto"}, control("topbar", "Servers"), posts(15),
              h("div", {"class": "p-2"}, control("account", "Me · Settings"))),
            h("section", {"class": "flex col min-h-0"},
              h("div", {"class": "grow overflow-auto"}, posts(30)),
              h("div", {"class": "p-4"}, h("input", {"class": "w-full", "aria-label": "Message #general",
                                                      "data-control": "composer"}))),
            h("aside", {"class": "overflow-auto"}, posts(20)))

MASTODON_RTL = (h("div", {"class": "rtl"},
                  h("div", {"class": "sticky top-0 z-10 bg-white flex border-b"},
                    control("topbar", "خانه", "btn grow"), control("notifications", "اعلان‌ها", "btn grow")),
                  h("div", {"class": "p-2"}, control("composer", "بنویسید", "btn w-full")), posts(30)))

LINKEDIN_ZOOM = (h("header", {"class": "fixed top-0 start-0 end-0 z-50 bg-white h-14 flex items-center gap-4 px-4 "
                                        "border-b"}, control("topbar", "in"), control("search", "Search")) +
                 h("main", {"class": "mx-auto max-w-xl p-4"}, h("div", {"class": "h-14"}),
                   control("composer", "Start a post", "btn w-full rounded-full"), posts(20)) +
                 h("aside", {"class": "fixed bottom-0 end-4 z-1000 bg-white shadow w-72"},
                   control("dock", "Messaging", "btn w-full")))

HELDOUT_PAGES = (
    LayoutPage("ho-threads", "threads", "www.threads.net", "/", UTILITIES, THREADS, csp=STYLE_NONCE),
    LayoutPage("ho-messenger", "messenger", "www.messenger.com", "/t/1", UTILITIES, MESSENGER),
    LayoutPage("ho-tiktok", "tiktok", "www.tiktok.com", "/foryou", UTILITIES, TIKTOK, csp=STYLE_SELF),
    LayoutPage("ho-pinterest", "pinterest", "www.pinterest.com", "/", UTILITIES, PINTEREST),
    LayoutPage("ho-tumblr-mobile", "tumblr", "www.tumblr.com", "/dashboard", UTILITIES, TUMBLR_MOBILE,
               viewport=(360, 740), scale=2),
    LayoutPage("ho-discord", "discord", "discord.com", "/channels/1/2", UTILITIES, DISCORD, csp=STRICT_DYNAMIC),
    LayoutPage("ho-mastodon-rtl", "mastodon", "mastodon.social", "/fa", UTILITIES, MASTODON_RTL,
               viewport=(412, 915), scale=2.6),
    LayoutPage("ho-linkedin-zoom200", "linkedin", "www.linkedin.com", "/z", UTILITIES, LINKEDIN_ZOOM,
               viewport=ZOOM_200, scale=2),
)
