"""English and French in every format: the French report shows no English string (checked against the list of
English messages), numbers and dates follow the French-Canadian conventions (1 234,5; 25 novembre 2026)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from support.report_events import activity, flag, write_events
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.cli import main as cli
from socialguard.report.i18n import MESSAGES, Texts

PEOPLE = ["asmith", "bwong", "cnguyen", "dpatel", "etremblay"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("i18n")
    evs = []
    for day in (WEDNESDAY - timedelta(days=7), WEDNESDAY, WEDNESDAY + timedelta(days=1)):
        evs += [activity(u, "economics", "x", at(9, 0, day=day), flow=f"{u}{day}") for u in PEOPLE]
        evs += [activity(u, "economics", "x", at(9, 1, day=day), flow=f"{u}{day}b", category="official")
                for u in PEOPLE[:2]]
    evs.append(activity("solo", "tiny", "x", at(9, 0)))                      # a hidden group
    evs.append(flag("asmith", "economics", "x", at(9, 30), "2.3"))
    write_events(tmp / "ev", evs)
    policy = policy_copy(tmp / "policy", reports="k_anonymity: 5\npseudonym_key_file: k/p.key\n")
    return tmp / "ev", policy


def report(setup, fmt, lang, *extra):
    events, policy = setup
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        assert cli(["report", "--events", str(events), "--policy", str(policy), "--from", "2026-11-25",
                    "--to", "2026-11-26", "--period", "week", "--format", fmt, "--lang", lang,
                    "--individual", *extra]) == 0
    return out.getvalue()


class _Visible(HTMLParser):
    """Text a reader sees or hears: text nodes outside script/style, and aria-label/title/alt attributes."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [v for k, v in attrs if k in ("aria-label", "title", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def english_fragments() -> set[str]:
    """The literal pieces of every English message that differs from its French one (placeholders cut out)."""
    french = " ".join(fr for _en, fr in MESSAGES.values())
    out = set()
    for en, fr in MESSAGES.values():
        if en == fr:
            continue
        for piece in re.split(r"\{[^}]*\}", en):
            piece = piece.strip(" .,;:()-")
            if re.search(r"[A-Za-z]{2}", piece) and not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", french):
                out.add(piece)
    return out


def find_english(text: str) -> list[str]:
    return sorted(p for p in english_fragments() if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))


def test_the_english_list_is_not_empty_and_is_found_in_english():
    frags = english_fragments()
    assert {"inside working time", "Minutes per day", "others", "How minutes are counted"} <= frags
    assert len(frags) > 60


def test_french_html_shows_no_english_string(setup):
    fr = _Visible()
    fr.feed(report(setup, "html", "fr"))
    text = "\n".join(fr.texts)
    assert find_english(text) == []
    # The same check finds plenty in the English report (the check can fail).
    en = _Visible()
    en.feed(report(setup, "html", "en"))
    assert len(find_english("\n".join(en.texts))) > 25
    for expected in ("Utilisation des médias sociaux", "du 25 nov. 2026 au 26 nov. 2026", "lun.", "Minutes par jour",
                     "pendant les heures de travail", "officielle", "période partielle", "Comparaison"):
        assert expected in text, expected


def test_french_markdown_json_and_csv(setup):
    md = report(setup, "md", "fr")
    assert find_english(md) == []
    assert "Comment les minutes sont comptées" in md
    doc = json.loads(report(setup, "json", "fr"))
    texts = doc["texts"]["fr"]
    visible = [texts["title"], texts["model"], texts["privacy"], *texts["notes"], *texts["columns"].values()]
    assert doc["language"] == ["fr"] and find_english("\n".join(visible)) == []
    assert texts["notes"] == ["--individual a été donné sans --by user : ce rapport ne contient que des lignes par "
                              "groupe."]
    text = report(setup, "csv", "fr")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["date", "au", "partielle", "groupe", "plateforme", "minutes de travail", "minutes au total"]
    assert {r[2] for r in rows[1:]} == {"oui"} and all("," in r[5] or r[5].isdigit() for r in rows[1:])
    assert find_english(text) == []


def test_both_languages_in_one_document(setup):
    html = report(setup, "html", "both")
    assert '<section class="lang" lang="en">' in html and '<section class="lang" lang="fr">' in html
    assert "Minutes per day" in html and "Minutes par jour" in html


def test_number_and_date_formats():
    fr, en = Texts("fr"), Texts("en")
    assert fr.num(1234.5) == "1\u00a0234,5" and en.num(1234.5) == "1,234.5"
    assert fr.date(date(2026, 11, 25), "long") == "25 novembre 2026"
    assert en.date(date(2026, 11, 25)) == "Nov 25, 2026"
    assert fr.percent(-0.125, signed=True) == "−12,5\u00a0%" and en.percent(0.5, signed=True) == "+50.0%"
    assert fr.weekdays()[0] == "lun." and en.weekdays()[6] == "Sun"


def test_language_default_comes_from_the_policy(setup, tmp_path):
    events, policy = setup
    import shutil

    p2 = tmp_path / "p"
    shutil.copytree(policy, p2)
    (p2 / "reports.yaml").write_text("k_anonymity: 5\nlanguage: fr\n")
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        assert cli(["report", "--events", str(events), "--policy", str(p2), "--from", "2026-11-25", "--to",
                    "2026-11-26", "--format", "md"]) == 0
    assert out.getvalue().startswith("# Utilisation des médias sociaux")


# Written apart from MESSAGES (a second route to the same claim): common English words that have no business in
# a French report. Words French shares with English (minutes, date, section, total, ...) are not in it.
ENGLISH_WORDS = {"the", "and", "of", "with", "per", "by", "is", "are", "only", "than", "shown", "working", "time",
                 "others", "previous", "share", "people", "person", "group", "groups", "day", "week", "month",
                 "use", "all", "inside", "before", "after", "earlier", "year", "click", "heading", "sort", "hour",
                 "weekday", "flags", "platform", "official", "personal", "professional", "partial", "none",
                 "lunch", "breaks", "holidays", "leave", "counted", "report", "privacy", "threshold", "change"}


def test_french_html_has_no_common_english_word(setup):
    fr = _Visible()
    fr.feed(report(setup, "html", "fr"))
    data = {"economics", "tiny", "x", "America/Toronto", "CA/ON", "government", "optional"}   # names: data
    # Command-line options (--by user) are not translated.
    words = {w.lower() for t in fr.texts for w in re.findall(r"[A-Za-z]+", re.sub(r"--[\w-]+( user)?", "", t))
             if w not in data}
    assert words & ENGLISH_WORDS == set()
    en = _Visible()
    en.feed(report(setup, "html", "en"))
    en_words = {w.lower() for t in en.texts for w in re.findall(r"[A-Za-z]+", t)}
    assert len(en_words & ENGLISH_WORDS) > 30                       # the same check finds them in English
