"""`socialguard report --send`: each group's recipients get their group's report (HTML inline, CSV attached) from a
real SMTP server started here on loopback (aiosmtpd, STARTTLS with a test CA, AUTH required); failed attempts are
retried and logged as events, and an undeliverable report is kept in the spool, never lost silently."""

from __future__ import annotations

import contextlib
import io
import socket

import jsonschema
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from support.report_events import activity, write_events
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.cli import main as cli
from socialguard.events import event_schema, read_events
from socialguard.policy import PolicyError, load_policy

PASSWORD = "s3cret-Pa55word"
ECONOMICS = ["asmith", "bwong", "cnguyen", "dpatel", "etremblay"]   # identity.yaml puts them in economics


class Recorder:
    def __init__(self, fail_first: int = 0):
        self.messages: list[tuple[list[str], bytes, bool]] = []
        self.fail_first = fail_first
        self.calls = 0

    async def handle_DATA(self, server, session, envelope):
        self.calls += 1
        if self.calls <= self.fail_first:
            return "451 4.3.0 try again later"
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content,
                              session.ssl is not None))
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"reports" and \
        auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    ca = trustme.CA()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ca, pem


@contextlib.contextmanager
def smtp_server(ca, fail_first=0):
    authority, _ = ca
    import ssl

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
    handler = Recorder(fail_first)
    port = free_port()
    ctrl = Controller(handler, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
                      auth_required=True, auth_require_tls=True, authenticator=authenticator)
    ctrl.start()
    try:
        yield handler, port
    finally:
        ctrl.stop()


DELIVERY = """
k_anonymity: 5
pseudonym_key_file: k/p.key
language: {lang}
delivery:
  from: socialguard-reports@agency.example
  smtp:
    host: 127.0.0.1
    port: {port}
    username: reports
    password_env: SG_TEST_SMTP_PASSWORD
    ca_file: {ca}
    timeout_seconds: 10
  recipients:
    "*": [director@agency.example, deputy@agency.example]
    economics: [economics.manager@agency.example]
    communications: [comms.manager@agency.example]
  attempts: {attempts}
  retry_wait_seconds: 0
  spool_dir: spool
"""


@pytest.fixture
def events(tmp_path):
    evs = [activity(u, "economics", "x", at(9, 0), flow=u) for u in ECONOMICS]
    evs.append(activity("jlemieux", "communications", "x", at(9, 0)))      # communications: a group of one
    write_events(tmp_path / "ev", evs)
    return tmp_path / "ev"


def make_policy(tmp_path, ca, port, attempts=3, lang="both"):
    return policy_copy(tmp_path / "policy", reports=DELIVERY.format(port=port, ca=ca[1], attempts=attempts,
                                                                    lang=lang))


def send(events, policy, monkeypatch, password=PASSWORD, extra=()):
    monkeypatch.setenv("SG_TEST_SMTP_PASSWORD", password)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(WEDNESDAY),
                    "--to", str(WEDNESDAY), "--send", *extra])
    return code, err.getvalue()


def delivery_events(events):
    evs = [e for e in read_events(events) if e["event"]["action"] == "socialguard.delivery"]
    for e in evs:
        jsonschema.validate(e, event_schema())
    return evs


def test_each_group_gets_its_report_over_starttls_and_auth(tmp_path, ca, events, monkeypatch):
    import email
    from email import policy as email_policy

    with smtp_server(ca) as (server, port):
        code, err = send(events, make_policy(tmp_path, ca, port), monkeypatch)
    assert code == 0, err
    by_rcpt = {tuple(r): (email.message_from_bytes(raw, policy=email_policy.default), tls)
               for r, raw, tls in server.messages}
    assert set(by_rcpt) == {("director@agency.example", "deputy@agency.example"),
                            ("economics.manager@agency.example",), ("comms.manager@agency.example",)}
    for msg, tls in by_rcpt.values():
        assert tls                                                     # sent after STARTTLS
        html = msg.get_body(("html",)).get_content()
        assert "Social media use" in html and "Utilisation des médias sociaux" in html
        attachments = list(msg.iter_attachments())
        assert [a.get_filename() for a in attachments] == ["socialguard-report-2026-11-25-2026-11-25.csv"]
        assert attachments[0].get_content_type() == "text/csv"
    econ = list(by_rcpt[("economics.manager@agency.example",)][0].iter_attachments())[0].get_content()
    assert "economics" in econ and "communications" not in econ
    # Communications has one person: its manager gets a report without figures (privacy threshold).
    comms = list(by_rcpt[("comms.manager@agency.example",)][0].iter_attachments())[0].get_content()
    assert comms.count("\n") == 1
    subject = by_rcpt[("director@agency.example", "deputy@agency.example")][0]["subject"]
    assert "all groups" in subject and "tous les groupes" in subject
    evs = delivery_events(events)
    assert sorted((e["socialguard"]["delivery"]["scope"], e["event"]["outcome"]) for e in evs) == [
        ("*", "success"), ("communications", "success"), ("economics", "success")]


