// Benchmarks: scripts that print figures (not timed tests). Run with
//   node --import tsx test/bench/bench.ts [cold|live|dead|fleet ...]
// after `npm run build`. Everything runs on loopback: every server is a harness server on 127.0.0.1,
// every `check` run gets --allow-targets 127.0.0.0/8,::1 (and MATRIXDOC_ALLOW_TARGETS), and names are
// answered by loopback dns2 servers. docs/performance.md publishes the results.

import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/engine/types.js';
import { startCoturn } from '../harness/coturn.js';
import { startDeployment } from '../harness/deployment.js';
import { JITSI_HOST, startJitsi } from '../harness/jitsi.js';
import { startPostgres } from '../harness/postgres.js';
import { freePort } from '../harness/processes.js';
import { startSlapd } from '../harness/slapd.js';
import { BIN as BUILT_BIN, LOOPBACK, SEED } from '../helpers/cli.js';
import { startDnsServer } from '../helpers/servers.js';

/**
 * bin/run.js of this checkout, or MATRIXDOC_BENCH_BIN: the bin/run.js of a copy of the build (bin, dist,
 * package.json, oclif.manifest.json, node_modules linked), so that nobody rebuilding dist/ meanwhile
 * changes the program under measurement.
 */
const BIN = process.env.MATRIXDOC_BENCH_BIN ?? BUILT_BIN;
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', MATRIXDOC_ALLOW_TARGETS: LOOPBACK, NO_COLOR: '1' };
/** On every `check` run, whatever the environment says. */
const ALLOW = ['--allow-targets', '127.0.0.0/8,::1'];

interface Timed {
  ms: number;
  maxRssKb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time to get its wall time and peak RSS. */
function timed(cmd: string, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stderr.trim().split('\n');
      const rss = Number(lines.pop());
      resolve({ ms: performance.now() - t0, maxRssKb: rss, code, stdout, stderr: lines.join('\n') });
    });
  });
}

/** The report of a `check --json` run, or an error showing what the run printed instead. */
function reportOf(r: Timed): Report {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');

/** Load average now (1, 5, 15 minutes), as `uptime` prints it. */
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function repeat(n: number, cmd: string, args: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await timed(cmd, args)).ms);
  return times;
}

async function cold(): Promise<void> {
  const n = 11;
  const base = await repeat(n, process.execPath, ['-e', '0']);
  const version = await repeat(n, process.execPath, [BIN, '--version']);
  const offline = await repeat(n, process.execPath, [BIN, 'check', '--offline', '--profile', path.join(SEED, 'matrixdoc.yaml'), ...ALLOW, '--format', 'json']);
  const [b, v, o] = [median(base), median(version), median(offline)];
  console.log(`cold start (median of ${n}; load average ${load()}):`);
  console.log(`  node -e 0                          ${fmt(b)}   [${list(base)}]`);
  console.log(`  matrixdoc --version                ${fmt(v)}  (${(v / b).toFixed(2)}x node)   target: <= 3x node   [${list(version)}]`);
  console.log(`  matrixdoc check --offline (seed)   ${fmt(o)}  (${(o / b).toFixed(2)}x node)   target: < 1000 ms   [${list(offline)}]`);
}

// --- live: the seed deployment with every one of its servers real, on loopback ----------------------------

/** What the docker-jitsi-meet harness is given: the passwords the seed leaves empty, and no guest settings without auth. */
const JITSI_ENV = {
  JICOFO_AUTH_PASSWORD: 'bench-jicofo-pw',
  JVB_AUTH_PASSWORD: 'bench-jvb-pw',
  JIGASI_XMPP_PASSWORD: 'bench-a',
  JIGASI_TRANSCRIBER_PASSWORD: 'bench-b',
  JIBRI_RECORDER_PASSWORD: 'bench-c',
  JIBRI_XMPP_PASSWORD: 'bench-d',
  ENABLE_GUESTS: undefined,
  AUTH_TYPE: undefined,
};

/**
 * The seed's homeserver.yaml made to match the harness servers it is sent to: the PostgreSQL cluster's
 * role password and C-collated database, and slapd's service account. Everything else (names, ports,
 * turn_uris, the LDAP URI) stays as the seed has it, and reaches loopback through --connect-to.
 */
function healthyHomeserver(text: string): string {
  const replace = (from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`the seed's homeserver.yaml has no ${from}`);
    text = text.replace(from, to);
  };
  replace(/(database:[\s\S]*?password: )"some_secret"/, '$1"synapsepw"');
  replace(/dbname: "synapse_db"/, 'dbname: "synapse_good"');
  replace(/bind_dn: "cn=admin,cn=Users,dc=xfoss,dc=com"/, 'bind_dn: "cn=svc-matrix,dc=xfoss,dc=com"');
  replace(/(bind_dn: [^\n]*\n\s*bind_password: )"some_secret"/, '$1"svcpw"');
  return text;
}

