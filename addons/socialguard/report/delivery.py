"""Delivering reports by mail: the HTML report inline (with a plain-text part) and the CSV attached, over SMTP
with STARTTLS (always: a relay that does not offer it gets nothing) and authentication when a username is set.

A failed attempt is retried (tenacity, exponential wait) and each attempt that fails writes a
`socialguard.delivery` event; a mail that still cannot be delivered is kept in the spool folder as an .eml file
and its event says where, so a report is never lost silently. Events name the SMTP error class and code, never
the server's text, the password or the message."""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from .. import eventtypes
from ..policy.reports import DeliveryPolicy, SmtpSettings
from .safe import clean

# Permanent refusals: retrying cannot help (a wrong password, a refused sender, no STARTTLS on offer).
_PERMANENT = (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError, smtplib.SMTPSenderRefused,
              smtplib.SMTPRecipientsRefused, LookupError, ssl.SSLCertVerificationError)


@dataclass(frozen=True)
class Mail:
    scope: str                          # the group whose report this is, or "*"
    recipients: tuple[str, ...]
    subject: str
    html: str
    text: str
    csv: str
    csv_name: str
    pdf: bytes | None = None            # the printable copy, for mail clients that show no SVG (and for filing)


@dataclass(frozen=True)
class Outcome:
    scope: str
    delivered: bool
    attempts: int
    spooled: Path | None = None
    error: str | None = None


def message(sender: str, mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(mail.recipients)
    msg["Subject"] = clean(mail.subject)            # no CR/LF from a group name reaches a header
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    msg.add_attachment(mail.csv.encode("utf-8"), maintype="text", subtype="csv", filename=mail.csv_name)
    if mail.pdf is not None:
        msg.add_attachment(mail.pdf, maintype="application", subtype="pdf",
                           filename=mail.csv_name.removesuffix(".csv") + ".pdf")
    return msg


def tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)


def send_once(msg: EmailMessage, smtp: SmtpSettings) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds) as client:
        client.ehlo()
        client.starttls(context=tls_context(smtp))   # raises SMTPNotSupportedError when not offered
        client.ehlo()
        if smtp.username:
            client.login(smtp.username, smtp.password() or "")
        refused = client.send_message(msg)
        if refused:
            # Some recipients refused, the others got it: a partial delivery is reported, not retried (it would
            # send twice to those who have it).
            raise PartialDelivery(sorted(refused))


class PartialDelivery(Exception):
    def __init__(self, refused: list[str]):
        super().__init__(f"{len(refused)} recipients refused")
        self.refused = refused


def _describe(e: BaseException) -> str:
    code = getattr(e, "smtp_code", None)
    return f"{type(e).__name__}{f' {code}' if code else ''}"


def _retryable(e: BaseException) -> bool:
    if isinstance(e, (*_PERMANENT, PartialDelivery)):
        return False
    if isinstance(e, smtplib.SMTPResponseException):
        return 400 <= e.smtp_code < 500
    return isinstance(e, (OSError, smtplib.SMTPException))


def delivery_event(mail: Mail, *, outcome: str, attempt: int, error: str | None = None,
                   spooled: Path | None = None) -> dict[str, Any]:
    return eventtypes.delivery(now=time.time(), scope=clean(mail.scope), recipients=len(mail.recipients),
                               attempt=attempt, outcome=outcome, error=error,
                               spooled=str(spooled) if spooled else None)


def spool(msg: EmailMessage, folder: Path, mail: Mail) -> Path:
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    safe_scope = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in mail.scope)[:60] or "_"
    path = folder / f"report-{time.strftime('%Y%m%dT%H%M%S')}-{safe_scope}-{os.getpid()}.eml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
    with os.fdopen(fd, "wb") as f:
        f.write(msg.as_bytes())
    return path


def deliver(mail: Mail, policy: DeliveryPolicy, emit: Callable[[dict], None], *,
            sleep: Callable[[float], None] = time.sleep) -> Outcome:
    """Send with retries; every failed attempt and the final outcome are events. Never raises for SMTP trouble."""
    msg = message(policy.sender, mail)

    def failed_attempt(state: RetryCallState) -> None:
        err = state.outcome.exception() if state.outcome else None
        emit(delivery_event(mail, outcome="failure", attempt=state.attempt_number,
                            error=_describe(err) if err else None))

    retrying = Retrying(stop=stop_after_attempt(policy.attempts),
                        wait=wait_exponential(multiplier=policy.retry_wait_seconds, max=policy.retry_wait_seconds * 16),
                        retry=retry_if_exception(_retryable), before_sleep=failed_attempt, sleep=sleep, reraise=True)
    attempts = 0
    try:
        for attempt in retrying:
            with attempt:
                attempts = attempt.retry_state.attempt_number
                send_once(msg, policy.smtp)
    except Exception as e:  # noqa: BLE001 - any failure ends in the spool and an event, never in silence
        error = _describe(e)
        try:
            where: Path | None = spool(msg, policy.spool_dir, mail)
        except OSError as spool_error:          # the event (and the exit code) still say it was not delivered
            where = None
            error += f"; not spooled: {spool_error.strerror}"
        emit(delivery_event(mail, outcome="failure", attempt=attempts, error=error, spooled=where))
        return Outcome(mail.scope, False, attempts, where, error)
    emit(delivery_event(mail, outcome="success", attempt=attempts))
    return Outcome(mail.scope, True, attempts)


def mails(make: Callable[[str | None], Any], policy: DeliveryPolicy, langs: tuple, top_n: int,
          first: Any, last: Any, *, pdf: Callable[[str], bytes] | None = None) -> list[Mail]:
    """One mail per recipient list: a group's report for its group's recipients ("*": all groups).
    `make(group or None)` builds the report of that scope; `pdf(html)`, when given, prints the copy to attach."""
    from .html import render_html
    from .i18n import Texts
    from .render import render_csv, render_markdown

    out = []
    for scope, recipients in policy.recipients.items():
        report = make(None if scope == "*" else scope)
        subjects = []
        for lang in langs:
            t = Texts(lang)
            subjects.append(t("mail.subject", first=first.isoformat(), last=last.isoformat(),
                              scope=t("mail.scope_all") if scope == "*" else clean(scope)))
        text = "\n\n".join(Texts(lang)("mail.text") for lang in langs) + "\n\n" + render_markdown(report, langs, top_n)
        html = render_html(report, langs, top_n)
        out.append(Mail(scope, recipients, " / ".join(subjects), html, text, render_csv(report, langs),
                        f"socialguard-report-{first}-{last}.csv", pdf(html) if pdf else None))
    return out
