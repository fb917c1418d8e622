// When public_baseurl is wrong on its own: the ways the public-baseurl check reports as its one finding about
// it (MXD-PB-005 internal, MXD-PB-002, MXD-PB-001). Other checks that only see another URL differ from it
// (MXD-EL-006) ask this, so that one broken public_baseurl is reported once.

import { isIP } from 'node:net';
import type { ClientVersionsArtifact } from '../../src/probes/client-versions.js';
import { versionsFor } from '../well-known/fixes.js';

/** Hosts only this machine or its network can reach: localhost, loopback, private, link-local, unspecified, .local. */
export function isInternalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  const family = isIP(h);
  if (family === 4) {
    const [a, b] = h.split('.').map(Number);
    return (
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (family === 6) return h === '::1' || h === '::' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith('::ffff:127.');
  return false;
}

/**
 * How public_baseurl is broken by itself: `internal` (MXD-PB-005), `http` (MXD-PB-002), `unanswered` (its
 * /_matrix/client/versions did not answer as a homeserver: MXD-PB-001); undefined when nothing shows it is.
 */
export function publicBaseurlFault(publicBaseurl: string, versions: ClientVersionsArtifact | undefined): 'internal' | 'http' | 'unanswered' | undefined {
  let url: URL;
  try {
    url = new URL(publicBaseurl);
  } catch {
    return undefined;
  }
  if (isInternalHost(url.hostname)) return 'internal';
  if (url.protocol === 'http:') return 'http';
  const live = versionsFor(versions, publicBaseurl, 'homeserver-config');
  return live && !live.versions ? 'unanswered' : undefined;
}
