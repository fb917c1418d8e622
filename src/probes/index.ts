// The registry of built-in probes. Checks name the ids they need; the engine runs each one at most once.

import type { ProbeDefinition } from '../engine/types.js';
import { rateLimitOverridesProbe } from './admin-overrides.js';
import { clientLoginProbe } from './client-login.js';
import { clientVersionsProbe } from './client-versions.js';
import { elementConfigProbe, homeserverConfigProbe, jitsiEnvProbe, nginxConfigProbe } from './config-files.js';
import { databaseProbe } from './database.js';
import { federationProbe } from './federation.js';
import { jitsiProbes } from './jitsi.js';
import { ldapConfigProbe, ldapProbe } from './ldap.js';
import { loginRateProbe } from './login-rate.js';
import { synapseLogProbe } from './synapse-log.js';
import { targetProbe } from './target.js';
import { turnProbes } from './turn.js';
import { wellKnownProbe } from './well-known.js';

export const builtinProbes: ProbeDefinition[] = [
  targetProbe,
  homeserverConfigProbe,
  elementConfigProbe,
  jitsiEnvProbe,
  nginxConfigProbe,
  clientVersionsProbe,
  wellKnownProbe,
  clientLoginProbe,
  federationProbe,
  loginRateProbe,
  rateLimitOverridesProbe,
  synapseLogProbe,
  databaseProbe,
  ldapConfigProbe,
  ldapProbe,
  ...turnProbes,
  ...jitsiProbes,
] as ProbeDefinition[];

export function probeRegistry(extra: ProbeDefinition[] = []): Map<string, ProbeDefinition> {
  const map = new Map<string, ProbeDefinition>();
  for (const p of [...builtinProbes, ...extra]) {
    if (map.has(p.id)) throw new Error(`two probes share the id '${p.id}'`);
    map.set(p.id, p);
  }
  return map;
}
