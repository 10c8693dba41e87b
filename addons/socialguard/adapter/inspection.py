"""The inspection addon: posts and uploads on social platforms go through the content detectors.

- Bodies up to `limits.hold_bytes` are held whole and inspected in a worker process before they are
  forwarded, so a `block` rule can answer 403. The hook is async: other flows go on meanwhile.
- Larger (or chunked, unknown-length) bodies are streamed: a callable `flow.request.stream` scans each chunk
  with an overlap window and spools it to a temporary file (bounded memory), returning it unchanged. They are
  inspected after they have been forwarded, so their findings can only be logged (or coached).
- Resumable/chunked upload protocols are reassembled per session; the chunk that completes the file is held
  and inspected as a whole file.
Non-social traffic never reaches this addon's work: it has no Verdict.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from urllib.parse import parse_qsl

from mitmproxy import http

from .. import metrics
from ..coaching import Coaching
from ..events import make_event
from ..inspect.blockpage import block_page
from ..inspect.detect.text import IncrementalTextScanner, TextDetector
from ..inspect.extract.body import extract_body
from ..inspect.extract.sessions import SessionStore, chunk_of, x_chunk
from ..inspect.findings import Finding, Report
from ..inspect.pool import InspectionPool, policy_stamp
from . import runtime
from .facts import request_facts, request_host

log = logging.getLogger(__name__)
STREAM_KEY = "socialguard_inspect_stream"
BODY_METHODS = ("POST", "PUT", "PATCH")


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


class StreamedBody:
    """`flow.request.stream` for a large upload: scan each chunk, spool it, hand it on unchanged."""

    def __init__(self, detector: TextDetector, overlap: int, file_limit: int, encoded: bool):
        self.scanner = None if encoded else IncrementalTextScanner(detector, "body", overlap)
        self.file_limit = file_limit
        self.size = 0
        self.spool = tempfile.NamedTemporaryFile(prefix="socialguard-upload-", delete=False)
        self.error: str | None = None

    def __call__(self, chunk: bytes) -> bytes:
        try:
            if chunk:
                if self.scanner is not None:
                    self.scanner.feed(chunk)
                room = self.file_limit - self.size
                if room > 0:
                    self.spool.write(chunk[:room])
                self.size += len(chunk)
        except Exception as e:   # never break the upload itself
            self.error = f"{type(e).__name__}: {e}"
        return chunk

    def close(self) -> str:
        self.spool.close()
        return self.spool.name


class Inspection:
    def __init__(self):
        self.pool: InspectionPool | None = None
        self.sessions: SessionStore | None = None
        self._policy = None
        self._detector: TextDetector | None = None
        self._stamp: tuple = ()
        self._background: set[asyncio.Task] = set()

    # -- per-policy state --------------------------------------------------------------------------
    def _sync(self, rt) -> None:
        policy = rt.policy
        if policy is self._policy:
            return
        insp = policy.inspection
        if self.pool is None or self.pool.workers != insp.workers:
            if self.pool is not None:
                self.pool.shutdown()
            self.pool = InspectionPool(insp.workers)
        if self.sessions is None:
            self.sessions = SessionStore(insp.sessions)
        else:
            self.sessions.limits = insp.sessions
        self._detector = TextDetector(policy)
        self._stamp = policy_stamp(policy)
        self._policy = policy

    def _crops_dir(self, rt) -> str | None:
        return str(rt.events_dir / "crops") if rt.policy.inspection.save_crops else None

    # -- hooks -------------------------------------------------------------------------------------
    def requestheaders(self, flow: http.HTTPFlow) -> None:
        rt = runtime.current()
        if rt is None or flow.request.method.upper() not in BODY_METHODS:
            return
        length = flow.request.headers.get("content-length")
        limits = rt.policy.inspection.limits
        try:
            big = int(length) > limits.hold_bytes if length is not None else (
                "chunked" in flow.request.headers.get("transfer-encoding", "").lower())
        except ValueError:
            big = False
        if not big:
            return
        if not rt.engine.classifier.might_be_social(request_host(flow), flow.request.path.split("?", 1)[0]):
            return                                  # not social: never inspected (a host lookup)
        if rt.engine.classify(request_facts(flow)) is None:
            return
        self._sync(rt)
        stream = StreamedBody(self._detector, limits.overlap_bytes, limits.file_bytes,
                              encoded="content-encoding" in flow.request.headers)
        flow.request.stream = stream
        flow.metadata[STREAM_KEY] = stream

    async def request(self, flow: http.HTTPFlow) -> None:
        rt = runtime.current()
        verdict = flow.metadata.get("socialguard")
        if rt is None or verdict is None or flow.response is not None:
            stream = flow.metadata.pop(STREAM_KEY, None)
            if stream is not None:
                os.unlink(stream.close())
            return
        self._sync(rt)
        stream = flow.metadata.pop(STREAM_KEY, None)
        if stream is not None:
            task = asyncio.create_task(self._inspect_streamed(flow, rt, verdict, stream))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return
        try:
            job = await self._held_job(flow, rt, verdict)
        except Exception as e:
            self._notice(rt, flow, verdict, "error", "request", f"{type(e).__name__}: {e}")
            return
        if job is None:
            return
        kind, args = job
        insp = rt.policy.inspection
        report = await self.pool.inspect(str(rt.policy.directory), self._stamp, self._crops_dir(rt), kind, args,
                                         insp.limits.seconds)
        self._act(flow, rt, verdict, report, can_block=True)

    async def _held_job(self, flow: http.HTTPFlow, rt, verdict) -> tuple[str, tuple] | None:
        req = flow.request
        body = req.raw_content or b""
        if req.method.upper() not in BODY_METHODS:
            return None
        headers = {k.lower(): v for k, v in req.headers.items()}
        query = dict(req.query.items())
        host = flow.metadata["socialguard_facts"].host
        path = req.path.split("?", 1)[0]
        chunk = chunk_of(req.method, host, path, query, headers, body)
        if chunk is None and path.endswith("/media/upload.json"):
            chunk = await asyncio.to_thread(self._x_chunk, host, query, headers, body, rt)
        if chunk is not None:
            done = self.sessions.add(chunk)
            for key, reason in self.sessions.take_dropped():
                self._notice(rt, flow, verdict, reason, key.split(":", 1)[0], "upload session dropped")
            if done is None:
                return None
            name, data = done
            return "file", (data, name)
        if not body or verdict.classification.activity not in rt.policy.inspection.activities:
            return None
        name = path.rstrip("/").rsplit("/", 1)[-1]
        return "body", (body, headers.get("content-type", ""), headers.get("content-encoding", ""), name)

    @staticmethod
    def _x_chunk(host, query, headers, body, rt):
        fields = dict(query)
        media = None
        ct = headers.get("content-type", "")
        if ct.startswith("multipart/form-data"):
            ex = extract_body(body, ct, "", rt.policy.inspection.limits)
            fields.update({t.location.split(":", 1)[1]: t.text for t in ex.texts if t.location.startswith("form:")})
            media = next((f.data for f in ex.files), None)
        elif ct.startswith("application/x-www-form-urlencoded"):
            fields.update(dict(parse_qsl(body.decode("utf-8", "replace"))))
        if "media_data" in fields and media is None:
            import base64
            try:
                media = base64.b64decode(fields.pop("media_data"))
            except ValueError:
                media = None
        return x_chunk(host, fields, media)

    async def _inspect_streamed(self, flow, rt, verdict, stream: StreamedBody) -> None:
        path = stream.close()
        try:
            req = flow.request
            headers = {k.lower(): v for k, v in req.headers.items()}
            url_path = req.path.split("?", 1)[0]
            name = url_path.rstrip("/").rsplit("/", 1)[-1]
            job: tuple[str, tuple] | None = ("path", (path, headers.get("content-type", ""),
                                                       headers.get("content-encoding", ""), name))
            if stream.size <= stream.file_limit and chunk_of(req.method, flow.metadata["socialguard_facts"].host,
                                                             url_path, dict(req.query.items()), headers, b""):
                # A large chunk of a resumable upload: it joins its session like a held one.
                data = await asyncio.to_thread(_read, path)
                chunk = chunk_of(req.method, flow.metadata["socialguard_facts"].host, url_path,
                                 dict(req.query.items()), headers, data)
                done = self.sessions.add(chunk)
                job = ("file", (done[1], done[0])) if done is not None else None
            if job is None:
                report = Report()
            else:
                report = await self.pool.inspect(str(rt.policy.directory), self._stamp, self._crops_dir(rt),
                                                 *job, rt.policy.inspection.limits.seconds)
            if stream.scanner is not None:
                seen = {(f.kind, f.name) for f in report.findings}
                for f in stream.scanner.findings():
                    if (f.kind, f.name) not in seen:
                        report.add(f)
            if stream.size > stream.file_limit:
                report.notice("too_large", "body", f"streamed {stream.size} bytes; inspected the first "
                                                   f"{stream.file_limit}")
            if stream.error:
                report.notice("error", "body", stream.error)
            self._act(flow, rt, verdict, report, can_block=False)
        except Exception as e:
            log.warning("socialguard inspection of a streamed upload failed: %s", e)
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass

    # -- outcomes ----------------------------------------------------------------------------------
    def _act(self, flow: http.HTTPFlow, rt, verdict, report: Report, can_block: bool) -> None:
        facts = flow.metadata["socialguard_facts"]
        insp = rt.policy.inspection
        blocked: list[Finding] = []
        for f in report.findings:
            action = insp.action_for(f.kind, f.rule)
            if action == "block" and not can_block:
                action = "log"          # already forwarded: a streamed upload can only be logged
            extra = {k: v for k, v in (("bbox", list(f.bbox) if f.bbox else None),
                                       ("release_time", f.release_time), ("crop", f.crop)) if v is not None}
            file = None
            if f.file_sha256:
                file = {"name": f.file_name or "", "hash": {"sha256": f.file_sha256}}
            rt.engine.flag(facts, verdict, kind=f.kind, name=f.name, guideline=f.guideline, rule=f.rule,
                           location=f.location, action=action, confidence=f.confidence, file=file,
                           finding_extra=extra)
            if action == "coach":
                rt.coaching.add(verdict.who.user, Coaching(f.kind, f.name, f.guideline,
                                                           verdict.classification.platform, time.time()))
            elif action == "block":
                blocked.append(f)
        for n in report.notices:
            self._notice(rt, flow, verdict, n.reason, n.location, n.detail)
        if not can_block or flow.response is not None:
            return
        if blocked:
            agency = rt.policy.agency
            flow.response = http.Response.make(
                403, block_page(blocked, agency.name_en, agency.name_fr, agency.contact_url).encode(),
                {"content-type": "text/html; charset=utf-8", "cache-control": "no-store"})
        elif report.failed and not insp.fail_open:
            flow.response = http.Response.make(
                403, block_page([], rt.policy.agency.name_en, rt.policy.agency.name_fr).encode(),
                {"content-type": "text/html; charset=utf-8", "cache-control": "no-store"})

    def _notice(self, rt, flow, verdict, reason: str, location: str, detail: str) -> None:
        metrics.inspection_errors.labels(reason).inc()
        facts = flow.metadata.get("socialguard_facts") or request_facts(flow)
        engine = rt.engine
        sg = engine.classification_fields(verdict.classification) | {
            "inspection": {"reason": reason, "location": location, "detail": detail[:300]}}
        engine.emit(make_event("social.inspection", "event", facts.timestamp,
                               event={"category": ["web"], "type": ["error"] if reason != "ocr_unavailable"
                                      else ["info"]},
                               **engine.common_fields(facts, verdict), socialguard=sg))

    def error(self, flow: http.HTTPFlow) -> None:
        # A streamed upload the client abandoned: no `request` hook will come for it; drop its spool file.
        stream = flow.metadata.pop(STREAM_KEY, None)
        if stream is not None:
            try:
                os.unlink(stream.close())
            except OSError:
                pass

    def done(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
