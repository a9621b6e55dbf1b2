// @ts-check
/**
 * The TLS trust store of Infomaniak connections: Node's bundled roots plus the extra CAs a client
 * was given (NODE_EXTRA_CA_CERTS, the demo simulator's CA). The one copy for main (transport.ts)
 * and the download thread (direct-worker.mjs), so plain JavaScript with Node built-ins only, like
 * that thread; each thread keeps its own contexts.
 *
 * Building a context costs about 20–30 ms of CPU (parsing the 140-odd roots), so it is built once
 * per set of extra CAs in a thread and shared by every connection and client of that set: a
 * context holds only the certificates to trust and is not changed once built. A process meets a
 * few sets at most (the user's, the demo's, a test's); the oldest is dropped beyond MAX_CONTEXTS.
 */
import { createSecureContext, rootCertificates } from 'node:tls';

const MAX_CONTEXTS = 8;
/** @type {Map<string, import('node:tls').SecureContext>} */
const contexts = new Map();

/**
 * The secure context trusting Node's bundled roots plus `ca` (with no extra CA: Node's defaults).
 * @param {readonly string[]} ca PEM certificates
 * @returns {import('node:tls').SecureContext}
 */
export function secureContextFor(ca) {
  const key = ca.join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext(ca.length > 0 ? { ca: [...rootCertificates, ...ca] } : {});
    if (contexts.size >= MAX_CONTEXTS) {
      const oldest = contexts.keys().next();
      if (!oldest.done) contexts.delete(oldest.value);
    }
    contexts.set(key, context);
  }
  return context;
}
