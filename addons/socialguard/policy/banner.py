"""banner.yaml: the employee reminder banner (texts EN/FR, links, frequency cap, meter, coaching texts).

The file may be absent: the banner then runs with the built-in defaults below (disabled texts are never
invented; without messages the banner is off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .source import Document


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True, slots=True)
class Message:
    guideline: str
    text: Text


@dataclass(frozen=True)
class BannerPolicy:
    enabled: bool = False
    language: str = "auto"                          # en | fr | auto
    every_seconds: int = 4 * 3600                   # frequency cap per person and platform
    dismiss_seconds: int = 8 * 3600
    meter: bool = True
    after_post_guideline: str = "2.2"               # the reminder owed on the next page after a post
    after_post_activities: frozenset[str] = frozenset({"post", "comment", "upload"})
    faq_url: str = ""
    contact_url: str = ""
    title: Text = Text("Social media guidelines", "Lignes directrices sur les médias sociaux")
    messages: tuple[Message, ...] = ()
    kinds: dict[str, Text] = field(default_factory=dict)
    asks: dict[str, Text] = field(default_factory=dict)

    def ask(self, guideline: str) -> Text | None:
        """What a guideline section asks: its explicit coaching text, else its first rotating message."""
        if guideline in self.asks:
            return self.asks[guideline]
        return next((m.text for m in self.messages if m.guideline == guideline), None)


def _text(d: dict) -> Text:
    return Text(en=d["en"].strip(), fr=d["fr"].strip())


def _after_post(d: dict) -> dict:
    out = {}
    if "guideline" in d:
        out["after_post_guideline"] = d["guideline"]
    if "activities" in d:
        out["after_post_activities"] = frozenset(d["activities"])
    return out


def parse_banner(docs: list[Document], directory: Path) -> BannerPolicy:
    if not docs:
        return BannerPolicy()
    doc = docs[0]
    d = doc.data or {}
    messages = tuple(Message(m["guideline"], _text(m)) for m in d.get("messages", ()))
    enabled = d.get("enabled", True)
    if enabled and not messages:
        raise doc.error(["enabled"], "the banner is enabled but has no messages")
    freq = d.get("frequency", {})
    coaching = d.get("coaching", {})
    kwargs = {}
    if "title" in d:
        kwargs["title"] = _text(d["title"])
    return BannerPolicy(
        enabled=enabled,
        language=d.get("language", "auto"),
        every_seconds=60 * freq.get("every_minutes", 240),
        dismiss_seconds=60 * freq.get("dismiss_minutes", 480),
        meter=d.get("meter", True),
        **_after_post(d.get("after_post", {})),
        faq_url=d.get("faq_url", ""),
        contact_url=d.get("contact_url", ""),
        messages=messages,
        kinds={k: _text(v) for k, v in coaching.get("kinds", {}).items()},
        asks={k: _text(v) for k, v in coaching.get("asks", {}).items()},
        **kwargs,
    )
