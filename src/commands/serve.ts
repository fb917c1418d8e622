import http from 'node:http';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { isMap, isScalar, parseDocument } from 'yaml';
import { BaseCommand } from '../cli/base-command.js';
import { executeRun, type PrepareFlags, prepareRun } from '../cli/run-checks.js';
import { targetFlags } from '../cli/target-flags.js';
import { InputError } from '../engine/errors.js';
import { decodeText, parseHostPort } from '../engine/inputs.js';
import { fsReason, readRegularFileSync } from '../probes/files.js';
import { promLabel, renderPrometheus } from '../report/formats.js';
import { Redactor } from '../report/redact.js';
import { buildReport } from '../report/report.js';

/** Server names only (hostname[:port]): the exporter never takes URLs or paths from a query string. */
const SERVER_NAME = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,255})(:\d{1,5})?$/;

interface ExporterStats {
  started: number;
  probes: Record<'success' | 'failure' | 'rejected', number>;
  inFlight: number;
  queued: number;
}

/** targets: { name: { profile: path } } from the exporter's config file (paths relative to it). */
export function readServeConfig(file: string): Map<string, string> {
  let text: string;
  try {
    text = decodeText(readRegularFileSync(file, 1024 * 1024), 'the exporter config');
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message, { file });
    throw new InputError(`cannot read the exporter config: ${fsReason(error as NodeJS.ErrnoException, 1024 * 1024)}`, { file });
  }
  const doc = parseDocument(text);
  if (doc.errors.length) throw new InputError(doc.errors[0].message.split('\n')[0], { file });
  const targets = new Map<string, string>();
  const root = doc.contents;
  const list = isMap(root) ? root.get('targets', true) : undefined;
  if (!isMap(list)) throw new InputError('the exporter config needs `targets:` mapping names to `{profile: path}`', { file });
  for (const pair of list.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const profile = isMap(pair.value) ? pair.value.get('profile') : undefined;
    if (!name || typeof profile !== 'string') throw new InputError(`target '${name}' needs a profile path`, { file });
    targets.set(name, path.resolve(path.dirname(file), profile));
  }
  return targets;
}

export default class Serve extends BaseCommand {
  static override summary = 'A Prometheus exporter (blackbox_exporter style): /probe?target=… runs the checks and returns metrics.';

  static override description = `Prometheus schedules and spreads the probes; each scrape of /probe?target=NAME runs matrixdoc's checks for
that target and answers in the text exposition format (matrixdoc_check_status, matrixdoc_findings, ...,
matrixdoc_probe_success). NAME is a target from --config (each with its own profile) or, unless
--only-configured, a Matrix server name checked with the network flags given here. /metrics describes the
exporter itself. See docs/monitoring.md for a scrape config and alerting rules.`;

  static override examples = [
    '<%= config.bin %> serve --listen 127.0.0.1:9907 --config /etc/matrixdoc/exporter.yaml',
    'curl "http://127.0.0.1:9907/probe?target=xfoss"',
  ];

