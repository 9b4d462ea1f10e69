// A NetworkPolicy evaluator (ingress only), enough to ask "may pod A open a connection to pod B on port P?"
// with the semantics of networking.k8s.io/v1: a pod selected by no Ingress policy accepts everything; a
// selected pod accepts what at least one rule of one selecting policy allows.

const matchesSelector = (selector, labels) => {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels || {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
};

const peerMatches = (peer, policyNs, src) => {
  if (peer.ipBlock) return false; // pod-to-pod questions only
  const nsOk = peer.namespaceSelector ? matchesSelector(peer.namespaceSelector, src.nsLabels) : src.ns === policyNs;
  const podOk = peer.podSelector ? matchesSelector(peer.podSelector, src.labels) : true;
  return nsOk && podOk;
};

const portMatches = (ports, port, dstNamedPorts) => {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol || "TCP") !== "TCP") return false;
    if (p.port === undefined) return true;
    const num = typeof p.port === "number" ? p.port : dstNamedPorts?.[p.port];
    if (num === undefined) return false;
    return p.endPort ? port >= num && port <= p.endPort : port === num;
  });
};

/**
 * @param policies NetworkPolicy objects (metadata.namespace set)
 * @param src {ns, nsLabels, labels}
 * @param dst {ns, labels, namedPorts}
 */
export function ingressAllowed(policies, src, dst, port) {
  const selecting = policies.filter((p) => p.metadata.namespace === dst.ns
    && (p.spec.policyTypes || ["Ingress"]).includes("Ingress")
    && matchesSelector(p.spec.podSelector, dst.labels));
  if (selecting.length === 0) return true;
  return selecting.some((p) => (p.spec.ingress || []).some((rule) =>
    (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(peer, p.metadata.namespace, src)))
    && portMatches(rule.ports, port, dst.namedPorts)));
}
