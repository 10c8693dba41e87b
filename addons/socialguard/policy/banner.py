"""banner.yaml: the employee reminder banner (texts EN/FR, links, frequency cap, meter, coaching texts).

The file may be absent: the banner then runs with the built-in defaults below (disabled texts are never
invented; without messages the banner is off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .source import Document, given


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
    enabled: bool = False                           # no banner.yaml: no banner
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

    @classmethod
    def from_document(cls, doc: Document) -> BannerPolicy:
        """A banner file is there to show a banner: it is on unless it says `enabled: false`, and then it must
        have messages (the dataclass's `enabled=False` is the no-file case)."""
        d = doc.data
        messages = tuple(Message(m["guideline"], _text(m)) for m in d.get("messages", ()))
        switched_off = d.get("enabled") is False
        if not switched_off and not messages:
            raise doc.error(["enabled"], "the banner is enabled but has no messages")
        coaching = d.get("coaching", {})
        return cls(
            enabled=not switched_off, messages=messages,
            **given(d, language=str, meter=bool, faq_url=str, contact_url=str, title=_text),
            **given(d.get("frequency", {}), every_seconds=("every_minutes", _minutes),
                    dismiss_seconds=("dismiss_minutes", _minutes)),
            **given(coaching, kinds=_texts, asks=_texts),
            **given(d.get("after_post", {}), after_post_guideline=("guideline", str),
                    after_post_activities=("activities", frozenset)),
        )


def _text(d: dict) -> Text:
    return Text(en=d["en"].strip(), fr=d["fr"].strip())


def _texts(d: dict) -> dict[str, Text]:
    return {k: _text(v) for k, v in d.items()}


def _minutes(n: int) -> int:
    return 60 * n


def parse_banner(docs: list[Document], directory: Path) -> BannerPolicy:
    return BannerPolicy.from_document(docs[0]) if docs else BannerPolicy()
