"""The adapter's shape: one Runtime per proxy from make_addons(), no module state, one FlowState per flow,
the non-social gate once per request, block pages and notices from the core's decision."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import pytest
from mitmproxy import http
from mitmproxy.test import taddons, tflow

from socialguard.adapter import make_addons
from socialguard.adapter.classifying import Classifying
from socialguard.adapter.endpoints import health
from socialguard.adapter.facts import STATE_KEY, FlowState
from socialguard.adapter.inspection import Inspection
from socialguard.adapter.runtime import Runtime
from socialguard.events import read_events
from support.eventcheck import assert_valid_events
from support.proxies import ROOT

ADAPTER = Path(__file__).resolve().parents[1] / "addons" / "socialguard" / "adapter"
MUTABLE = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


def test_no_global_statement_and_no_mutable_module_state_in_the_adapter():
    for path in sorted(ADAPTER.glob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Global)], path.name
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                value = node.value
                mutable = isinstance(value, MUTABLE) or (
                    isinstance(value, ast.Call) and getattr(value.func, "id", "") in ("list", "dict", "set"))
                # mitm_entry's `addons` is what mitmdump reads from a script: built once by make_addons().
                is_entry = path.name == "mitm_entry.py"
                assert not mutable or is_entry, f"{path.name}:{node.lineno} mutable module-level state"


def test_make_addons_shares_one_runtime_per_call_and_none_between_calls():
    a, b = make_addons(), make_addons()
    assert len({id(addon.rt) for addon in a}) == 1 and len({id(addon.rt) for addon in b}) == 1
    assert a[0].rt is not b[0].rt
    a[0].rt.coaching.add("ann", object())
    assert b[0].rt.coaching.peek("ann") == []


@pytest.fixture
def proxy_addons(tmp_path):
    addons = make_addons()
    core = addons[0]
    with taddons.context(*addons) as tctx:
        tctx.configure(core, socialguard_policy=str(ROOT / "policy"), socialguard_events_dir=str(tmp_path / "ev"),
                       socialguard_node="n1")
        yield addons
    core.rt.shutdown()


def test_configure_loads_the_policy_on_the_runtime(proxy_addons):
    rt = proxy_addons[0].rt
    assert rt.loaded and health(rt)[0] == 200
    rt.reload_problem = "policy reload rejected (1 problem); the previous policy is in force"
    status, body = health(rt)
    assert status == 200 and body["status"] == "degraded" and rt.reload_problem in body["problems"]
    assert health(Runtime())[0] == 503


def _count_gate(rt, monkeypatch) -> list:
    calls = []
    real = rt.engine.classifier.might_be_social

    def counted(host, path):
        calls.append(host)
        return real(host, path)
    monkeypatch.setattr(rt.engine.classifier, "might_be_social", counted)
    return calls


def test_one_flow_state_and_one_gate_per_request(proxy_addons, monkeypatch):
    core, _ops, inspection, banner, _forwarding = proxy_addons
    rt = core.rt
    calls = _count_gate(rt, monkeypatch)
    for url in ("https://www.example.org/", "https://x.com/home"):
        flow = tflow.tflow(req=http.Request.make("GET", url, b"", {"accept": "text/html"}))
        core.request(flow)
        banner.request(flow)
        asyncio.run(inspection.request(flow))
        flow.response = http.Response.make(200, b"ok", {"content-type": "text/plain"})
        core.response(flow)
        core.response(flow)                                   # a second response hook records nothing more
    assert calls == ["www.example.org", "x.com"]
    state = flow.metadata[STATE_KEY]
    assert isinstance(state, FlowState) and state.finished and state.verdict.classification.platform == "x"
    assert [k for k in flow.metadata if k.startswith("socialguard")] == [STATE_KEY]
    evs = read_events(rt.events_dir)
    assert [e["event"]["action"] for e in evs] == ["social.activity"]
    assert evs[0]["event"]["id"] == flow.id
    assert_valid_events(evs)


def test_a_large_upload_is_classified_once(proxy_addons, monkeypatch):
    core, _ops, inspection, _banner, _forwarding = proxy_addons
    rt = core.rt
    calls = _count_gate(rt, monkeypatch)
    big = str(rt.policy.inspection.limits.hold_bytes + 1)
    flow = tflow.tflow(req=http.Request.make("POST", "https://mastodon.social/api/v1/statuses", b"",
                                             {"content-type": "application/json"}))
    flow.request.headers["content-length"] = big
    flow.request.data.content = None
    inspection.requestheaders(flow)
    assert flow.metadata[STATE_KEY].stream is not None and flow.request.stream is flow.metadata[STATE_KEY].stream
    core.request(flow)
    assert calls == ["mastodon.social"]
    flow.metadata[STATE_KEY].stream.discard()


def test_block_demotion_and_one_block_page_come_from_the_core(proxy_addons, tmp_path):
    core, _ops, inspection, _banner, _forwarding = proxy_addons
    rt = core.rt
    flow = tflow.tflow(req=http.Request.make("POST", "https://mastodon.social/api/v1/statuses",
                                             b'{"status": "TOP SECRET//CEO budget"}', {"content-type": "application/json"}))
    core.request(flow)

    async def go():
        await inspection.request(flow)
    asyncio.run(go())
    assert flow.response is not None and flow.response.status_code == 403
    page = flow.response.get_text()
    assert "guideline 2.6" in page and "budget" not in page
    assert rt.policy.banner.kinds["marker"].en in page                   # the policy's own words
    contact = rt.policy.banner.contact_url or rt.policy.agency.contact_url
    assert not contact or contact in page
    flags = [e for e in read_events(rt.events_dir) if e["event"]["action"] == "social.flag"]
    assert flags and flags[0]["socialguard"]["action"] == "block" and flags[0]["event"]["id"] == flow.id
    inspection.done()


def test_fresh_addons_per_test_do_not_see_earlier_coaching():
    rt = make_addons()[0].rt
    assert isinstance(rt, Runtime) and rt.coaching.peek("ann") == [] and not rt.loaded
    assert isinstance(make_addons()[2], Inspection) and isinstance(make_addons()[0], Classifying)
