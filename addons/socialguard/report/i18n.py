"""Report texts in English and French (Canada's official languages), with numbers and dates formatted by Babel
(CLDR): `1 234,5` and `25 novembre 2026` in French, `1,234.5` and `Nov 25, 2026` in English.

Every visible string of every renderer comes from MESSAGES; tests check that a French report shows none of the
English ones. Names from the event files (groups, platforms, people) are data and are never translated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from babel.dates import format_date, get_day_names
from babel.numbers import format_decimal

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")
LOCALES = {"en": "en_CA", "fr": "fr_CA"}

MESSAGES: dict[str, tuple[str, str]] = {
    "title": ("Social media use, {first} to {last}", "Utilisation des médias sociaux, du {first} au {last}"),
    "summary": ("Per {period}, by {by}; {people} people.", "Par {period}, par {by} ; {people} personnes."),
    "period.day": ("day", "jour"),
    "period.week": ("week", "semaine"),
    "period.month": ("month", "mois"),
    "by.group": ("group", "groupe"),
    "by.platform": ("platform", "plateforme"),
    "by.user": ("person", "personne"),
    "privacy.individual": ("Per-person report (audited).", "Rapport par personne (journalisé)."),
    "privacy.pseudonymised": ("Per-person report (audited, pseudonymised).",
                              "Rapport par personne (journalisé, pseudonymisé)."),
    "privacy.groups": ("Group-level report: groups with fewer than {k} people are not shown.",
                       "Rapport par groupe : les groupes de moins de {k} personnes ne sont pas affichés."),
    "privacy.hidden": ("{n} groups under the privacy threshold are not shown.",
                       "{n} groupes sous le seuil de confidentialité ne sont pas affichés."),
    "note.individual_without_user": (
        "--individual was given without --by user: this report has group rows only.",
        "--individual a été donné sans --by user : ce rapport ne contient que des lignes par groupe."),
    "model.heading": ("How minutes are counted.", "Comment les minutes sont comptées."),
    "model.sentence": (
        "Working time is {days} {hours} ({zone}) minus lunch {lunch} and breaks {breaks}, except public holidays "
        "({holidays}) and leave{schedules}. Only foreground requests count. Requests on one platform no more than "
        "{gap} s apart form one session, which lasts until {tail} s after its last request; a person's time on all "
        "platforms is the union of their sessions (overlaps count once). Working-time use is the part of the "
        "sessions inside working time (guideline {guideline}). Only personal and professional use counts under "
        "guideline {guideline}; official use (the agency's own accounts, section 1) is counted apart.",
        "Les heures de travail sont {days} {hours} ({zone}), moins le dîner {lunch} et les pauses {breaks}, sauf "
        "les jours fériés ({holidays}) et les congés{schedules}. Seules les requêtes au premier plan comptent. Les "
        "requêtes sur une même plateforme espacées d'au plus {gap} s forment une session, qui dure jusqu'à "
        "{tail} s "
        "après sa dernière requête ; le temps d'une personne sur l'ensemble des plateformes est l'union de ses "
        "sessions (les chevauchements comptent une fois). L'utilisation pendant les heures de travail est la part "
        "des sessions comprise dans les heures de travail (ligne directrice {guideline}). Seule l'utilisation "
        "personnelle et professionnelle compte au titre de la ligne directrice {guideline} ; l'utilisation "
        "officielle (les comptes de l'organisme, section 1) est comptée à part."),
    "model.schedules": ("; other schedules: {names}", " ; autres horaires : {names}"),
    "model.none": ("none", "aucun"),
    "model.times": ("Times are real elapsed time in {zone}, booked on the local date; figures are rounded only for "
                    "display.",
                    "Les durées sont du temps réel écoulé dans le fuseau {zone}, comptées à la date locale ; les "
                    "chiffres ne sont arrondis qu'à l'affichage."),
    "legend.working": ("inside working time", "pendant les heures de travail"),
    "legend.total": ("all use", "toute l'utilisation"),
    "h.per_day": ("Minutes per day", "Minutes par jour"),
    "h.per_platform": ("Minutes per platform", "Minutes par plateforme"),
    "h.per_entity": ("Minutes per {entity}", "Minutes par {entity}"),
    "h.heat": ("All use by hour and weekday", "Toute l'utilisation par heure et jour de la semaine"),
    "h.flags": ("Flags per guideline section", "Signalements par section des lignes directrices"),
    "h.categories": ("Minutes by category", "Minutes par catégorie"),
    "h.comparison": ("Compared with earlier periods", "Comparaison avec les périodes précédentes"),
    "h.figures": ("Figures", "Chiffres"),
    "chart.empty": ("No data.", "Aucune donnée."),
    "chart.min": ("{value} min", "{value} min"),
    "col.date": ("date", "date"),
    "col.to": ("to", "au"),
    "col.group": ("group", "groupe"),
    "col.user": ("person", "personne"),
    "col.platform": ("platform", "plateforme"),
    "col.working_minutes": ("working minutes", "minutes de travail"),
    "col.total_minutes": ("total minutes", "minutes au total"),
    "col.partial": ("partial", "partielle"),
    "col.category": ("category", "catégorie"),
    "col.section": ("section", "section"),
    "col.flags": ("flags", "signalements"),
    "col.people": ("people", "personnes"),
    "col.current": ("this period", "cette période"),
    "col.previous": ("previous period", "période précédente"),
    "col.year_ago": ("a year earlier", "un an plus tôt"),
    "col.change": ("change", "variation"),
    "col.avg": ("per person", "par personne"),
    "col.avg_previous": ("per person before", "par personne avant"),
    "col.share": ("share of working time", "part du temps de travail"),
    "col.name": ("name", "nom"),
    "category.official": ("official", "officielle"),
    "category.personal": ("personal", "personnelle"),
    "category.professional": ("professional", "professionnelle"),
    "category.all": ("all categories", "toutes les catégories"),
    "platform.all": ("all", "toutes"),
    "row.others": ("{n} others", "{n} autres"),
    "row.total": ("total shown", "total affiché"),
    "row.partial": ("partial period", "période partielle"),
    "comparison.ranges": ("This period {current}; previous period {previous}{year}.",
                          "Cette période : {current} ; période précédente : {previous}{year}."),
    "comparison.what": ("Minutes of personal and professional use inside working time (guideline {guideline}).",
                        "Minutes d'utilisation personnelle et professionnelle pendant les heures de travail "
                        "(ligne directrice {guideline})."),
    "comparison.year": ("; a year earlier {range}", " ; un an plus tôt : {range}"),
    "comparison.no_year": ("; no data a year earlier", " ; aucune donnée un an plus tôt"),
    "comparison.avg_hidden": ("Per-person averages are shown only for groups of at least {k} people.",
                              "Les moyennes par personne ne sont affichées que pour les groupes d'au moins {k} "
                              "personnes."),
    "range": ("{first} to {last}", "du {first} au {last}"),
    "truncated": ("The tables show the top {n} by total minutes and one row for the others; the CSV and JSON "
                  "reports hold all {rows} rows.",
                  "Les tableaux montrent les {n} premiers selon les minutes au total et une ligne pour les autres ; "
                  "les rapports CSV et JSON contiennent les {rows} lignes."),
    "sort.hint": ("Click a column heading to sort.", "Cliquez sur un en-tête de colonne pour trier."),
    "na": ("–", "–"),
    "yes": ("yes", "oui"),
    "no": ("no", "non"),
    "mail.subject": ("Social media use report, {first} to {last} ({scope})",
                     "Rapport d'utilisation des médias sociaux, du {first} au {last} ({scope})"),
    "mail.scope_all": ("all groups", "tous les groupes"),
    "mail.text": ("The report is in the HTML part of this message; the figures are attached as CSV.",
                  "Le rapport se trouve dans la partie HTML de ce message ; les chiffres sont joints en CSV."),
}


@dataclass(frozen=True)
class Texts:
    """The strings, numbers and dates of one language."""

    lang: Lang

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    def __call__(self, key: str, **values: object) -> str:
        text = MESSAGES[key][LANGS.index(self.lang)]
        return text.format(**values) if values else text

    def num(self, value: float | int | None, digits: int = 1) -> str:
        if value is None:
            return self("na")
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def signed(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return self("na")
        text = self.num(abs(value), digits)
        return ("+" if value > 0 else "−" if value < 0 else "") + text

    def percent(self, ratio: float | None, signed: bool = False) -> str:
        if ratio is None:
            return self("na")
        text = self.num(abs(ratio) * 100 if signed else ratio * 100, 1)
        sign = ("+" if ratio > 0 else "−" if ratio < 0 else "") if signed else ""
        return f"{sign}{text}\u00a0%" if self.lang == "fr" else f"{sign}{text}%"

    def date(self, day: date, form: str = "medium") -> str:
        return format_date(day, form, locale=self.locale)

    def short_date(self, day: date) -> str:
        return format_date(day, "d MMM", locale=self.locale)

    def weekdays(self) -> list[str]:
        """Monday first, as the policy's worktime.WEEKDAYS are."""
        names = get_day_names("abbreviated", locale=self.locale)
        return [names[i] for i in range(7)]


def languages(choice: str) -> tuple[Lang, ...]:
    return LANGS if choice == "both" else (choice,)  # type: ignore[return-value]
