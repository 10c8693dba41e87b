"""markers.yaml: security markings, Statistics Act and embargo notices, code words, labels, profanity, logos."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from .source import Document, given


@dataclass(frozen=True, slots=True)
class RuleRef:
    id: str
    guideline: str

    @classmethod
    def from_dict(cls, d: dict) -> RuleRef:
        return cls(d["id"], d["guideline"])


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """A set of literal phrases that raise one finding `name` (kind `marker`)."""

    id: str
    name: str
    guideline: str
    phrases: tuple[str, ...]
    case: str = "any"               # any | upper | level
    embargo: bool = False
    form: bool = False              # a security marking: found in any case, judged by its form (marking_form)


@dataclass(frozen=True, slots=True)
class LabelRule:
    id: str
    name: str
    guideline: str
    match: tuple[str, ...]          # lower-cased globs on the label name

    def matches(self, label: str) -> bool:
        label = label.strip().lower()
        return any(fnmatch.fnmatchcase(label, g) for g in self.match)


@dataclass(frozen=True, slots=True)
class ProfanityRule:
    id: str = "profanity.language"
    guideline: str = "2.4"
    with_agency: RuleRef = RuleRef("profanity.agency", "2.5")
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)   # language -> words/phrases

    @classmethod
    def from_dict(cls, d: dict) -> ProfanityRule:
        return cls(**given(d, id=str, guideline=str, with_agency=RuleRef.from_dict,
                           words=lambda w: {lang: tuple(words) for lang, words in w.items()}))


@dataclass(frozen=True, slots=True)
class LogoRule:
    id: str = "logo.reference"
    guideline: str = "2.3"
    directory: Path | None = None
    min_score: float = 0.5
    min_inliers: int = 12
    hash_distance: int = 8

    @classmethod
    def from_dict(cls, d: dict, doc: Document, directory: Path) -> LogoRule:
        """The reference folder is relative to the policy folder (`logos` unless named); a named one must exist."""
        folder = (directory / d.get("directory", "logos")).resolve()
        if "directory" in d and not folder.is_dir():
            raise doc.error(["logos", "directory"], f"logo directory {folder} not found")
        return cls(directory=folder if folder.is_dir() else None,
                   **given(d, id=str, guideline=str, min_score=float, min_inliers=int, hash_distance=int))


@dataclass(frozen=True)
class MarkersPolicy:
    markers: tuple[PhraseRule, ...] = ()       # kind marker (code words included)
    labels: tuple[LabelRule, ...] = ()
    profanity: ProfanityRule = ProfanityRule()
    internal_links: RuleRef = RuleRef("link.internal", "2.5")
    logos: LogoRule = LogoRule()
    # Markings found in a weak form (a capitalised word inside a sentence) are reported under this rule, so
    # inspection.yaml can coach them while blocking the strong forms under the marking's own rule.
    weak_form: RuleRef = RuleRef("marker.weak_form", "2.6")

    def label_rule(self, label: str) -> LabelRule | None:
        return next((r for r in self.labels if r.matches(label)), None)

    @classmethod
    def from_document(cls, doc: Document, directory: Path) -> MarkersPolicy:
        """Rule ids are unique across markers, code words and labels; a duplicate is reported at its line."""
        d = doc.data
        seen: set[str] = set()

        def unique(rid: str, keys: list) -> str:
            if rid in seen:
                raise doc.error(keys, f"duplicate rule id {rid!r}")
            seen.add(rid)
            return rid

        markers = [PhraseRule(unique(m["id"], ["markers", i, "id"]), m["name"], m["guideline"], tuple(m["phrases"]),
                              **given(m, case=str, embargo=bool, form=bool))
                   for i, m in enumerate(d.get("markers", ()))]
        markers += [PhraseRule(unique(c["id"], ["code_words", i, "id"]), c["name"], c["guideline"], tuple(c["words"]))
                    for i, c in enumerate(d.get("code_words", ()))]
        labels = tuple(LabelRule(unique(lab["id"], ["labels", i, "id"]), lab["name"], lab["guideline"],
                                 tuple(g.lower() for g in lab["match"]))
                       for i, lab in enumerate(d.get("labels", ())))
        return cls(markers=tuple(markers), labels=labels, **given(
            d, profanity=ProfanityRule.from_dict, internal_links=RuleRef.from_dict, weak_form=RuleRef.from_dict,
            logos=lambda lg: LogoRule.from_dict(lg, doc, directory)))


def parse_markers(docs: list[Document], directory: Path) -> MarkersPolicy:
    return MarkersPolicy.from_document(docs[0], directory) if docs else MarkersPolicy()
