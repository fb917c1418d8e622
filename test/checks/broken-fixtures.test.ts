// The seed deployment (fixtures/seed) and its broken variants (fixtures/broken/<name>): each profile's
// files, read from disk, judged by homeserver-config and element-config, must give exactly the findings
// we know are there. Once with artifacts built from the files, once through the real probes (offline).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import elementCheck from '../../checks/element-config/index.js';
import homeserverCheck from '../../checks/homeserver-config/index.js';
import { buildInputs, readProfile } from '../../src/engine/inputs.js';
import { runEngine } from '../../src/engine/run.js';
import type { CheckResult, Edit, Finding } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { probeRegistry } from '../../src/probes/index.js';
import { Redactor } from '../../src/report/redact.js';
import { codes, elementArtifact, homeserverArtifact, jitsiArtifact, judge, nginxArtifact } from '../helpers/judge.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const profileOf = (name: string) => path.join(FIXTURES, name, 'matrixdoc.yaml');

interface Deployment {
  probes: Record<string, unknown>;
  homeserverFile: string;
  homeserverText: string;
  elementFile: string;
  nginxFiles: string[];
}

/** Reads a profile's files the way the CLI finds them (paths relative to the profile) and builds artifacts. */
function load(profile: string): Deployment {
  const raw = readProfile(profile);
  const read = (file: string) => readFileSync(file, 'utf8');
  const homeserverFile = (raw['homeserver-config'] ?? [])[0];
  const elementFile = raw['element-config'] as string;
  const envFile = raw['jitsi-env'] as string;
  const nginxFiles = (raw['nginx-config'] ?? []).flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .sort()
          .map((f) => path.join(p, f))
      : [p],
  );
  const homeserverText = read(homeserverFile);
  return {
    probes: {
      homeserverConfig: homeserverArtifact(homeserverText, homeserverFile),
      elementConfig: elementArtifact(read(elementFile), elementFile),
      jitsiEnv: jitsiArtifact(read(envFile), envFile),
      nginxConfig: nginxArtifact(Object.fromEntries(nginxFiles.map((f) => [f, read(f)]))),
      target: { serverName: raw['server-name'] },
    },
    homeserverFile,
    homeserverText,
    elementFile,
    nginxFiles,
  };
}

async function judgeBoth(d: Deployment): Promise<{ hs: CheckResult; el: CheckResult }> {
  return { hs: await judge(homeserverCheck, d.probes), el: await judge(elementCheck, d.probes) };
}

/** Both checks through the real engine and the real file probes, offline, from the profile alone. */
async function runProfile(profile: string): Promise<{ hs: CheckResult; el: CheckResult }> {
  const inputs = buildInputs({ offline: true }, readProfile(profile), profile, {});
  const out = await runEngine([homeserverCheck, elementCheck], probeRegistry(), {
    inputs,
    net: new NetClient({ resolve: [], connectTo: [], allowTargets: [] }),
    redactor: new Redactor(),
  });
  const [hs, el] = out.checks;
  return { hs, el };
}

const where = (f: Finding) => [path.basename(f.location?.file ?? ''), f.location?.line, f.location?.column];

/** What the seed files really contain: two deprecated rate-limit keys, an ignored settingDefaults and its bad language. */
function assertSeedHomeserver(hs: CheckResult, lines = [42, 43]) {
  const deprecated = hs.findings.filter((f) => f.code === 'MXD-HS-007');
  assert.deepEqual(
    deprecated.map((f) => [f.messageId, f.data.key, f.location?.line, f.location?.column]),
    [
      ['deprecated', 'rc_messages_per_second', lines[0], 1],
      ['deprecated', 'rc_message_burst_count', lines[1], 1],
    ],
  );
  assert.deepEqual(
    deprecated.map((f) => f.evidence),
    [{ rc_messages_per_second: 200000 }, { rc_message_burst_count: 100000 }],
  );
  assert.deepEqual(
    deprecated.map((f) => f.fix?.edits.map((e) => [e.kind, 'path' in e ? e.path.join('.') : ''])),
    [
      [
        ['yaml-set', 'rc_message.per_second'],
        ['yaml-delete', 'rc_messages_per_second'],
      ],
      [
        ['yaml-set', 'rc_message.burst_count'],
        ['yaml-delete', 'rc_message_burst_count'],
      ],
    ],
  );
}

