// Runs one check on hand-made probe results, through the real engine (replay mode: no I/O), so tests
// see exactly what a user would: statuses, rendered messages, severities, docs links.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildInputs } from '../../src/engine/inputs.js';
import { runEngine } from '../../src/engine/run.js';
import type { CheckDefinition, CheckResult, Finding, ProbeResult } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import { parseDotenv } from '../../src/parse/dotenv.js';
import { parseJson } from '../../src/parse/json.js';
import { parseNginx } from '../../src/parse/nginx.js';
import { parseYaml } from '../../src/parse/yaml.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact, JitsiEnvArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import { probeRegistry } from '../../src/probes/index.js';
import { Redactor } from '../../src/report/redact.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The listeners of a usual Synapse behind nginx: 8008 for clients and federation (x_forwarded), 9000 metrics. */
export const SYNAPSE_LISTENERS = `listeners:
  - port: 8008
    tls: false
    type: http
    x_forwarded: true
    bind_addresses: ['::1', '127.0.0.1']
    resources:
      - names: [client, federation]
        compress: false
  - port: 9000
    type: metrics
    bind_addresses: ['127.0.0.1']
`;

export function homeserverArtifact(text: string, file = '/etc/matrix-synapse/homeserver.yaml'): HomeserverConfigArtifact {
  return { file, sha256: sha(text), size: text.length, parsed: parseYaml(text) };
}

export function elementArtifact(text: string, file = '/var/www/element/config.json'): ElementConfigArtifact {
  return { file, sha256: sha(text), size: text.length, parsed: parseJson(text) };
}

export function jitsiArtifact(text: string, file = '/root/docker-jitsi-meet/.env'): JitsiEnvArtifact {
  return { file, sha256: sha(text), size: text.length, parsed: parseDotenv(text) };
}

export function nginxArtifact(files: Record<string, string>): NginxConfigArtifact {
  return { files: Object.entries(files).map(([file, text]) => ({ file, sha256: sha(text), size: text.length, parsed: parseNginx(text, file) })) };
}

/**
 * Judges `check` on the given probe values. A plain value means the probe succeeded; pass a full
 * ProbeResult ({status: 'skipped' | 'error', ...}) to test how the check reacts to a missing input.
 * Probes not given count as skipped.
 */
export async function judge(check: CheckDefinition, probes: Record<string, unknown>, opts: { alsoRunning?: string[] } = {}): Promise<CheckResult> {
  const replay: Record<string, ProbeResult> = {};
  for (const [id, v] of Object.entries(probes)) {
    const isResult = typeof v === 'object' && v !== null && ['ok', 'skipped', 'error'].includes((v as ProbeResult).status) && 'durationMs' in v;
    replay[id] = isResult ? (v as ProbeResult) : { status: 'ok', value: v, durationMs: 0 };
  }
  const inputs = buildInputs({ offline: true }, {}, undefined, {});
  // Other checks "in the run" (they find nothing here): a check may leave a problem to one of them.
  const others = (opts.alsoRunning ?? []).map((id): CheckDefinition => ({ id, title: id, description: id, requires: [], codes: [], run: () => [] }));
  const out = await runEngine([check, ...others], probeRegistry(), {
    inputs,
    net: new NetClient({ resolve: [], connectTo: [], allowTargets: [] }),
    redactor: new Redactor(),
    replay,
  });
  return out.checks[0];
}

/** The codes (and messageIds) a result holds, for compact assertions. */
export function codes(result: CheckResult): string[] {
  return result.findings.map((f) => `${f.code}:${f.messageId}`);
}

/** The one finding with this code (and messageId); fails when there are none or several. */
export function one(result: CheckResult, code: string, messageId?: string): Finding {
  const found = result.findings.filter((f) => f.code === code && (messageId === undefined || f.messageId === messageId));
  assert.equal(found.length, 1, `expected one ${code}${messageId ? `:${messageId}` : ''}, got ${JSON.stringify(codes(result))}`);
  return found[0];
}

/** Records which `code:messageId` pairs a test file produced, to prove every one the check declares is covered. */
export class Coverage {
  private readonly seen = new Set<string>();
  constructor(private readonly check: CheckDefinition) {}

  record(result: CheckResult): CheckResult {
    for (const f of result.findings) this.seen.add(`${f.code}:${f.messageId}`);
    return result;
  }

  /** Declared pairs no test produced. */
  missing(): string[] {
    return this.check.codes.flatMap((c) => Object.keys(c.messages).map((m) => `${c.code}:${m}`)).filter((d) => !this.seen.has(d));
  }
}
