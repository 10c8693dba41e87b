"""The banner's HTML: a `<socialguard-banner>` host with a declarative shadow root and no script.

Declarative shadow DOM keeps the page's CSS out (and the banner's CSS in) without a line of script, so
Trusted Types and script-src policies never see the banner. The styling follows `csp.decide`: an inline
`<style>`, a `<style>` with the page's nonce, a same-origin stylesheet link, or presentational attributes.
The banner is a normal block at the top of the body (never an overlay), so it hides none of the site's
controls; it is a labelled region whose links (FAQ, Web2Social team, dismiss) are keyboard-reachable.
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
    "dismiss": Text("Dismiss", "Fermer"),
    "dismiss_label": Text("Dismiss this reminder", "Fermer ce rappel"),
    "meter": Text("You have spent {minutes} min on social media during working hours today.",
                  "Vous avez passé {minutes} min sur les médias sociaux pendant les heures de travail aujourd'hui."),
    "coaching": Text("Found in your recent activity on {platform}: {kind} (guideline {guideline}).",
                     "Relevé dans votre activité récente sur {platform} : {kind} (ligne directrice {guideline})."),
}

# The stylesheet: used inline, with the page's nonce, or served from the page's origin by the proxy.
BANNER_CSS = """\
:host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;\
opacity:1!important;margin:0!important;contain:content}
.b{box-sizing:border-box;display:flex;flex-wrap:wrap;align-items:flex-start;gap:.5em 1.25em;padding:.6em 1em;\
background:#fff4ce;color:#1b1b1b;border-bottom:2px solid #8a6d00;font:14px/1.45 system-ui,-apple-system,\
"Segoe UI",Roboto,Arial,sans-serif;text-align:start}
.t{flex:1 1 30em;min-width:0}
p{margin:0 0 .25em}
strong{font-weight:700}
.g,.l{font-size:.92em}
.c{border-left:4px solid #b3261e;padding-left:.5em}
a{color:#0b3d91;text-decoration:underline}
a:focus-visible{outline:2px solid #0b3d91;outline-offset:2px}
.x{flex:none;padding:.2em .6em;border:1px solid #0b3d91;border-radius:4px;background:#fff;text-decoration:none;\
white-space:nowrap}
"""
_PRESENTATIONAL = ('<table role="presentation" width="100%" cellpadding="8" cellspacing="0" border="0" '
                   'bgcolor="#FFF4CE"><tr><td><font color="#1B1B1B" face="Arial, sans-serif">',
                   "</font></td></tr></table>")


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
    """What one banner says."""

    language: str                         # en | fr | en+fr
    message: Message
    minutes: int | None = None            # the usage meter; None hides it
    coaching: tuple[Coaching, ...] = ()
    platform_names: tuple[tuple[str, str], ...] = ()   # slug -> display name for coaching lines


def _languages(language: str) -> Sequence[str]:
    return LANGUAGES if language == "en+fr" else (language,)


def _block(policy: BannerPolicy, content: Content, lang: str) -> str:
    names = dict(content.platform_names)
    m = content.message
    title = policy.title.get(lang) + UI["colon"].get(lang)
    parts = [
        f'<p lang="{lang}"><strong>{escape(title)}</strong> {escape(m.text.get(lang))} '
        f'<span class="g">({escape(UI["guideline"].get(lang))} {escape(m.guideline)})</span></p>'
    ]
    if content.minutes is not None:
        parts.append(f'<p lang="{lang}" class="m">{escape(UI["meter"].get(lang).format(minutes=content.minutes))}</p>')
    for item in content.coaching:
        kind = policy.kinds.get(item.kind)
        ask = policy.ask(item.guideline)
        line = UI["coaching"].get(lang).format(
            platform=names.get(item.platform, item.platform),
            kind=kind.get(lang) if kind else item.kind.replace("_", " "),
            guideline=item.guideline)
        if ask is not None:
            line += " " + ask.get(lang)
        parts.append(f'<p lang="{lang}" class="c" role="note">{escape(line)}</p>')
    return "".join(parts)


def _label(key: str, language: str) -> str:
    """An interface word in the banner's language(s): 'Dismiss / Fermer', but 'FAQ' once."""
    return " / ".join(dict.fromkeys(UI[key].get(lang) for lang in _languages(language)))


def _links(faq_url: str, contact_url: str, language: str) -> str:
    def label(key: str) -> str:
        return _label(key, language)

    links = []
    if faq_url:
        links.append(f'<a href="{escape(faq_url)}" target="_blank" rel="noopener noreferrer">'
                     f'{escape(label("faq"))}</a>')
    if contact_url:
        links.append(f'<a href="{escape(contact_url)}">{escape(label("contact"))}</a>')
    return f'<p class="l">{" &middot; ".join(links)}</p>' if links else ""


def render(policy: BannerPolicy, content: Content, style: StyleDecision, *, faq_url: str, contact_url: str,
           dismiss_url: str, stylesheet_url: str) -> str:
    """The banner's HTML (a str; the inserter writes non-ASCII as character references)."""
    language = content.language
    region_label = _label("region", language)
    dismiss_text = _label("dismiss", language)
    dismiss_label = _label("dismiss_label", language)
    if style.mode == "inline":
        sheet = f"<style>{BANNER_CSS}</style>"
    elif style.mode == "nonce":
        sheet = f'<style nonce="{escape(style.nonce)}">{BANNER_CSS}</style>'
    elif style.mode == "stylesheet":
        sheet = f'<link rel="stylesheet" href="{escape(stylesheet_url)}">'
    else:
        sheet = ""
    text = "".join(_block(policy, content, lang) for lang in _languages(language))
    body = (f'<div class="t">{text}{_links(faq_url, contact_url, language)}</div>'
            f'<a class="x" href="{escape(dismiss_url)}" target="_self" referrerpolicy="no-referrer" '
            f'aria-label="{escape(dismiss_label)}">'
            f'&#x2715; {escape(dismiss_text)}</a>')
    if style.mode == "attributes":
        body = _PRESENTATIONAL[0] + body + _PRESENTATIONAL[1]
    root_lang = "fr" if language == "fr" else "en"
    return (f'<{HOST_ELEMENT} data-socialguard="banner" lang="{root_lang}">'
            f'<template shadowrootmode="open">{sheet}'
            f'<section class="b" role="region" aria-label="{escape(region_label)}">{body}</section>'
            f"</template></{HOST_ELEMENT}>")
