// Runs checks, and the real probes they need, through the engine as `check` does: the inputs built from
// flags, the network client built from those inputs (trusting the test CA), a fresh redactor. For tests
// of probes against servers on loopback.

import { buildInputs, type RawInputs } from '../../src/engine/inputs.js';
import { runEngine } from '../../src/engine/run.js';
import type { CheckDefinition } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import { parseAllowTargets } from '../../src/net/targets.js';
import { probeRegistry } from '../../src/probes/index.js';
import { Redactor } from '../../src/report/redact.js';
import { LOOPBACK } from './cli.js';
import { testCerts } from './tls.js';

/** `check` with these flags, for `checks` only; `testCa: false` leaves the test CA out of the trust store. */
export function runChecks(checks: CheckDefinition[], flags: RawInputs, opts: { testCa?: boolean } = {}) {
  const inputs = buildInputs(flags, {}, undefined, {});
  const net = new NetClient({
    resolve: inputs.resolve,
    connectTo: inputs.connectTo,
    dnsServer: inputs.dnsServer,
    ...(opts.testCa === false ? {} : { extraCa: testCerts().ca.cert }),
    // Loopback unless the test says otherwise: a forgotten redirect is refused, never sent.
    allowTargets: inputs.allowTargets ?? parseAllowTargets(LOOPBACK),
  });
  return runEngine(checks, probeRegistry(), { inputs, net, redactor: new Redactor() });
}
