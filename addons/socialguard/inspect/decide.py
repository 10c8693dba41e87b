"""What to inspect in one request, and what to do with what was found: pure functions, no mitmproxy.

- `plan(upload, policy, sessions)`: which job (if any) a held body becomes: a resumable-upload chunk joins
  its session (X's `media_data` base64 decoded) and the completed file is inspected; a post is inspected
  as a body when its activity is one the policy inspects.
- `plan_streamed(...)`: the same for a body that was streamed to a spool file (already forwarded).
- `decide(report, policy, can_hold)`: log / coach / block per finding (block demoted to log when the body
  was already forwarded), the coaching owed, the notices, and the one block page when the request is stopped.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, urlencode

from ..policy import Policy
from .extract.body import extract_body
from .extract.sessions import SessionStore, chunk_of, x_chunk
from .findings import Finding, InspectionReport, Notice
from .scancontext import ScanContext
from .jobs import BodyJob, FileJob, Job, SpooledBodyJob
from .streamed import StreamedBody

BODY_METHODS = ("POST", "PUT", "PATCH")
X_MEDIA_UPLOAD = "/media/upload.json"


@dataclass(frozen=True, slots=True)
class UploadFacts:
    """The request as inspection needs it: the whole body (not the classifier's peek)."""

    method: str
    host: str
    path: str                                   # without the query string
    query: dict[str, str]
    headers: dict[str, str]                     # names lower-cased
    body: bytes
    activity: str
    context: ScanContext | None = None          # platform, category, target: scopes the 2.3/2.4 checks

    @property
    def name(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Plan:
    job: Job | None
    notices: tuple[Notice, ...] = ()


def held_body_too_big(content_length: str | None, transfer_encoding: str, hold_bytes: int) -> bool:
    """Whether a body must be streamed rather than held: over the hold limit, or chunked of unknown length."""
    if content_length is None:
        return "chunked" in transfer_encoding.lower()
    try:
        return int(content_length) > hold_bytes
    except ValueError:
        return False


def _dropped(sessions: SessionStore) -> tuple[Notice, ...]:
    return tuple(Notice(reason, key.split(":", 1)[0], "upload session dropped")
                 for key, reason in sessions.take_dropped())


def x_media_chunk(upload: UploadFacts, policy: Policy):
    """X's media upload: fields in the query, a form or a multipart body; the media as a part or base64."""
    fields = dict(upload.query)
    media = None
    ct = upload.headers.get("content-type", "")
    if ct.startswith("multipart/form-data"):
        ex = extract_body(upload.body, ct, "", policy.inspection.limits)
        fields.update({t.location.split(":", 1)[1]: t.text for t in ex.texts if t.location.startswith("form:")})
        media = next((f.data for f in ex.files), None)
    elif ct.startswith("application/x-www-form-urlencoded"):
        fields.update(dict(parse_qsl(upload.body.decode("utf-8", "replace"))))
    if "media_data" in fields and media is None:
        try:
            media = base64.b64decode(fields.pop("media_data"))
        except ValueError:
            media = None
    return x_chunk(upload.host, fields, media)


def plan_is_cheap(upload: UploadFacts, max_bytes: int) -> bool:
    """Whether `plan` is cheap enough for the event loop: a small body that is no upload-session chunk (a
    completed session joins its chunks, and X's form is decoded: those are planned in a thread)."""
    return (len(upload.body) <= max_bytes and not upload.path.endswith(X_MEDIA_UPLOAD)
            and chunk_of(upload.method, upload.host, upload.path, upload.query, upload.headers, b"") is None)


def plan(upload: UploadFacts, policy: Policy, sessions: SessionStore) -> Plan:
    """The job for a held body, or none. Can be CPU-bound (X's multipart): run it off the event loop."""
    if upload.method.upper() not in BODY_METHODS:
        return Plan(None)
    chunk = chunk_of(upload.method, upload.host, upload.path, upload.query, upload.headers, upload.body)
    if chunk is None and upload.path.endswith(X_MEDIA_UPLOAD):
        chunk = x_media_chunk(upload, policy)
    if chunk is not None:
        done = sessions.add(chunk)
        notices = _dropped(sessions)
        return Plan(FileJob(done[1], done[0], upload.context) if done is not None else None, notices)
    if not upload.body and upload.context is not None and upload.context.target == "profile" and upload.query:
        # X v1.1 clients (tweepy) send a profile edit's fields in the query string: inspect them as a form.
        return Plan(BodyJob(urlencode(upload.query).encode(), "application/x-www-form-urlencoded", "",
                            upload.name, upload.context))
    if not upload.body or upload.activity not in policy.inspection.activities:
        return Plan(None)
    return Plan(BodyJob(upload.body, upload.headers.get("content-type", ""),
                        upload.headers.get("content-encoding", ""), upload.name, upload.context))


def plan_streamed(upload: UploadFacts, stream: StreamedBody, spool: str, sessions: SessionStore) -> Plan:
    """The job for a streamed body (`upload.body` empty): the spool file, or its resumable session's file."""
    job: Job | None = SpooledBodyJob(spool, upload.headers.get("content-type", ""),
                                     upload.headers.get("content-encoding", ""), upload.name, upload.context)
    if stream.size <= stream.file_limit and chunk_of(upload.method, upload.host, upload.path, upload.query,
                                                     upload.headers, b""):
        # A large chunk of a resumable upload: it joins its session like a held one.
        with open(spool, "rb") as fh:
            data = fh.read()
        done = sessions.add(chunk_of(upload.method, upload.host, upload.path, upload.query, upload.headers, data))
        job = FileJob(done[1], done[0], upload.context) if done is not None else None
    return Plan(job, _dropped(sessions))


def merge_streamed(report: InspectionReport, stream: StreamedBody) -> InspectionReport:
    """Add what the chunk scanner saw on the wire, and say what was not inspected."""
    if stream.scanner is not None:
        seen = {(f.kind, f.name) for f in report.findings}
        for f in stream.scanner.findings():
            if (f.kind, f.name) not in seen:
                report.add(f)
    if stream.size > stream.file_limit:
        report.notice("too_large", "body", f"streamed {stream.size} bytes; inspected the first {stream.file_limit}")
    if stream.error:
        report.notice("error", "body", stream.error)
    return report


@dataclass(frozen=True, slots=True)
class Decision:
    flags: tuple[tuple[Finding, str], ...] = ()     # each finding with its action: log | coach | block
    notices: tuple[Notice, ...] = ()
    block_page: str | None = None                   # HTML of the 403 when the request is stopped

    @property
    def coaching(self) -> tuple[Finding, ...]:
        return tuple(f for f, action in self.flags if action == "coach")


def decide(report: InspectionReport, policy: Policy, can_hold: bool) -> Decision:
    """The action per finding; a block page when something is blocked, or when the inspection failed and
    the policy fails closed. A body already forwarded (`can_hold` false) can only be logged or coached."""
    insp = policy.inspection
    flags = []
    for f in report.findings:
        action = insp.action_for(f.kind, f.rule)
        if action == "block" and not can_hold:
            action = "log"
        flags.append((f, action))
    blocked = [f for f, action in flags if action == "block"]
    page = None
    if can_hold and (blocked or (report.failed and not insp.fail_open)):
        page = block_page(blocked, policy)
    return Decision(tuple(flags), tuple(report.notices), page)


def block_page(blocked: list[Finding], policy: Policy) -> str:
    """The bilingual 403 page: what kind of content (the policy's own words), the guideline, never the content.
    No findings: the inspection did not complete and the policy does not let uninspected uploads through."""
    kinds, agency = policy.banner.kinds, policy.agency
    contact_url = policy.banner.contact_url or agency.contact_url

    def rows(language: str, guideline_word: str) -> str:
        return "".join(f"<li>{escape(kinds[f.kind].get(language) if f.kind in kinds else f.kind)} "
                       f"(<code>{escape(f.name)}</code>) — {guideline_word} {escape(f.guideline)}</li>"
                       for f in blocked)

    rows_en, rows_fr = rows("en", "guideline"), rows("fr", "ligne directrice")
    if not blocked:
        rows_en = "<li>it could not be inspected in time, and the policy does not let uninspected uploads through</li>"
        rows_fr = ("<li>il n'a pas pu être inspecté à temps, et la politique ne laisse pas passer les "
                   "téléversements non inspectés</li>")
    contact = (f'<p><a href="{escape(contact_url)}">Contact / Communiquez avec nous</a></p>' if contact_url else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Blocked / Bloqué</title></head>
<body>
<section lang="en"><h1>This post or upload was blocked</h1>
<p>It appears to contain content that {escape(agency.name_en)}'s <em>Social media guidelines for employees</em>
reserve for official use or require to be kept confidential:</p><ul>{rows_en}</ul>
<p>If you believe this is a mistake, contact your manager.</p></section>
<hr>
<section lang="fr"><h1>Cette publication ou ce téléversement a été bloqué</h1>
<p>Il semble contenir du contenu que les <em>Lignes directrices sur l'utilisation des médias sociaux par les
employés</em> de {escape(agency.name_fr)} réservent à l'usage officiel ou exigent de garder confidentiel :</p>
<ul>{rows_fr}</ul>
<p>Si vous croyez qu'il s'agit d'une erreur, communiquez avec votre gestionnaire.</p>
</section>
{contact}
</body></html>
"""
