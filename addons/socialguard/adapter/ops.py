"""Operations addon: TLS pass-through by SNI, metrics and health endpoints, live policy reload, periodic fsync.

Runs after the classifying addon, which loads the first policy in `configure`; everything here reads the
shared `Runtime`, so a reload is seen at once.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time

from mitmproxy import ctx, tls

from .. import metrics
from ..banner.service import RESERVED_HOST
from .. import eventtypes
from ..filestamp import directory_stamp
from ..passthrough import PassthroughCounter, TlsChooser
from ..policy import Policy, PolicyError, load_policy
from .endpoints import EndpointServer
from .runtime import Runtime

log = logging.getLogger("socialguard")
TICK_S = 0.5


class Operations:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._chooser: tuple[Policy, TlsChooser] | None = None
        self._counter = PassthroughCounter()
        self._last_summary = time.monotonic()
        self._endpoints: EndpointServer | None = None
        self._endpoint_spec: tuple[str, int] | None = None
        self._fingerprint: tuple = ()
        self._last_poll = 0.0
        self._ticker: asyncio.Task | None = None
        self._reloading = asyncio.Lock()
        self._pending_tasks: set[asyncio.Task] = set()
        rt.before_shutdown.append(self._write_summary)

    def load(self, loader):
        loader.add_option("socialguard_metrics_port", int, -1,
                          "Port of the metrics and health endpoints; -1: operations.yaml, 0: any free port.")
        loader.add_option("socialguard_metrics_host", str, "",
                          "Address of the metrics and health endpoints; empty: operations.yaml (loopback).")

    # -- TLS pass-through ------------------------------------------------------------------------
    def _tls_chooser(self, policy: Policy) -> TlsChooser:
        cached = self._chooser
        if cached is None or cached[0] is not policy:
            tls_policy = policy.operations.tls
            cached = (policy, TlsChooser(tls_policy, policy.catalog, policy.agency.professional_hosts,
                                         reserved_hosts=(RESERVED_HOST,), learned_hosts=self.rt.memory.hosts.index))
            self._chooser = cached
            self._counter.max_domains = tls_policy.summary_max_domains
        return cached[1]

    def tls_clienthello(self, data: tls.ClientHelloData) -> None:
        rt = self.rt
        if not rt.loaded or data.ignore_connection:
            return
        sni = data.client_hello.sni
        decision = self._tls_chooser(rt.policy).decide(sni)
        if decision.decrypt:
            metrics.decrypted_connections.labels(decision.reason).inc()
            return
        data.ignore_connection = True
        metrics.passthrough_connections.labels(decision.reason).inc()
        self._counter.add(sni, decision)

    def _write_summary(self, rt: Runtime) -> None:
        self._last_summary = time.monotonic()
        for event in self._counter.drain():
            rt.engine.emit(event)

    # -- lifecycle -------------------------------------------------------------------------------
    def running(self) -> None:
        rt = self.rt
        if not rt.loaded:
            return
        self._fingerprint = directory_stamp(rt.policy.directory)
        self._serve_endpoints(rt.policy)
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._on_sighup)
        except (NotImplementedError, RuntimeError, AttributeError):
            log.warning("socialguard: no SIGHUP on this platform; policy reload only by file watching")
        self._ticker = asyncio.get_running_loop().create_task(self._tick_forever())

    def done(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        if self._endpoints is not None:
            self._endpoints.close()
            self._endpoints = None

    def _serve_endpoints(self, policy: Policy) -> None:
        m = policy.operations.metrics
        port = ctx.options.socialguard_metrics_port
        host = ctx.options.socialguard_metrics_host or m.listen_host
        spec = None if (port == -1 and not m.enabled) else (host, m.port if port == -1 else port)
        if spec == self._endpoint_spec:
            return
        if self._endpoints is not None:
            self._endpoints.close()
            self._endpoints = self.rt.metrics_address = None
        self._endpoint_spec = spec
        if spec is None:
            return
        try:
            self._endpoints = EndpointServer(*spec, self.rt)
        except OSError as e:
            # Traffic goes on without them; say how to fix it (typically a second proxy on the same host). A
            # warning, not an error: mitmdump exits on any error logged during start-up.
            log.warning(f"socialguard: metrics/health endpoint {spec[0]}:{spec[1]} not started: {e.strerror}; the "
                      f"proxy runs without it. Choose another port with `--set socialguard_metrics_port=PORT` "
                      f"(0: any free port) or `metrics.port` in operations.yaml")
            return
        host, port = self.rt.metrics_address = self._endpoints.address
        log.info(f"socialguard: metrics on http://{host}:{port}/metrics, health on http://{host}:{port}/healthz")

    # -- periodic work: file watching, fsync, pass-through summaries --------------------------------
    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            try:
                await self._tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("socialguard: periodic task failed")

    async def _tick(self) -> None:
        rt = self.rt
        if not rt.loaded:
            return
        ops = rt.policy.operations
        writer = rt.sink.writer
        if writer is not None:
            if writer.pending:
                await asyncio.to_thread(writer.retry_pending)
            # fsync in a thread: a slow disk must not hold up the event loop (tens of ms on a busy disk).
            writer.synced_by_timer = True
            await asyncio.to_thread(writer.sync_off_lock, TICK_S)
        now = time.monotonic()
        if now - self._last_summary >= ops.tls.summary_interval_s:
            self._write_summary(rt)
        if ops.reload.watch and now - self._last_poll >= ops.reload.poll_interval_s:
            self._last_poll = now
            fingerprint = await asyncio.to_thread(directory_stamp, rt.policy.directory)
            if fingerprint != self._fingerprint:
                await self.reload("file change")

    def _on_sighup(self) -> None:
        task = asyncio.get_running_loop().create_task(self.reload("SIGHUP"))
        # The loop keeps only weak references to tasks: hold it until it is done.
        self._pending_tasks.add(task)
        task.add_done_callback(self._pending_tasks.discard)

    # -- reload ----------------------------------------------------------------------------------
    async def reload(self, why: str) -> bool:
        """Load the policy again; a bad one is rejected with file:line and the policy in force stays."""
        async with self._reloading:
            rt = self.rt
            if not rt.loaded:
                return False
            directory = rt.policy.directory
            self._fingerprint = await asyncio.to_thread(directory_stamp, directory)
            try:
                policy = await asyncio.to_thread(load_policy, directory)
            except PolicyError as e:
                metrics.policy_reload_errors.inc()
                metrics.policy_reloads.labels("rejected").inc()
                log.error(f"socialguard: policy reload ({why}) rejected; the previous policy stays in force:\n{e}")
                rt.engine.emit(eventtypes.policy_status(now=time.time(), directory=directory, why=why,
                                                        problems=[str(p) for p in str(e).splitlines()]))
                n = len(e.problems)
                rt.reload_problem = (f"policy reload rejected ({n} problem{'' if n == 1 else 's'}); "
                                            "the previous policy is in force")
                return False
            rt.install(policy, rt.events_dir, rt.node)
            rt.reload_problem = None
            metrics.policy_loaded.set_to_current_time()
            metrics.policy_reloads.labels("loaded").inc()
            log.info(f"socialguard: policy reloaded ({why}) from {directory}")
            rt.engine.emit(eventtypes.policy_status(now=time.time(), directory=directory, why=why, problems=None))
            self._serve_endpoints(policy)
            return True
