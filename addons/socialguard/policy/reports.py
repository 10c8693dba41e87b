"""reports.yaml: privacy of usage reports (k-anonymity, keyed pseudonyms), retention, language, and delivery by
mail (guideline 2.7). The SMTP password never lives in YAML: only the name of an environment variable or a file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .source import Document, given

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

    @classmethod
    def from_dict(cls, d: dict, directory: Path) -> SmtpSettings:
        return cls(**given(d, host=str, port=int, username=str, password_env=str, timeout_seconds=float,
                           password_file=lambda f: directory / f, ca_file=lambda f: directory / f))

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

    @classmethod
    def from_dict(cls, d: dict, directory: Path) -> DeliveryPolicy:
        return cls(**given(d, sender=("from", str), smtp=lambda s: SmtpSettings.from_dict(s, directory),
                           recipients=lambda r: {g: tuple(a) for g, a in r.items()}, attempts=int,
                           retry_wait_seconds=float, spool_dir=lambda f: directory / f))


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

    @classmethod
    def from_dict(cls, d: dict, directory: Path) -> ReportsPolicy:
        # Relative paths (key file, spool, CA, password file) are under the policy directory, so a policy folder
        # carries its own files.
        return cls(**given(d, k_anonymity=int, pseudonymise=bool, pseudonym_key_file=lambda f: directory / f,
                           retention_days=int, guideline=str, language=str, top_n=int,
                           delivery=lambda x: DeliveryPolicy.from_dict(x, directory)))


def parse_reports(docs: list[Document], directory: Path) -> ReportsPolicy:
    return ReportsPolicy.from_dict(docs[0].data, directory) if docs else ReportsPolicy()