function assertSeedElement(el: CheckResult, elementFile: string) {
  const file = path.basename(elementFile);
  const shadowed = el.findings.find((f) => f.code === 'MXD-EL-009');
  assert.ok(shadowed);
  assert.equal(shadowed.messageId, 'shadowed');
  assert.deepEqual(shadowed.data, { camel: 'settingDefaults', snake: 'setting_defaults', lost: 'language: "zh_Hans"' });
  assert.deepEqual(where(shadowed), [file, 34, 2]);
  const language = el.findings.find((f) => f.code === 'MXD-EL-012');
  assert.ok(language);
  assert.deepEqual(language.data, { key: 'settingDefaults.language', value: 'zh_Hans', suggestion: 'zh-hans' });
  assert.deepEqual(where(language), [file, 35, 15]);
  assert.equal(language.fix?.summary, "Use 'zh-hans' under setting_defaults (the settingDefaults block is ignored).");
}

const SEED_HS = ['MXD-HS-007:deprecated', 'MXD-HS-007:deprecated'];
const SEED_EL = ['MXD-EL-009:shadowed', 'MXD-EL-012:unknown'];

function applyTextEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => (b as { start: number }).start - (a as { start: number }).start)) {
    if (e.kind === 'text') out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

describe('seed deployment (fixtures/seed)', () => {
  const seed = load(profileOf('seed'));

  test('homeserver.yaml: MXD-HS-007 twice (lines 42 and 43), nothing else', async () => {
    const { hs } = await judgeBoth(seed);
    assert.equal(hs.status, 'warn');
    assert.deepEqual(codes(hs), SEED_HS);
    assertSeedHomeserver(hs);
  });

  test('config.json: MXD-EL-009 shadowed and MXD-EL-012 zh_Hans, nothing else', async () => {
    const { el } = await judgeBoth(seed);
    assert.equal(el.status, 'warn');
    assert.deepEqual(codes(el), SEED_EL);
    assertSeedElement(el, seed.elementFile);
  });

  test('what agrees: Element base_url = public_baseurl = nginx client well-known; jitsi domain = PUBLIC_URL', async () => {
    const value = (seed.probes.elementConfig as ReturnType<typeof elementArtifact>).parsed.value as {
      default_server_config: { 'm.homeserver': { base_url: string } };
    };
    assert.equal(value.default_server_config['m.homeserver'].base_url, 'https://matrix.xfoss.com');
    assert.deepEqual(
      seed.nginxFiles.map((f) => path.basename(f)),
      ['matrix.conf', 'xfoss-com.conf'],
    );
  });

  test('the real probes read the profile the same way', async () => {
    const { hs, el } = await runProfile(profileOf('seed'));
    assert.deepEqual(codes(hs), SEED_HS);
    assert.deepEqual(codes(el), SEED_EL);
    assert.equal(hs.findings[0].location?.file, path.join(FIXTURES, 'seed/synapse/homeserver.yaml'));
  });
});

describe('broken/tab-indent: a tab-indented line under listeners', () => {
  const d = load(profileOf('broken/tab-indent'));

  test('homeserver.yaml: one MXD-HS-001 on line 18, and the keys are not judged', async () => {
    const { hs } = await judgeBoth(d);
    assert.equal(hs.status, 'fail');
    assert.deepEqual(codes(hs), ['MXD-HS-001:tabIndent']);
    const f = hs.findings[0];
    assert.deepEqual(f.data, { line: 18, column: 1 });
    assert.deepEqual(where(f), ['homeserver.yaml', 18, 1]);
    assert.deepEqual(f.evidence, { line: '→→type: http', tabColumns: [1, 2] });
    assert.equal(f.fix?.steps[0], `sed -i '18s/\\t/  /g' ${d.homeserverFile}`);
  });

  test('the fix turns the file back into the seed', async () => {
    const { hs } = await judgeBoth(d);
    const fixed = applyTextEdits(d.homeserverText, hs.findings[0].fix?.edits ?? []);
    assert.equal(fixed, readFileSync(path.join(FIXTURES, 'seed/synapse/homeserver.yaml'), 'utf8'));
    assert.deepEqual(parseYaml(fixed).problems, []);
  });

  test('config.json: the seed findings only', async () => {
    const { el } = await judgeBoth(d);
    assert.deepEqual(codes(el), SEED_EL);
  });

  test('the real probes agree', async () => {
    const { hs, el } = await runProfile(profileOf('broken/tab-indent'));
    assert.deepEqual(codes(hs), ['MXD-HS-001:tabIndent']);
    assert.deepEqual(codes(el), SEED_EL);
  });
});

describe('broken/mismatched-base-url: Element points at the server name, not the client host', () => {
  const d = load(profileOf('broken/mismatched-base-url'));
  const expectedEl = ['MXD-EL-006:mismatch', 'MXD-EL-007:mismatch', ...SEED_EL];

  test('config.json: MXD-EL-006 and MXD-EL-007 on top of the seed findings', async () => {
    const { el } = await judgeBoth(d);
    assert.equal(el.status, 'fail');
    assert.deepEqual(codes(el), expectedEl);
    const [publicBaseurl, wellKnown] = el.findings;
    assert.deepEqual(publicBaseurl.data, { element: 'https://xfoss.com', publicBaseurl: 'https://matrix.xfoss.com:443' });
    assert.deepEqual(where(publicBaseurl), ['config.json', 4, 25]);
    assert.deepEqual(publicBaseurl.fix?.edits, [
      {
        kind: 'yaml-set',
        file: d.homeserverFile,
        path: ['public_baseurl'],
        value: 'https://xfoss.com/',
        expectSha256: homeserverArtifact(d.homeserverText).sha256,
      },
    ]);
    const nginxFile = d.nginxFiles.find((f) => f.endsWith('xfoss-com.conf'));
    assert.deepEqual(wellKnown.data, { element: 'https://xfoss.com', host: 'xfoss.com', where: `${nginxFile}:13:5`, wellKnown: 'https://matrix.xfoss.com' });
    assert.deepEqual(where(wellKnown), ['config.json', 4, 25]);
    assertSeedElement(el, d.elementFile);
  });

  test('homeserver.yaml: the seed findings only', async () => {
    const { hs } = await judgeBoth(d);
    assert.deepEqual(codes(hs), SEED_HS);
    assertSeedHomeserver(hs);
  });

  test('the real probes agree', async () => {
    const { hs, el } = await runProfile(profileOf('broken/mismatched-base-url'));
    assert.deepEqual(codes(hs), SEED_HS);
    assert.deepEqual(codes(el), expectedEl);
  });
});

describe('broken/bad-json: a trailing comma in config.json', () => {
  const d = load(profileOf('broken/bad-json'));

  test('config.json: one MXD-EL-001 with the position of the closing brace', async () => {
    const { el } = await judgeBoth(d);
    assert.equal(el.status, 'fail');
    assert.deepEqual(codes(el), ['MXD-EL-001:syntax']);
    const f = el.findings[0];
    assert.deepEqual(f.data, { detail: 'trailing comma before }' });
    assert.deepEqual(where(f), ['config.json', 44, 1]);
    assert.equal(f.fix?.summary, 'Correct the JSON at line 44, column 1.');
  });

  test('homeserver.yaml: the seed findings only', async () => {
    const { hs } = await judgeBoth(d);
    assert.deepEqual(codes(hs), SEED_HS);
  });

  test('the real probes agree', async () => {
    const { hs, el } = await runProfile(profileOf('broken/bad-json'));
    assert.deepEqual(codes(hs), SEED_HS);
    assert.deepEqual(codes(el), ['MXD-EL-001:syntax']);
  });
});

describe('broken/missing-required: no server_name, no report_stats', () => {
  const d = load(profileOf('broken/missing-required'));
  const expectedHs = ['MXD-HS-005:missing', 'MXD-HS-006:missing', ...SEED_HS];

  test('homeserver.yaml: MXD-HS-005 and MXD-HS-006 on top of the seed findings', async () => {
    const { hs } = await judgeBoth(d);
    assert.equal(hs.status, 'fail');
    assert.deepEqual(codes(hs), expectedHs);
    const [serverName, reportStats] = hs.findings;
    assert.deepEqual(serverName.location, { file: d.homeserverFile });
    assert.equal(serverName.severity, 'error');
    assert.deepEqual(
      reportStats.fix?.edits.map((e) => [e.kind, 'path' in e ? e.path : undefined, 'value' in e ? e.value : undefined]),
      [['yaml-set', ['report_stats'], false]],
    );
    // Two lines fewer above them than in the seed.
    assertSeedHomeserver(hs, [40, 41]);
  });

  test("config.json: the seed findings only (Element's server_name is checked against --server-name)", async () => {
    const { el } = await judgeBoth(d);
    assert.deepEqual(codes(el), SEED_EL);
  });

  test('the real probes agree', async () => {
    const { hs, el } = await runProfile(profileOf('broken/missing-required'));
    assert.deepEqual(codes(hs), expectedHs);
    assert.deepEqual(codes(el), SEED_EL);
  });
});
