"""The bilingual 403 page shown when a `block` rule stops a post or upload. Cites guidelines, never content."""

from __future__ import annotations

from html import escape

from .findings import Finding

KIND_EN = {"marker": "a security marking or confidentiality notice", "label": "a sensitivity label",
           "logo": "the agency's logo or signature", "profanity": "language unfit for the workplace",
           "internal_link": "a link to an internal (non-public) site"}
KIND_FR = {"marker": "une cote de sécurité ou un avis de confidentialité", "label": "une étiquette de sensibilité",
           "logo": "le logo ou la signature de l'organisme", "profanity": "un langage inapproprié au travail",
           "internal_link": "un lien vers un site interne (non public)"}


def block_page(findings: list[Finding], agency_en: str = "Statistics Canada",
               agency_fr: str = "Statistique Canada", contact_url: str = "") -> str:
    rows_en = "".join(f"<li>{escape(KIND_EN.get(f.kind, f.kind))} (<code>{escape(f.name)}</code>) — "
                      f"guideline {escape(f.guideline)}</li>" for f in findings)
    rows_fr = "".join(f"<li>{escape(KIND_FR.get(f.kind, f.kind))} (<code>{escape(f.name)}</code>) — "
                      f"ligne directrice {escape(f.guideline)}</li>" for f in findings)
    if not findings:     # fail-closed: the inspection itself did not complete
        rows_en = "<li>it could not be inspected in time, and the policy does not let uninspected uploads through</li>"
        rows_fr = ("<li>il n'a pas pu être inspecté à temps, et la politique ne laisse pas passer les "
                   "téléversements non inspectés</li>")
    contact = (f'<p><a href="{escape(contact_url)}">Contact / Communiquez avec nous</a></p>'
               if contact_url else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Blocked / Bloqué</title></head>
<body>
<section lang="en"><h1>This post or upload was blocked</h1>
<p>It appears to contain content that {escape(agency_en)}'s <em>Social media guidelines for employees</em>
reserve for official use or require to be kept confidential:</p><ul>{rows_en}</ul>
<p>If you believe this is a mistake, contact your manager or the Web2Social team.</p></section>
<hr>
<section lang="fr"><h1>Cette publication ou ce téléversement a été bloqué</h1>
<p>Il semble contenir du contenu que les <em>Lignes directrices sur l'utilisation des médias sociaux par les
employés</em> de {escape(agency_fr)} réservent à l'usage officiel ou exigent de garder confidentiel :</p>
<ul>{rows_fr}</ul>
<p>Si vous croyez qu'il s'agit d'une erreur, communiquez avec votre gestionnaire ou l'équipe Web2Social.</p>
</section>
{contact}
</body></html>
"""
