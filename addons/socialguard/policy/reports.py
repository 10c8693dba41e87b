"""reports.yaml: privacy of usage reports (k-anonymity, keyed pseudonyms), retention, language, and delivery by
mail (guideline 2.7). The SMTP password never lives in YAML: only the name of an environment variable or a file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .source import Document

Language = Literal["en", "fr", "both"]
ALL_GROUPS = "*"                                # recipients of the agency-wide report


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 587
    username: str | None = None
    password_env: str | None = None             # name of the variable holding the password
    password_file: Path | None = None           # or a file (mode 0600) holding it
    timeout_seconds: float = 30.0
    ca_file: Path | None = None                 # extra CA for the relay's certificate (default: the system's)

    def password(self) -> str | None:
        """Read when a mail is sent, never stored on the policy object (it would end up in reprs and errors)."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise LookupError(f"environment variable {self.password_env} is not set")
            return value
        if self.password_file:
            return self.password_file.read_text(encoding="utf-8").rstrip("\r\n")
        return None


@dataclass(frozen=True)
class DeliveryPolicy:
    sender: str = ""
    smtp: SmtpSettings = SmtpSettings()
    recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)   # group (or "*") -> addresses
    attempts: int = 4
    retry_wait_seconds: float = 60.0
    spool_dir: Path = Path("/var/lib/socialguard/reports/undelivered")


@dataclass(frozen=True)
class ReportsPolicy:
    k_anonymity: int = 5
    pseudonymise: bool = True
    pseudonym_key_file: Path = Path("/var/lib/socialguard/report-pseudonym.key")
    retention_days: int = 90                    # 0 keeps every event file
    guideline: str = "2.7"
    language: Language = "en"                   # the shipped policy says "both"
    top_n: int = 20                             # rows of HTML/Markdown tables and charts before "N others"
    delivery: DeliveryPolicy = DeliveryPolicy()


def _delivery(d: dict, directory: Path) -> DeliveryPolicy:
    base = DeliveryPolicy()
    s = d.get("smtp", {})
    smtp_defaults = SmtpSettings()

    def path(value: str | None) -> Path | None:
        return directory / value if value else None

    smtp = SmtpSettings(
        host=s.get("host", smtp_defaults.host), port=s.get("port", smtp_defaults.port),
        username=s.get("username"), password_env=s.get("password_env"), password_file=path(s.get("password_file")),
        timeout_seconds=s.get("timeout_seconds", smtp_defaults.timeout_seconds), ca_file=path(s.get("ca_file")))
    return DeliveryPolicy(
        sender=d.get("from", base.sender), smtp=smtp,
        recipients={g: tuple(a) for g, a in d.get("recipients", {}).items()},
        attempts=d.get("attempts", base.attempts),
        retry_wait_seconds=d.get("retry_wait_seconds", base.retry_wait_seconds),
        spool_dir=directory / d.get("spool_dir", str(base.spool_dir)),
    )


def parse_reports(docs: list[Document], directory: Path) -> ReportsPolicy:
    if not docs:
        return ReportsPolicy()
    d = docs[0].data
    defaults = ReportsPolicy()
    return ReportsPolicy(
        k_anonymity=d.get("k_anonymity", defaults.k_anonymity),
        pseudonymise=d.get("pseudonymise", defaults.pseudonymise),
        # Relative paths are under the policy directory, so a policy folder carries its own key.
        pseudonym_key_file=directory / d.get("pseudonym_key_file", str(defaults.pseudonym_key_file)),
        retention_days=d.get("retention_days", defaults.retention_days),
        guideline=d.get("guideline", defaults.guideline),
        language=d.get("language", defaults.language),
        top_n=d.get("top_n", defaults.top_n),
        delivery=_delivery(d["delivery"], directory) if "delivery" in d else defaults.delivery,
    )
