"""agency.yaml: names, official accounts, whose use is official, internal hosts."""

from __future__ import annotations

from pathlib import Path

from .model import Agency
from .source import Document, given


def _official_posts(value: dict) -> dict[str, tuple[str, ...]]:
    return {slug: tuple(str(i) for i in ids) for slug, ids in value.items()}


def parse_agency(docs: list[Document], directory: Path) -> Agency:
    d = docs[0].data
    name = d["name"]
    aliases = tuple(d.get("aliases", ()))
    return Agency(
        name_en=name["en"],
        name_fr=name["fr"],
        names=tuple(dict.fromkeys((name["en"], name["fr"], *aliases))),
        official_handles={
            slug: tuple(h.lower().lstrip("@") for h in handles)
            for slug, handles in d.get("official_handles", {}).items()
        },
        official_groups=tuple(d.get("official_groups", ())),
        official_users=tuple(d.get("official_users", ())),
        internal_domains=tuple(h.lower() for h in d.get("internal_domains", ())),
        professional_hosts=tuple(h.lower() for h in d.get("professional_hosts", ())),
        **given(d, faq_url=str, contact_url=str, official_posts=_official_posts),
    )