  static override flags = {
    ...targetFlags,
    listen: Flags.string({ description: 'host:port to listen on.', default: '127.0.0.1:9907' }),
    config: Flags.string({ description: 'Exporter config: `targets: {name: {profile: path}}`.' }),
    'only-configured': Flags.boolean({ description: 'Refuse targets that are not in --config (default when --config is given).', allowNo: true }),
    'max-concurrent': Flags.integer({ description: 'How many targets may be checked at once; more wait.', default: 4, min: 1, max: 64 }),
    'max-queue': Flags.integer({ description: 'How many scrapes may wait; more get HTTP 503.', default: 64, min: 0 }),
    only: Flags.string({ description: 'Only these check ids (comma-separated or repeated).', multiple: true }),
    skip: Flags.string({ description: 'Skip these check ids (comma-separated or repeated).', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const { host, port } = parseHostPort(flags.listen, 9907, '--listen');
    const configured = flags.config ? readServeConfig(flags.config) : new Map<string, string>();
    const onlyConfigured = flags['only-configured'] ?? Boolean(flags.config);
    // The network flags given to serve apply to every target; a target's own profile adds its files.
    const { profile: _ignored, ...network } = flags;
    const stats: ExporterStats = { started: Date.now() / 1000, probes: { success: 0, failure: 0, rejected: 0 }, inFlight: 0, queued: 0 };
    const waiting: (() => void)[] = [];
    const acquire = async () => {
      if (stats.inFlight < flags['max-concurrent']) {
        stats.inFlight++;
        return;
      }
      stats.queued++;
      await new Promise<void>((resolve) => waiting.push(resolve));
      stats.queued--;
      stats.inFlight++;
    };
    const release = () => {
      stats.inFlight--;
      waiting.shift()?.();
    };

    const probe = async (target: string): Promise<{ status: number; body: string }> => {
      const profile = configured.get(target);
      if (!profile && (onlyConfigured || !SERVER_NAME.test(target))) {
        stats.probes.rejected++;
        return { status: 400, body: `unknown target '${target.slice(0, 100)}'${onlyConfigured ? ' (only targets from --config are allowed)' : ''}\n` };
      }
      if (stats.queued >= flags['max-queue'] && stats.inFlight >= flags['max-concurrent']) {
        stats.probes.rejected++;
        return { status: 503, body: 'too many scrapes waiting\n' };
      }
      await acquire();
      const t0 = performance.now();
      const redactor = new Redactor();
      try {
        const runFlags: PrepareFlags = profile ? { ...network, profile } : { ...network, 'server-name': target };
        const prep = await prepareRun(this.config, runFlags);
        const output = await executeRun(prep, { redactor, progress: false });
        const report = redactor.value(
          buildReport({ version: this.config.version, startedAt: new Date(), durationMs: performance.now() - t0, inputs: prep.inputs, output }),
        );
        const ok = report.summary.error === 0;
        stats.probes[ok ? 'success' : 'failure']++;
        const labels = { target };
        const tail = [
          '# HELP matrixdoc_probe_success 1 when every check could run (whatever it found).',
          '# TYPE matrixdoc_probe_success gauge',
          `matrixdoc_probe_success{target="${promLabel(target)}"} ${ok ? 1 : 0}`,
          '# HELP matrixdoc_probe_duration_seconds How long this probe took.',
          '# TYPE matrixdoc_probe_duration_seconds gauge',
          `matrixdoc_probe_duration_seconds{target="${promLabel(target)}"} ${((performance.now() - t0) / 1000).toFixed(3)}`,
        ].join('\n');
        return { status: 200, body: redactor.text(`${renderPrometheus(report, { labels })}${tail}\n`) };
      } catch (error) {
        stats.probes.failure++;
        const message = error instanceof InputError ? error.oneLine() : (error as Error).message;
        return {
          status: 200,
          body: redactor.text(`# probe failed: ${message.replace(/\n/g, ' ')}\nmatrixdoc_probe_success{target="${promLabel(target)}"} 0\n`),
        };
      } finally {
        release();
      }
    };

    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://exporter');
      const send = (status: number, body: string, type = 'text/plain; version=0.0.4; charset=utf-8') => {
        res.writeHead(status, { 'Content-Type': type });
        res.end(body);
      };
      if (req.method !== 'GET') return send(405, 'GET only\n');
      if (url.pathname === '/probe') {
        const target = url.searchParams.get('target');
        if (!target) return send(400, 'missing ?target=\n');
        probe(target).then(
          (r) => send(r.status, r.body),
          (e: Error) => send(500, `${e.message}\n`),
        );
        return;
      }
      if (url.pathname === '/metrics') {
        const lines = [
          '# HELP matrixdoc_exporter_probes_total Probes served, by result.',
          '# TYPE matrixdoc_exporter_probes_total counter',
          ...Object.entries(stats.probes).map(([k, v]) => `matrixdoc_exporter_probes_total{result="${k}"} ${v}`),
          '# HELP matrixdoc_exporter_probes_in_flight Probes running now.',
          '# TYPE matrixdoc_exporter_probes_in_flight gauge',
          `matrixdoc_exporter_probes_in_flight ${stats.inFlight}`,
          '# HELP matrixdoc_exporter_probes_queued Probes waiting for a slot.',
          '# TYPE matrixdoc_exporter_probes_queued gauge',
          `matrixdoc_exporter_probes_queued ${stats.queued}`,
          '# HELP matrixdoc_exporter_start_time_seconds When the exporter started.',
          '# TYPE matrixdoc_exporter_start_time_seconds gauge',
          `matrixdoc_exporter_start_time_seconds ${stats.started.toFixed(3)}`,
          '# HELP matrixdoc_exporter_build_info matrixdoc version.',
          '# TYPE matrixdoc_exporter_build_info gauge',
          `matrixdoc_exporter_build_info{version="${this.config.version}"} 1`,
        ];
        return send(200, `${lines.join('\n')}\n`);
      }
      if (url.pathname === '/') {
        const names = [...configured.keys()].map((n) => `<li><a href="/probe?target=${encodeURIComponent(n)}">${n.replace(/[<>&"]/g, '')}</a></li>`).join('');
        return send(
          200,
          `<html><head><title>matrixdoc exporter</title></head><body><h1>matrixdoc exporter</h1><p><a href="/metrics">/metrics</a></p><ul>${names}</ul></body></html>\n`,
          'text/html; charset=utf-8',
        );
      }
      send(404, 'not found\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new InputError(`--listen ${flags.listen}: ${e.code === 'EADDRINUSE' ? 'the address is in use' : e.message}`)),
      );
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    this.log(`matrixdoc exporter listening on http://${typeof address === 'object' && address ? `${address.address}:${address.port}` : flags.listen}/`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }
}
