"""Prometheus metrics, one registry per process. Parts count what they do here; the adapter serves it."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

flows = Counter("socialguard_flows_total", "Classified social media requests", ["platform", "activity"], registry=REGISTRY)
unknown_operations = Counter("socialguard_unknown_operations_total",
                             "Requests on a known platform that no rule matched", ["platform"], registry=REGISTRY)
flags = Counter("socialguard_flags_total", "Findings raised", ["kind", "guideline", "action"], registry=REGISTRY)
events_written = Counter("socialguard_events_total", "Events emitted", ["action"], registry=REGISTRY)
event_write_errors = Counter("socialguard_event_write_errors_total", "Event writes that failed (e.g. disk full)",
                             registry=REGISTRY)
event_pending = Gauge("socialguard_event_pending", "Events waiting in memory because the disk refused them",
                      registry=REGISTRY)
event_write_seconds = Histogram("socialguard_event_write_seconds", "Time to write one event",
                                buckets=(1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1), registry=REGISTRY)
inspection_errors = Counter("socialguard_inspection_errors_total", "Inspections that failed", ["reason"],
                            registry=REGISTRY)
inspection_queue = Gauge("socialguard_inspection_queue_depth", "Inspections waiting or running", registry=REGISTRY)
banner_injections = Counter("socialguard_banner_injections_total", "Banners inserted into pages", ["language"],
                            registry=REGISTRY)
banner_rendered = Counter("socialguard_banner_rendered_total",
                          "Inserted banners the browser rendered (fetched their render beacon)", ["language"],
                          registry=REGISTRY)
banner_dismiss_refused = Counter("socialguard_banner_dismiss_refused_total", "Dismiss requests not honoured",
                                 ["reason"], registry=REGISTRY)
policy_reload_errors = Counter("socialguard_policy_reload_errors_total", "Policy reloads rejected", registry=REGISTRY)
policy_reloads = Counter("socialguard_policy_reloads_total", "Policy reloads tried", ["status"], registry=REGISTRY)
passthrough_connections = Counter("socialguard_tls_passthrough_total", "TLS connections left encrypted",
                                  ["reason"], registry=REGISTRY)
decrypted_connections = Counter("socialguard_tls_decrypted_total", "TLS connections decrypted", ["reason"],
                                registry=REGISTRY)
refused_requests = Counter("socialguard_refused_total",
                           "Requests refused: addressed to the proxy itself (self) or its host's loopback (loopback)",
                           ["reason"], registry=REGISTRY)
policy_loaded = Gauge("socialguard_policy_loaded_timestamp_seconds", "When the policy in force was loaded",
                      registry=REGISTRY)


def render() -> bytes:
    return generate_latest(REGISTRY)
