"""The banner's HTML: one compact line fixed to the bottom edge, in a declarative shadow root, no script.

Where: the host element is `position: fixed` at the bottom edge with the highest z-index, so the platforms'
own fixed and sticky top bars (which sit above any in-flow block) never cover it, an app shell whose body
does not scroll cannot clip it, and it is no grid or flex item of the page's body (an out-of-flow box never
takes a cell). Which part of the bottom edge follows where the platforms keep their controls:
- wide windows (>= 700 CSS px): at most 560 px wide, ending 72 px right of the centre (the feed column),
  88 px clear of each side: between the left navigation column (X's account switcher, Facebook's shortcuts)
  and the chat docks, message drawers and mini-players the platforms keep in the bottom-right corner;
- narrow windows (mobile widths, and 200 % zoom of a laptop window): 64 px above the bottom edge, above the
  platforms' bottom tab bars, and 88 px clear of the inline-end edge, where the compose button floats.
There is no top layer without script (`popover` needs a call or a click; `<dialog open>` is not in it).

What: one line (<= 48 px at 1280x800) in one language: the title, the message (or the coaching line), the
meter, a `<details>` disclosure ("More") and the dismiss link. The disclosure opens upwards and holds the other
language, the full meter sentence, the coaching detail, the FAQ and the contact link.

Rendered, not only inserted: the bar's background image is the render beacon, a URL on the page's own origin
that the proxy answers itself. Browsers fetch background images of rendered boxes only (not for
`display: none`), so a beacon fetch means the box was laid out; no fetch, no "rendered" event.

Styling follows `csp.decide` (inline `<style>`, the page's nonce, a same-origin stylesheet, or presentational
attributes). The shadow root keeps the page's CSS out; `:host{all:initial!important}` and important rules of
the shadow tree win over the page's own important rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..coaching import Coaching
from ..policy.banner import BannerPolicy, Message, Text
from .csp import StyleDecision

HOST_ELEMENT = "socialguard-banner"
LANGUAGES = ("en", "fr")

# Interface words; the reminders themselves come from the policy.
UI = {
    "region": Text("Social media guidelines reminder", "Rappel des lignes directrices sur les médias sociaux"),
    "guideline": Text("guideline", "ligne directrice"),
    "colon": Text(":", "\u00a0:"),              # French puts a (no-break) space before a colon
    "faq": Text("FAQ", "FAQ"),
    "contact": Text("Web2Social team", "Équipe Web2Social"),
    "more": Text("More", "Plus"),
    "dismiss": Text("Dismiss", "Fermer"),
    "dismiss_label": Text("Dismiss this reminder", "Fermer ce rappel"),
    "meter_prefix": Text("Today:", "Aujourd'hui\u00a0:"),
    "meter_short": Text("{minutes}\u00a0min", "{minutes}\u00a0min"),
    "meter": Text("You have spent {minutes} min on social media during working hours today.",
                  "Vous avez passé {minutes} min sur les médias sociaux pendant les heures de travail aujourd'hui."),
    "coaching": Text("Found in your recent activity on {platform}: {kind} (guideline {guideline}).",
                     "Relevé dans votre activité récente sur {platform} : {kind} (ligne directrice {guideline})."),
}

MAX_Z = 2147483647
# The stylesheet: used inline, with the page's nonce, or served from the page's origin by the proxy.
# No `contain` on the host: containment would make it the containing block of the fixed bar.
BANNER_CSS = f"""\
:host{{all:initial!important;display:block!important;position:fixed!important;z-index:{MAX_Z}!important;\
visibility:visible!important;opacity:1!important;pointer-events:auto!important;transform:none!important;\
bottom:0!important;top:auto!important;inset-inline-start:max(88px,calc(50% - 352px))!important;\
inset-inline-end:auto!important;width:min(560px,calc(100% - 176px))!important;margin:0!important;padding:0!important}}
@media (max-width:699.98px){{:host{{bottom:64px!important;inset-inline-start:8px!important;\
width:auto!important;inset-inline-end:88px!important}}}}
@media print{{:host{{display:none!important}}}}
.b{{box-sizing:border-box;position:relative;display:flex;align-items:center;gap:.6em;height:38px;\
padding:0 .5em 0 .75em;background:#fff4ce no-repeat 0 0/1px 1px;color:#1b1b1b;border:1px solid #8a6d00;\
border-bottom-width:0;border-radius:6px 6px 0 0;box-shadow:0 -2px 8px rgba(0,0,0,.25);\
font:14px/20px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;text-align:start;white-space:nowrap}}
@media (max-width:699.98px){{.b{{border-bottom-width:1px;border-radius:6px}}.n{{display:none}}}}
.t{{flex:1 1 auto;min-width:3em;margin:0;overflow:hidden;text-overflow:ellipsis}}
strong{{font-weight:700}}
.m{{flex:none;font-variant-numeric:tabular-nums}}
details{{flex:none}}
summary{{cursor:pointer;color:#0b3d91;text-decoration:underline}}
.p{{position:absolute;inset-inline:-1px;bottom:100%;max-height:min(24em,60vh);overflow:auto;box-sizing:border-box;\
padding:.5em .75em;background:#fff4ce;border:1px solid #8a6d00;border-radius:6px 6px 0 0;white-space:normal}}
.p p{{margin:0 0 .4em}}
.c{{border-inline-start:4px solid #b3261e;padding-inline-start:.5em}}
a{{color:#0b3d91;text-decoration:underline}}
a:focus-visible,summary:focus-visible{{outline:2px solid #0b3d91;outline-offset:2px}}
.x{{flex:none;padding:.1em .5em;border:1px solid #0b3d91;border-radius:4px;background:#fff;text-decoration:none}}
"""
_PRESENTATIONAL = ('<table role="presentation" width="100%" cellpadding="6" cellspacing="0" border="0" '
                   'bgcolor="#FFF4CE"{background}><tr><td><font color="#1B1B1B" face="Arial, sans-serif">',
                   "</font></td></tr></table>")
_BEACON_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def beacon_css(beacon_url: str) -> str:
    """The rule that makes a rendered bar fetch the render beacon (a 1x1 image behind the bar's colour)."""
    return f'.b{{background-image:url("{beacon_url}")}}\n'


def stylesheet_css(beacon_id: str | None) -> str:
    """The same-origin stylesheet; with a beacon id its beacon URL is relative to the stylesheet's own URL
    (`/__socialguard/banner.css` -> `/__socialguard/seen/<id>`). An id of the wrong shape is ignored."""
    if beacon_id and _BEACON_ID.match(beacon_id):
        return BANNER_CSS + beacon_css(f"seen/{beacon_id}")
    return BANNER_CSS


def choose_language(setting: str, accept_language: str | None) -> str:
    """'en', 'fr' or 'en+fr': the policy's choice, else the browser's first acceptable language, else both."""
    if setting in LANGUAGES:
        return setting
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        m = re.search(r"q\s*=\s*([^\s;]*)", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-", 1)[0]
        if q > 0 and primary:
            ranked.append((-q, i, primary))
    for _, _, primary in sorted(ranked):
        if primary in LANGUAGES:
            return primary
        if primary == "*":
            break
    return "en+fr"


@dataclass(frozen=True, slots=True)
class Content:
    """What one banner says, and to whom (the dismiss link and the render beacon are bound to them)."""

    language: str                         # en | fr | en+fr
    message: Message
    minutes: int | None = None            # the usage meter; None hides it
    coaching: tuple[Coaching, ...] = ()
    platform_names: tuple[tuple[str, str], ...] = ()   # slug -> display name for coaching lines
    user: str = ""
    platform: str = ""
    reason: str = "rotation"              # why this message: rotation | posted (2.2 after a post) | coaching


def _languages(language: str) -> Sequence[str]:
    return LANGUAGES if language == "en+fr" else (language,)


def line_language(language: str) -> str:
    """The one language of the visible line: French for 'fr', else English (French then follows in 'More')."""
    return "fr" if language == "fr" else "en"


def _coaching_lines(policy: BannerPolicy, content: Content, lang: str, *, with_ask: bool) -> list[str]:
    names = dict(content.platform_names)
    lines = []
    for item in content.coaching:
        kind = policy.kinds.get(item.kind)
        line = UI["coaching"].get(lang).format(
            platform=names.get(item.platform, item.platform),
            kind=kind.get(lang) if kind else item.kind.replace("_", " "),
            guideline=item.guideline)
        ask = policy.ask(item.guideline) if with_ask else None
        lines.append(line + (" " + ask.get(lang) if ask is not None else ""))
    return lines


def _message(policy: BannerPolicy, content: Content, lang: str) -> str:
    m = content.message
    title = policy.title.get(lang) + UI["colon"].get(lang)
    return (f'<strong>{escape(title)}</strong> {escape(m.text.get(lang))} '
            f'({escape(UI["guideline"].get(lang))} {escape(m.guideline)})')


def _plain(policy: BannerPolicy, content: Content, lang: str) -> str:
    """The whole line as plain text (its tooltip, as the line may be cut short with an ellipsis)."""
    coaching = _coaching_lines(policy, content, lang, with_ask=True)
    if coaching:
        return coaching[0]
    return f"{policy.title.get(lang)}{UI['colon'].get(lang)} {content.message.text.get(lang)}"


def _line(policy: BannerPolicy, content: Content, lang: str) -> str:
    """The visible line's text: the first coaching finding when there is one, else the reminder led by its
    guideline section (the title is the region's label and heads the disclosure)."""
    coaching = _coaching_lines(policy, content, lang, with_ask=False)
    if coaching:
        text = escape(coaching[0])
    else:
        m = content.message
        label = f"{m.guideline}{UI['colon'].get(lang)}"
        text = (f'<strong><span class="n">{escape(UI["guideline"].get(lang).capitalize())} </span>'
                f"{escape(label)}</strong> {escape(m.text.get(lang))}")
    return f'<p class="t" lang="{lang}" dir="ltr" title="{escape(_plain(policy, content, lang))}">{text}</p>'


def _meter(content: Content, lang: str) -> str:
    if content.minutes is None:
        return ""
    short = UI["meter_short"].get(lang).format(minutes=content.minutes)
    full = UI["meter"].get(lang).format(minutes=content.minutes)
    return (f'<span class="m" lang="{lang}" title="{escape(full)}"><span class="n">'
            f'{escape(UI["meter_prefix"].get(lang))} </span>{escape(short)}</span>')


def _detail(policy: BannerPolicy, content: Content, lang: str) -> str:
    """Everything about the banner in one language, in full: the reminder, the meter, the coaching."""
    parts = [f'<p lang="{lang}">{_message(policy, content, lang)}</p>']
    if content.minutes is not None:
        parts.append(f'<p lang="{lang}">{escape(UI["meter"].get(lang).format(minutes=content.minutes))}</p>')
    parts += [f'<p lang="{lang}" class="c" role="note">{escape(line)}</p>'
              for line in _coaching_lines(policy, content, lang, with_ask=True)]
    return "".join(parts)


def _label(key: str, language: str) -> str:
    """An interface word in the banner's language(s): 'Dismiss / Fermer', but 'FAQ' once."""
    return " / ".join(dict.fromkeys(UI[key].get(lang) for lang in _languages(language)))


def _links(faq_url: str, contact_url: str, language: str) -> str:
    links = []
    if faq_url:
        links.append(f'<a href="{escape(faq_url)}" target="_blank" rel="noopener noreferrer">'
                     f'{escape(_label("faq", language))}</a>')
    if contact_url:
        links.append(f'<a href="{escape(contact_url)}">{escape(_label("contact", language))}</a>')
    return f'<p class="l">{" &middot; ".join(links)}</p>' if links else ""


def _sheet(style: StyleDecision, stylesheet_url: str, beacon_url: str | None) -> str:
    rules = BANNER_CSS + (beacon_css(beacon_url) if beacon_url else "")
    if style.mode == "inline":
        return f"<style>{rules}</style>"
    if style.mode == "nonce":
        return f'<style nonce="{escape(style.nonce)}">{rules}</style>'
    if style.mode == "stylesheet":
        return f'<link rel="stylesheet" href="{escape(stylesheet_url)}">'
    return ""


def render(policy: BannerPolicy, content: Content, style: StyleDecision, *, faq_url: str, contact_url: str,
           dismiss_url: str | None, stylesheet_url: str, beacon_url: str | None = None) -> str:
    """The banner's HTML (a str; the inserter writes non-ASCII as character references).

    `beacon_url`: the render beacon for inline/nonce styles and presentational attributes (the stylesheet
    mode carries it in `stylesheet_url`); None when the page's policy would block the image.
    """
    language = content.language
    lang = line_language(language)
    others = [other for other in LANGUAGES if other != lang]
    details = (f'<details><summary>{escape(UI["more"].get(lang))}</summary><div class="p" dir="ltr">'
               f'{_detail(policy, content, lang)}{"".join(_detail(policy, content, o) for o in others)}'
               f'{_links(faq_url, contact_url, language)}</div></details>')
    dismiss = "" if dismiss_url is None else (
        f'<a class="x" href="{escape(dismiss_url)}" target="_self" referrerpolicy="no-referrer" '
        f'aria-label="{escape(_label("dismiss_label", language))}">&#x2715;<span class="n"> '
        f'{escape(UI["dismiss"].get(lang))}</span></a>')
    body = _line(policy, content, lang) + _meter(content, lang) + details + dismiss
    if style.mode == "attributes":
        background = f' background="{escape(beacon_url)}"' if beacon_url else ""
        body = _PRESENTATIONAL[0].format(background=background) + body + _PRESENTATIONAL[1]
    return (f'<{HOST_ELEMENT} data-socialguard="banner" lang="{lang}">'
            f'<template shadowrootmode="open">{_sheet(style, stylesheet_url, beacon_url)}'
            f'<section class="b" role="region" aria-label="{escape(_label("region", language))}">{body}</section>'
            f"</template></{HOST_ELEMENT}>")