interface LiveRun {
  wall: number;
  process: number;
  sum: number;
  max: number;
  slowest: string;
  probes: Record<string, { status: string; ms: number }>;
  checks: Record<string, string>;
  /** Each check's findings other than info, as code:messageId. */
  findings: Record<string, string[]>;
  errors: string[];
}

/** One warm-up run and `n` measured runs of `check ...flags`; prints check statuses, probe times and the figures. */
async function measureLive(title: string, flags: string[], before: () => void, n = 5): Promise<void> {
  console.log(`${title}:`);
  console.log(`  node bin/run.js check ${flags.map((f) => (/[ @]/.test(f) ? `'${f}'` : f)).join(' ')}`);
  const runOnce = async (): Promise<LiveRun> => {
    before();
    const r = await timed(process.execPath, [BIN, 'check', ...flags]);
    const report = reportOf(r);
    const probes = report.probes.filter((p) => p.status !== 'skipped');
    const slowest = probes.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    return {
      wall: report.durationMs,
      process: r.ms,
      sum: probes.reduce((a, p) => a + p.durationMs, 0),
      max: slowest.durationMs,
      slowest: slowest.id,
      probes: Object.fromEntries(report.probes.map((p) => [p.id, { status: p.status, ms: p.durationMs }])),
      checks: Object.fromEntries(report.checks.map((c) => [c.id, c.status])),
      findings: Object.fromEntries(report.checks.map((c) => [c.id, c.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code}:${f.messageId}`)])),
      errors: report.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.reason ?? ''}`),
    };
  };
  const warm = await runOnce();
  const runs: LiveRun[] = [];
  for (let i = 0; i < n; i++) runs.push(await runOnce());

  console.log(`  checks (${Object.keys(warm.checks).length}), status in the warm-up run and the ${n} measured runs:`);
  for (const id of Object.keys(warm.checks))
    console.log(`    ${id.padEnd(18)} ${[warm, ...runs].map((r) => r.checks[id]).join(' ')}   ${[...new Set(runs.flatMap((r) => r.findings[id]))].join(' ')}`);
  const errors = [...new Set([warm, ...runs].flatMap((r) => r.errors))];
  console.log(errors.length ? `  checks in error:\n${errors.map((e) => `    ${e}`).join('\n')}` : '  no check in error');
  console.log(`  probes (status in the ${n} runs; median own time):`);
  for (const id of Object.keys(warm.probes)) {
    const statuses = [...new Set(runs.map((r) => r.probes[id]?.status))].join('/');
    console.log(`    ${id.padEnd(18)} ${statuses.padEnd(8)} ${fmt(median(runs.map((r) => r.probes[id]?.ms ?? 0))).padStart(8)}`);
  }
  const wall = median(runs.map((x) => x.wall));
  const sum = median(runs.map((x) => x.sum));
  const max = median(runs.map((x) => x.max));
  const proc = median(runs.map((x) => x.process));
  console.log(`  median of ${n} after one warm-up run (times inside the run unless said):`);
  console.log(`  wall time of the run   ${fmt(wall)}   [${list(runs.map((x) => x.wall))}]; with process start ${fmt(proc)}`);
  console.log(`  sum of probe times     ${fmt(sum)}   [${list(runs.map((x) => x.sum))}]   concurrency gain ${(sum / wall).toFixed(2)}x`);
  console.log(
    `  slowest probe          ${fmt(max)}   [${runs.map((x) => `${x.slowest} ${x.max.toFixed(0)}`).join(', ')}]   wall/slowest ${(wall / max).toFixed(2)}x (median of the per-run ratios ${median(runs.map((x) => x.wall / x.max)).toFixed(2)}x)   target: <= 1.5x`,
  );
  console.log(`  load average after: ${load()}`);
}

async function live(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  try {
    // The seed's turn_shared_secret, so that coturn accepts what matrixdoc derives from homeserver.yaml.
    const started = await Promise.allSettled([startPostgres(), startSlapd(), startCoturn({ secret: 'some_pre-shared_key' })] as const);
    for (const s of started) if (s.status === 'fulfilled') stops.push(s.value.stop);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [pg, ldap, turn] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
      Awaited<ReturnType<typeof startPostgres>>,
      Awaited<ReturnType<typeof startSlapd>>,
      Awaited<ReturnType<typeof startCoturn>>,
    ];
    const d = await startDeployment({ mutate: { 'synapse/homeserver.yaml': healthyHomeserver } });
    stops.push(d.stop);
    const j = await startJitsi({ env: JITSI_ENV });
    stops.push(j.stop);

    // One DNS server (the deployment's: xfoss.com, matrix.xfoss.com, meet.xfoss.com -> 127.0.0.1), one CA
    // (both harnesses use the same test CA); meet.xfoss.com's ports go to the Jitsi harness's nginx.
    const connectTo = (flags: string[]) => flags.flatMap((f, i) => (flags[i - 1] === '--connect-to' ? [f] : []));
    const flagValue = (flags: string[], name: string) => flags[flags.indexOf(name) + 1];
    const flags = [
      '--profile',
      d.files.profile,
      '--jitsi-env',
      flagValue(j.flags, '--jitsi-env'),
      ...connectTo(d.flags)
        .filter((c) => !c.startsWith(`${JITSI_HOST}:`))
        .flatMap((c) => ['--connect-to', c]),
      ...connectTo(j.flags).flatMap((c) => ['--connect-to', c]),
      // Synapse's `host: localhost` (port 5432), the seed's LDAP address literal, its turn: URI (3478/udp).
      '--connect-to',
      `localhost:5432:127.0.0.1:${pg.port}`,
      '--connect-to',
      `10.11.2.12:389:127.0.0.1:${ldap.port}`,
      '--connect-to',
      `matrix.xfoss.com:3478:127.0.0.1:${turn.port}`,
      '--dns-server',
      `127.0.0.1:${d.ports.dns}`,
      '--ca-file',
      flagValue(d.flags, '--ca-file'),
      ...ALLOW,
      '--json',
    ];
    console.log(`live: the seed deployment on loopback (load average ${load()}):`);
    console.log(
      `  nginx https :${d.ports.https} federation :${d.ports.federation}, test homeserver :${d.ports.homeserver}, dns2 :${d.ports.dns}; ` +
        `PostgreSQL :${pg.port}, slapd :${ldap.port}, coturn :${turn.port}, Jitsi nginx :${j.ports.https} -> prosody :${j.ports.prosody}`,
    );

    // The opt-in probes: a test account's login (public-baseurl), --probe-login, the admin API's
    // overrides and Synapse's log (rate-limits), /voip/turnServer with a user's token and coturn's
    // config (turn), an LDAP login (ldap). The test homeserver hands out the seed's TURN settings.
    Object.assign(d.homeserver.options, {
      turnUris: ['turn:matrix.xfoss.com?transport=udp'],
      turnSharedSecret: 'some_pre-shared_key',
      adminToken: 'bench-admin-token',
    });
    const userToken = `syt_${Buffer.from('alice').toString('base64url')}_benchbenchbench0`;
    d.homeserver.liveTokens.add(userToken);
    const coturnConfig = path.join(d.dir, 'turnserver.conf');
    writeFileSync(coturnConfig, turn.config);
    const optIn = [
      '--test-user',
      'alice',
      '--test-password',
      'correct horse battery staple',
      '--probe-login',
      '--admin-token',
      'bench-admin-token',
      '--rate-limit-users',
      '@alice:xfoss.com',
      '--synapse-log',
      path.join(d.dir, 'synapse/homeserver.log'),
      '--access-token',
      userToken,
      '--coturn-config',
      coturnConfig,
      '--ldap-test-user',
      'alice',
      '--ldap-test-password',
      'alicepw',
    ];
    await measureLive('full live check, all 12 checks (opt-in probes off, as `matrixdoc check` runs by default)', flags, () => d.restartHomeserver());
    await measureLive('full live check, all 12 checks with every opt-in probe', [...flags, ...optIn], () => {
      d.restartHomeserver(); // empties the login limiters, so that every --probe-login run starts alike
      d.homeserver.liveTokens.add(userToken);
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(`stopping a harness server: ${e}`));
  }
}

// --- dead: the seed deployment, every peer accepting and never answering ---------------------------------

/** Accepts TCP connections and never sends a byte; the same port on UDP swallows every datagram. */
async function startBlackHole(): Promise<{ port: number; connections: () => number; datagrams: () => number; close(): Promise<void> }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const sockets = new Set<net.Socket>();
    let connections = 0;
    let datagrams = 0;
    const server = net.createServer((s) => {
      connections++;
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    });
    const udp = dgram.createSocket('udp4');
    udp.on('message', () => {
      datagrams++;
    });
    try {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      udp.bind(port, '127.0.0.1');
      await once(udp, 'listening');
    } catch (error) {
      server.close();
      udp.close();
      if (attempt >= 5) throw error;
      continue;
    }
    return {
      port,
      connections: () => connections,
      datagrams: () => datagrams,
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((r) => server.close(() => r()));
        udp.close();
      },
    };
  }
}

