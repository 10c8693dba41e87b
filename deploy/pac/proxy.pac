// socialguard proxy auto-configuration (docs/wpad.md). Serve as application/x-ns-proxy-autoconfig.
//
// - Intranet and plain host names go DIRECT.
// - Everything else goes through socialguard: social media hosts are decrypted and classified there, every
//   other TLS connection passes through untouched (operations.yaml `tls:`) and is only counted by domain.
// - N nodes: each host name hashes to a primary node, the others follow as failover, so load spreads across
//   the nodes while one host keeps hitting one node (sessions, banner caps) until that node is down.
// - No final DIRECT: if every node is down, browsing fails rather than bypassing the guidelines. Add
//   "; DIRECT" at the end of the returned string if the agency prefers to fail open.

var SOCIALGUARD_NODES = [
  "socialguard1.agency.internal:8080",
  "socialguard2.agency.internal:8080"
];

var INTRANET_SUFFIXES = [
  ".agency.internal",
  ".statcan.gc.ca"
];

function socialguardHash(s) {
  // 32-bit FNV-1a: stable across browsers, no DNS lookups.
  var h = 0x811c9dc5;
  for (var i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = (h * 0x01000193) >>> 0;
  }
  return h;
}

function socialguardProxies(host) {
  var n = SOCIALGUARD_NODES.length;
  var first = socialguardHash(host) % n;
  var out = [];
  for (var i = 0; i < n; i++) {
    out.push("PROXY " + SOCIALGUARD_NODES[(first + i) % n]);
  }
  return out.join("; ");
}

function FindProxyForURL(url, host) {
  host = host.toLowerCase();
  if (isPlainHostName(host) || host === "localhost" || shExpMatch(host, "127.*") || shExpMatch(host, "10.*")) {
    return "DIRECT";
  }
  for (var i = 0; i < INTRANET_SUFFIXES.length; i++) {
    var suffix = INTRANET_SUFFIXES[i];
    if (dnsDomainIs(host, suffix) || host === suffix.substring(1)) {
      return "DIRECT";
    }
  }
  return socialguardProxies(host);
}