def test_a_temporary_failure_is_retried_and_logged(tmp_path, ca, events, monkeypatch):
    with smtp_server(ca, fail_first=2) as (server, port):
        policy = make_policy(tmp_path, ca, port, attempts=4)
        groups = ("    economics: [economics.manager@agency.example]\n"
                  "    communications: [comms.manager@agency.example]\n")
        (policy / "reports.yaml").write_text((policy / "reports.yaml").read_text().replace(groups, ""))
        code, err = send(events, policy, monkeypatch)
    assert code == 0, err
    assert len(server.messages) == 1 and server.calls == 3
    evs = delivery_events(events)
    assert [(e["event"]["outcome"], e["socialguard"]["delivery"]["attempt"]) for e in evs] == [
        ("failure", 1), ("failure", 2), ("success", 3)]
    assert evs[0]["socialguard"]["delivery"]["error"] == "SMTPDataError 451"


def test_undeliverable_reports_are_spooled_and_logged(tmp_path, ca, events, monkeypatch):
    port = free_port()                                                 # nothing listens there
    policy = make_policy(tmp_path, ca, port, attempts=2)
    code, err = send(events, policy, monkeypatch)
    assert code == 3 and "NOT delivered" in err
    spooled = sorted((policy / "spool").glob("*.eml"))
    assert len(spooled) == 3 and b"Content-Type: text/csv" in spooled[0].read_bytes()
    evs = delivery_events(events)
    finals = [e for e in evs if "spooled" in e["socialguard"]["delivery"]]
    assert len(finals) == 3 and all(e["event"]["outcome"] == "failure" for e in evs)
    assert len(evs) == 6                                               # one retry event + one final per mail


def test_a_wrong_password_is_not_retried_and_never_logged(tmp_path, ca, events, monkeypatch):
    with smtp_server(ca) as (server, port):
        policy = make_policy(tmp_path, ca, port, attempts=5)
        code, err = send(events, policy, monkeypatch, password="wrong-" + PASSWORD)
    assert code == 3 and server.messages == []
    evs = delivery_events(events)
    assert {e["socialguard"]["delivery"]["error"] for e in evs} == {"SMTPAuthenticationError 535"}
    assert all(e["socialguard"]["delivery"]["attempt"] == 1 for e in evs)
    text = "".join(f.read_text() for f in events.glob("events-*.jsonl")) + err
    assert PASSWORD not in text


def test_a_relay_without_starttls_gets_nothing(tmp_path, ca, events, monkeypatch):
    handler = Recorder()
    port = free_port()
    ctrl = Controller(handler, hostname="127.0.0.1", port=port, auth_require_tls=False)
    ctrl.start()
    try:
        code, _ = send(events, make_policy(tmp_path, ca, port), monkeypatch)
    finally:
        ctrl.stop()
    assert code == 3 and handler.messages == []
    assert {e["socialguard"]["delivery"]["error"] for e in delivery_events(events)} == {"SMTPNotSupportedError"}


def test_the_password_cannot_be_written_in_the_policy(tmp_path, ca):
    policy = make_policy(tmp_path, ca, 25)
    text = (policy / "reports.yaml").read_text().replace("password_env: SG_TEST_SMTP_PASSWORD", "password: hunter2")
    (policy / "reports.yaml").write_text(text)
    with pytest.raises(PolicyError, match="password"):
        load_policy(policy)


def test_an_unwritable_spool_still_gives_an_event_and_a_failure(tmp_path, ca, events, monkeypatch):
    port = free_port()
    policy = make_policy(tmp_path, ca, port, attempts=1)
    (policy / "spool").write_text("a file where the spool folder should be")
    code, err = send(events, policy, monkeypatch)
    assert code == 3 and "Traceback" not in err
    finals = delivery_events(events)
    assert len(finals) == 3 and all("not spooled" in e["socialguard"]["delivery"]["error"] for e in finals)


@pytest.mark.browser
def test_the_pdf_copy_can_be_attached(tmp_path, ca, events, monkeypatch):
    import email
    from email import policy as email_policy

    with smtp_server(ca) as (server, port):
        policy = make_policy(tmp_path, ca, port, lang="fr")
        code, err = send(events, policy, monkeypatch, extra=("--attach-pdf",))
    assert code == 0, err
    for _rcpt, raw, _tls in server.messages:
        msg = email.message_from_bytes(raw, policy=email_policy.default)
        kinds = [(a.get_content_type(), a.get_filename()) for a in msg.iter_attachments()]
        assert kinds == [("text/csv", "socialguard-report-2026-11-25-2026-11-25.csv"),
                         ("application/pdf", "socialguard-report-2026-11-25-2026-11-25.pdf")]
        assert list(msg.iter_attachments())[1].get_content().startswith(b"%PDF-")
        assert "Utilisation des médias sociaux" in msg.get_body(("html",)).get_content()