/** Every name and port the seed deployment uses (test/hostile/dead-deployment.test.ts), and its LDAP address literal. */
const SEED_NAMES = ['xfoss.com', 'matrix.xfoss.com', 'meet.xfoss.com', 'turn.xfoss.com', 'localhost'];
const SEED_PORTS = [80, 443, 3478, 5349, 5432, 8443, 8448, 9080];

async function dead(): Promise<void> {
  const hole = await startBlackHole();
  const dns = await startDnsServer({}); // knows no name: NXDOMAIN for all
  try {
    const timeoutMs = 2000;
    const redirects: string[] = [];
    for (const name of SEED_NAMES) for (const port of SEED_PORTS) redirects.push('--connect-to', `${name}:${port}:127.0.0.1:${hole.port}`);
    redirects.push('--connect-to', `10.11.2.12:389:127.0.0.1:${hole.port}`);
    const flags = [
      '--profile',
      path.join(SEED, 'matrixdoc.yaml'),
      ...redirects,
      '--dns-server',
      `127.0.0.1:${dns.port}`,
      '--timeout',
      `${timeoutMs}ms`,
      ...ALLOW,
      '--json',
    ];
    console.log(`dead: the seed deployment, every peer silent (load average ${load()}):`);
    console.log(
      `  node bin/run.js check --profile fixtures/seed/matrixdoc.yaml --connect-to <name>:<port>:127.0.0.1:${hole.port} (x${redirects.length / 2}) --dns-server 127.0.0.1:${dns.port} --timeout ${timeoutMs}ms --allow-targets 127.0.0.0/8,::1 --json`,
    );
    const n = 5;
    const runs: { inside: number; process: number; code: number | null; report: Report }[] = [];
    for (let i = 0; i < n; i++) {
      const r = await timed(process.execPath, [BIN, 'check', ...flags]);
      runs.push({ inside: reportOf(r).durationMs, process: r.ms, code: r.code, report: reportOf(r) });
    }
    const last = runs[runs.length - 1].report;
    console.log(`  exit codes ${runs.map((r) => r.code).join(' ')}; silent server: ${hole.connections()} TCP connections, ${hole.datagrams()} UDP datagrams`);
    console.log('  checks of the last run:');
    for (const c of last.checks) console.log(`    ${c.id.padEnd(18)} ${c.status.padEnd(6)} ${c.status === 'error' ? (c.reason ?? '') : ''}`);
    console.log('  probes of the last run (own time):');
    for (const p of last.probes)
      console.log(`    ${p.id.padEnd(18)} ${p.status.padEnd(8)} ${fmt(p.durationMs).padStart(8)}  ${p.status === 'error' ? (p.error?.code ?? '') : ''}`);
    const inside = median(runs.map((r) => r.inside));
    const proc = median(runs.map((r) => r.process));
    const probeSum = last.probes.reduce((a, p) => a + p.durationMs, 0);
    console.log(`a dead deployment (accepts, never answers), --timeout ${timeoutMs} ms (median of ${n}):`);
    console.log(
      `  run ${fmt(inside)} inside [${list(runs.map((r) => r.inside))}] (${(inside / timeoutMs).toFixed(2)}x the timeout)   target: <= 1.1x; ` +
        `${fmt(proc)} with process start [${list(runs.map((r) => r.process))}] (${(proc / timeoutMs).toFixed(2)}x); sum of probe times ${fmt(probeSum)} (last run)`,
    );
    console.log(`  load average after: ${load()}`);
  } finally {
    await hole.close();
    await dns.close();
  }
}

async function fleet(): Promise<void> {
  const d = await startDeployment();
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-bench-'));
  try {
    const n = 200;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 10 === 9) {
        lines.push(`dead-${i}.xfoss.com`);
        continue;
      }
      const p = path.join(d.dir, `fleet-${i}.yaml`);
      copyFileSync(d.files.profile, p);
      lines.push(p);
    }
    const file = path.join(dir, 'targets.txt');
    writeFileSync(file, lines.join('\n'));
    const r = await timed(process.execPath, [BIN, 'check', '--targets', file, '--concurrency', '50', ...d.flags, '--format', 'json']);
    const rows = r.stdout.trim().split('\n').length;
    console.log(`fleet: ${n} targets on loopback (every 10th dead), --concurrency 50 (load average before ${load()}):`);
    console.log(
      `  ${rows} reports in ${fmt(r.ms)} (${((n / r.ms) * 1000).toFixed(1)} targets/s); peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB   targets: < 15 s, < 300 MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await d.stop();
  }
}

const all: Record<string, () => Promise<void>> = { cold, live, dead, fleet };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(all);
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? '?';
const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
console.log(
  `machine: nproc ${nproc}, ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB; node ${process.version}; ${spawnSync('uname', ['-sr'], { encoding: 'utf8' }).stdout.trim()}`,
);
console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
let failed = false;
for (const name of wanted) {
  if (!all[name]) throw new Error(`unknown benchmark ${name} (${Object.keys(all).join(', ')})`);
  try {
    await all[name]();
  } catch (error) {
    failed = true;
    console.error(`${name} failed: ${(error as Error).stack ?? error}`);
  }
}
process.exit(failed ? 1 : 0);
