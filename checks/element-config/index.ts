// element-config: Element Web's config.json as Element reads it, and whether it agrees with the rest of
// the deployment (homeserver.yaml, the client well-known nginx serves, Jitsi's PUBLIC_URL) and, when the
// network is allowed, whether Element could reach the homeserver at all.

import { defineCheck } from '../../src/engine/define.js';
import type { FindingDraft } from '../../src/engine/types.js';
import type { ClientVersionsArtifact } from '../../src/probes/client-versions.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact, JitsiEnvArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import type { TargetArtifact } from '../../src/probes/target.js';
import type { WellKnownArtifact } from '../../src/probes/well-known.js';
import { JitsiSettings, publicUrlOf } from '../jitsi-websocket/jitsi-facts.js';
import { publicBaseurlFault } from '../public-baseurl/broken.js';
import { canonicalUrl, dig, isObject, locate, spanLocation, where } from '../shared/locate.js';
import { servedAt } from '../shared/nginx-wellknown.js';
import { CAMEL_TO_SNAKE, LANGUAGES, languageKey, NESTED_CAMEL, REMOVED_KEYS, SNAKE_WITH_DEFAULT } from './element-facts.js';

const HS = ['default_server_config', 'm.homeserver'] as const;

export default defineCheck({
  id: 'element-config',
  title: 'Element Web config.json',
  description: "Reads Element's config.json as Element does and compares it with homeserver.yaml, nginx's client well-known and Jitsi.",
  requires: ['elementConfig'],
  uses: ['homeserverConfig', 'nginxConfig', 'jitsiEnv', 'target', 'clientVersions', 'wellKnown'],
  codes: [
    {
      code: 'MXD-EL-001',
      severity: 'error',
      title: 'config.json is not valid JSON',
      messages: {
        syntax: 'config.json is not valid JSON: {{detail}}; Element shows "Your Element configuration contains invalid JSON" and does not start.',
        notObject: 'config.json must be a JSON object; Element cannot use it.',
      },
      fixes: {
        syntax: 'Correct the JSON at line {{line}}, column {{column}}.',
        notObject: 'config.json must start with { and hold Element settings.',
      },
    },
    {
      code: 'MXD-EL-002',
      severity: 'error',
      title: 'No default homeserver',
      messages: {
        none: 'config.json names no homeserver (default_server_config, default_server_name or default_hs_url); Element shows "Invalid configuration: no default server specified."',
      },
      fixes: { none: 'Add default_server_config with your homeserver URL.' },
    },
    {
      code: 'MXD-EL-003',
      severity: 'error',
      title: 'Conflicting homeserver settings',
      messages: {
        conflict:
          'default_hs_url can\'t be combined with {{other}}; Element refuses to start ("Invalid configuration: a default_hs_url can\'t be specified along with default_server_name or default_server_config").',
      },
      fixes: { conflict: 'Delete default_hs_url (and default_is_url); keep default_server_config.' },
    },
    {
      code: 'MXD-EL-004',
      severity: 'error',
      title: 'Homeserver base_url is missing or invalid',
      messages: {
        missing: 'default_server_config has no m.homeserver.base_url; Element reports "Invalid homeserver discovery response".',
        invalid: 'base_url \'{{value}}\' is not an absolute http(s) URL; Element reports "Invalid base_url for m.homeserver".',
      },
      fixes: {
        missing: 'Add "m.homeserver": { "base_url": "https://matrix.example.com" } inside default_server_config.',
        invalid: 'Use the full https URL clients reach Synapse at, e.g. https://matrix.example.com.',
      },
    },
    {
      code: 'MXD-EL-005',
      severity: 'error',
      title: "Element's server_name differs from Synapse's",
      messages: {
        mismatch:
          "Element's m.homeserver.server_name is '{{element}}' but {{otherSource}} says '{{other}}'; users see the wrong server name and user IDs look wrong at login.",
      },
      fixes: { mismatch: 'Set m.homeserver.server_name to "{{expected}}".' },
    },
    {
      code: 'MXD-EL-006',
      severity: 'error',
      title: "Element's base_url differs from public_baseurl",
      messages: {
        mismatch:
          "Element's base_url is {{element}} but Synapse's public_baseurl is {{publicBaseurl}}; after login Synapse tells Element to switch to {{publicBaseurl}} (login's well_known), the classic cause of \"Syncing forever\".",
      },
      fixes: {
        mismatch:
          "Make both the URL clients really reach Synapse at. If Element is right, correct public_baseurl in homeserver.yaml and restart Synapse; otherwise change Element's base_url.",
      },
    },
    {
      code: 'MXD-EL-007',
      severity: 'error',
      title: "Element's base_url differs from the client well-known",
      messages: {
        mismatch:
          "Element's base_url is {{element}} but https://{{host}}/.well-known/matrix/client (served by nginx, {{where}}) says {{wellKnown}}; other clients and logins by user ID go to a different URL than Element.",
        invalidJson: 'nginx serves https://{{host}}/.well-known/matrix/client ({{where}}) with a body that is not JSON: {{detail}}.',
      },
      fixes: {
        mismatch: "Make Element's base_url and the well-known base_url the same URL (the one that really reaches Synapse), then reload nginx.",
        invalidJson: 'Make the return body valid JSON, e.g. return 200 \'{"m.homeserver": {"base_url": "https://matrix.example.com"}}\';',
      },
    },
    {
      code: 'MXD-EL-008',
      severity: 'warning',
      title: "Element's Jitsi domain differs from Jitsi's PUBLIC_URL",
      messages: {
        mismatch:
          "Element's jitsi.preferred_domain is '{{element}}' but Jitsi's PUBLIC_URL host is '{{jitsi}}'; Element's video calls open a different Jitsi server.",
        wellKnown:
          "The homeserver's client well-known ({{url}}) sets {{key}}.preferredDomain '{{wellKnown}}', which Element uses instead of config.json's jitsi.preferred_domain, but Jitsi's PUBLIC_URL host is '{{jitsi}}'; video calls of this homeserver's users open a different Jitsi server.",
        overridden:
          "Element's jitsi.preferred_domain is '{{element}}', not Jitsi's PUBLIC_URL host '{{jitsi}}'; for this homeserver's users the client well-known's {{key}}.preferredDomain ('{{wellKnown}}') wins, so only users of other homeservers on this Element get the other Jitsi server.",
      },
      fixes: {
        mismatch: 'Set jitsi.preferred_domain to "{{jitsi}}" (or correct PUBLIC_URL if Element is right).',
        wellKnown:
          'Set {{key}}.preferredDomain to "{{jitsi}}" in the client well-known the homeserver serves (or correct PUBLIC_URL if the well-known is right).',
      },
    },
    {
      code: 'MXD-EL-009',
      severity: 'warning',
      title: 'Setting that Element ignores',
      messages: {
        shadowed:
          "'{{camel}}' is ignored because '{{snake}}' is also set: Element reads the snake_case key and never merges the two, so {{lost}} has no effect.",
        camel: "'{{camel}}' is the old camelCase spelling; Element reads '{{snake}}' first and will drop camelCase keys. Rename it.",
        camelDefault:
          "'{{camel}}' is never read: Element's built-in default for '{{snake}}' always wins over the camelCase spelling. Rename it to '{{snake}}'.",
        removed: "'{{key}}' is no longer read by Element ({{why}}).",
        deprecatedServer: '\'{{key}}\' is deprecated; Element warns "DEPRECATED CONFIG OPTION". Use default_server_config.',
      },
      fixes: {
        move: "Move the settings of '{{camel}}' into '{{snake}}' and delete '{{camel}}'.",
        rename: "Rename '{{camel}}' to '{{snake}}'.",
        removed: "Delete '{{key}}'.",
        deprecatedServer: 'Replace it with default_server_config { "m.homeserver": { "base_url": ..., "server_name": ... } }.',
      },
    },
    {
      code: 'MXD-EL-010',
      severity: 'warning',
      title: 'Key defined twice in config.json',
      messages: { duplicate: "'{{key}}' appears twice; browsers keep only the last one, so the first has no effect." },
      fixes: { duplicate: "Keep one '{{key}}' (the last one is the one Element uses)." },
    },
    {
      code: 'MXD-EL-011',
      severity: 'error',
      title: 'Element cannot reach the homeserver',
      messages: {
        unreachable: 'Element asks {{url}} before login and it failed ({{reason}}); users see "Cannot reach homeserver".',
        notMatrix:
          'Element asks {{url}} before login and got HTTP {{status}} without a versions list; Element says "Homeserver URL does not appear to be a valid Matrix homeserver".',
      },
      fixes: {
        unreachable: "Make base_url reachable from users' browsers: DNS, the TLS certificate and nginx must all answer for it.",
        notMatrix: 'Route /_matrix on that host to Synapse in nginx (location ~ ^(/_matrix|/_synapse/client) { proxy_pass http://localhost:8008; }).',
      },
    },
    {
      code: 'MXD-EL-012',
      severity: 'warning',
      title: 'Unknown default language',
      messages: {
        unknown:
          "{{key}} '{{value}}' is not one of Element's languages (they are lower case and hyphenated, e.g. '{{suggestion}}'); Element silently falls back to English and remembers that choice in each browser.",
      },
      fixes: {
        use: "Use '{{suggestion}}'.",
        useUnderDefaults: "Use '{{suggestion}}' under setting_defaults (the {{block}} block is ignored).",
      },
    },
  ],
  run(inputs): FindingDraft[] {
    const el = inputs.get<ElementConfigArtifact>('elementConfig');
    const { file, sha256 } = el;
    const { value, positions, error, duplicateKeys } = el.parsed;
    const findings: FindingDraft[] = [];
    const at = (path: readonly (string | number)[], key = false) => locate(file, positions, path, key);

    if (error) {
      findings.push({
        code: 'MXD-EL-001',
        messageId: 'syntax',
        data: { detail: error.message },
        location: spanLocation(file, error.span),
        evidence: { line: error.span.line, column: error.span.column },
        fix: {
          summaryId: 'syntax',
          summaryData: { line: error.span.line, column: error.span.column },
          steps: [`python3 -m json.tool ${file} > /dev/null`],
          edits: [],
        },
      });
      return findings;
    }
    if (!isObject(value)) {
      findings.push({
        code: 'MXD-EL-001',
        messageId: 'notObject',
        location: { file, line: 1, column: 1 },
        evidence: {},
        fix: { summaryId: 'notObject', steps: [], edits: [] },
      });
      return findings;
    }
    for (const d of duplicateKeys) {
      const key = d.path.split('/').pop() ?? d.path;
      findings.push({
        code: 'MXD-EL-010',
        messageId: 'duplicate',
        data: { key: d.path.slice(1).replace(/\//g, '.') || key },
        location: spanLocation(file, d.span),
        evidence: { path: d.path },
        fix: { summaryId: 'duplicate', summaryData: { key }, steps: [], edits: [] },
      });
    }

    // Which homeserver Element starts with.
    const dsc = value.default_server_config;
    const hasDsn = Object.hasOwn(value, 'default_server_name');
    const hasHsUrl = Object.hasOwn(value, 'default_hs_url');
    if (dsc === undefined && !hasDsn && !hasHsUrl) {
      findings.push({
        code: 'MXD-EL-002',
        messageId: 'none',
        location: { file },
        evidence: { keys: Object.keys(value).slice(0, 20) },
        fix: {
          summaryId: 'none',
          steps: ['"default_server_config": { "m.homeserver": { "base_url": "https://matrix.example.com", "server_name": "example.com" } }'],
          edits: [],
        },
      });
    }
    if (hasHsUrl && (dsc !== undefined || hasDsn)) {
      findings.push({
        code: 'MXD-EL-003',
        messageId: 'conflict',
        data: { other: dsc !== undefined ? 'default_server_config' : 'default_server_name' },
        location: at(['default_hs_url'], true),
        evidence: {},
        fix: {
          summaryId: 'conflict',
          steps: [],
          edits: [{ kind: 'json-delete', file, path: ['default_hs_url'], expectSha256: sha256 }],
        },
      });
    }
    for (const key of ['default_hs_url', 'default_server_name'].filter((k) => Object.hasOwn(value, k))) {
      findings.push({
        code: 'MXD-EL-009',
        messageId: 'deprecatedServer',
        data: { key },
        location: at([key], true),
        evidence: { [key]: value[key] as string },
        fix: { summaryId: 'deprecatedServer', steps: [], edits: [] },
      });
    }

    const baseUrlValue = dig(value, [...HS, 'base_url']);
    let baseUrl: string | undefined;
    if (dsc !== undefined) {
      if (baseUrlValue === undefined) {
        findings.push({
          code: 'MXD-EL-004',
          messageId: 'missing',
          location: at(['default_server_config']),
          evidence: {},
          fix: { summaryId: 'missing', steps: [], edits: [] },
        });
      } else if (typeof baseUrlValue !== 'string' || !canonicalUrl(baseUrlValue)) {
        findings.push({
          code: 'MXD-EL-004',
          messageId: 'invalid',
          data: { value: String(baseUrlValue) },
          location: at([...HS, 'base_url']),
          evidence: { base_url: baseUrlValue },
          fix: { summaryId: 'invalid', steps: [], edits: [] },
        });
      } else baseUrl = baseUrlValue;
    }

    // Agreement with homeserver.yaml.
    const hs = inputs.optional<HomeserverConfigArtifact>('homeserverConfig');
    const hsValue = isObject(hs?.parsed.value) ? hs.parsed.value : undefined;
    const target = inputs.optional<TargetArtifact>('target');
    const elementServerName = dig(value, [...HS, 'server_name']);
    const hsServerName = typeof hsValue?.server_name === 'string' ? hsValue.server_name : undefined;
    const expectedName = hsServerName ?? target?.serverName;
    if (typeof elementServerName === 'string' && expectedName && elementServerName !== expectedName) {
      const otherSource = hsServerName && hs ? `homeserver.yaml (${where(locate(hs.file, hs.parsed.positions, ['server_name']))})` : '--server-name';
      findings.push({
        code: 'MXD-EL-005',
        messageId: 'mismatch',
        data: { element: elementServerName, other: expectedName, otherSource },
        location: at([...HS, 'server_name']),
        evidence: { element: elementServerName, [hsServerName ? 'homeserver.yaml' : '--server-name']: expectedName },
        fix: {
          summaryId: 'mismatch',
          summaryData: { expected: expectedName },
          steps: [],
          edits: [{ kind: 'json-set', file, path: [...HS, 'server_name'], value: expectedName, expectSha256: sha256 }],
        },
      });
    }
    const publicBaseurl = typeof hsValue?.public_baseurl === 'string' ? hsValue.public_baseurl : undefined;
    const versions = inputs.optional<ClientVersionsArtifact>('clientVersions');
    // When public_baseurl is broken by itself (an internal host, plain http, or it does not answer as a
    // homeserver), the public-baseurl check reports that as its one error, with Element's base_url in the
    // evidence and the fix computed from what answered: saying here that Element's URL differs from it would be
    // the same cause twice. A healthy public_baseurl that differs from Element's is reported here.
    const pbEcho = inputs.runs('public-baseurl') && publicBaseurl !== undefined && publicBaseurlFault(publicBaseurl, versions) !== undefined;
    if (baseUrl && publicBaseurl && canonicalUrl(publicBaseurl) && canonicalUrl(publicBaseurl) !== canonicalUrl(baseUrl) && !pbEcho) {
      findings.push({
        code: 'MXD-EL-006',
        messageId: 'mismatch',
        data: { element: baseUrl, publicBaseurl },
        location: at([...HS, 'base_url']),
        evidence: {
          element: { base_url: baseUrl, at: where(at([...HS, 'base_url'])) },
          synapse: { public_baseurl: publicBaseurl, at: hs ? where(locate(hs.file, hs.parsed.positions, ['public_baseurl'])) : '' },
        },
        fix: {
          summaryId: 'mismatch',
          steps: [`public_baseurl: "${baseUrl.replace(/\/?$/, '/')}"   # homeserver.yaml, then: synctl restart (or systemctl restart matrix-synapse)`],
          edits: hs ? [{ kind: 'yaml-set', file: hs.file, path: ['public_baseurl'], value: baseUrl.replace(/\/?$/, '/'), expectSha256: hs.sha256 }] : [],
        },
      });
    }

    // Agreement with the client well-known nginx serves for the server name.
    const nginx = inputs.optional<NginxConfigArtifact>('nginxConfig');
    const wkHost = (expectedName ?? (typeof elementServerName === 'string' ? elementServerName : undefined))?.replace(/:\d+$/, '');
    if (baseUrl && nginx && wkHost) {
      const served = servedAt(nginx, wkHost, '/.well-known/matrix/client');
      if (served?.kind === 'return' && served.location) {
        const loc = { file: served.location.file, line: served.location.line, column: served.location.column };
        if (served.jsonError !== undefined) {
          findings.push({
            code: 'MXD-EL-007',
            messageId: 'invalidJson',
            data: { host: wkHost, where: where(loc), detail: served.jsonError },
            location: loc,
            evidence: { body: served.body ?? '' },
            fix: {
              summaryId: 'invalidJson',
              steps: [],
              edits: [],
            },
          });
        } else {
          const wk = dig(served.json, ['m.homeserver', 'base_url']);
          if (typeof wk === 'string' && canonicalUrl(wk) !== canonicalUrl(baseUrl)) {
            const body = JSON.stringify({ 'm.homeserver': { base_url: baseUrl } });
            findings.push({
              code: 'MXD-EL-007',
              messageId: 'mismatch',
              data: { element: baseUrl, host: wkHost, where: where(loc), wellKnown: wk },
              location: at([...HS, 'base_url']),
              evidence: { element: baseUrl, wellKnown: { base_url: wk, servedBy: where(loc), body: served.body ?? '' } },
              fix: {
                summaryId: 'mismatch',
                steps: [`In ${where(loc)}: return 200 '${body}';`, 'nginx -t && nginx -s reload'],
                edits: [],
              },
            });
          }
        }
      }
    }

    // Jitsi. Element's domain: the client well-known's io.element.jitsi (or the legacy im.vector.riot.jitsi)
    // preferredDomain when the homeserver serves one, else config.json's jitsi.preferred_domain. The camelCase
    // jitsi.preferredDomain is never read (Element's built-in default for the snake key wins): MXD-EL-009.
    // Jitsi's side: PUBLIC_URL as the containers read it (compose interpolation, e.g. https://meet.example.com:${HTTPS_PORT}).
    const jitsiEnv = inputs.optional<JitsiEnvArtifact>('jitsiEnv');
    const preferred = dig(value, ['jitsi', 'preferred_domain']);
    const jitsiSettings = jitsiEnv ? new JitsiSettings(jitsiEnv) : undefined;
    // An unusable PUBLIC_URL (unset, not https, an undefined ${VAR}) is the jitsi checks' finding.
    const jitsiUrl = jitsiSettings ? publicUrlOf(jitsiSettings) : undefined;
    const jitsiHost = jitsiUrl?.url && !jitsiUrl.problem ? jitsiUrl.url.host : undefined;
    const wellKnown = inputs.optional<WellKnownArtifact>('wellKnown')?.client;
    const wkJson = isObject(wellKnown?.json) ? wellKnown.json : undefined;
    const wkKey =
      wkJson && isObject(wkJson['io.element.jitsi'])
        ? 'io.element.jitsi'
        : wkJson && isObject(wkJson['im.vector.riot.jitsi'])
          ? 'im.vector.riot.jitsi'
          : undefined;
    const wkDomain = wkKey && wkJson ? (wkJson[wkKey] as Record<string, unknown>).preferredDomain : undefined;
    const wkPreferred = typeof wkDomain === 'string' && wkDomain !== '' ? wkDomain : undefined;
    if (jitsiHost && jitsiSettings) {
      const differs = (domain: string) => jitsiHost.toLowerCase() !== domain.toLowerCase();
      const envEvidence = { PUBLIC_URL: jitsiUrl?.value ?? '', envLine: jitsiSettings.where('PUBLIC_URL') };
      if (wkPreferred && wellKnown && differs(wkPreferred)) {
        findings.push({
          code: 'MXD-EL-008',
          messageId: 'wellKnown',
          data: { url: wellKnown.url, key: wkKey as string, wellKnown: wkPreferred, jitsi: jitsiHost },
          location: { url: wellKnown.url },
          evidence: { wellKnown: { url: wellKnown.url, [`${wkKey}.preferredDomain`]: wkPreferred }, ...envEvidence },
          fix: {
            summaryId: 'wellKnown',
            summaryData: { key: wkKey as string, jitsi: jitsiHost },
            steps: [`"${wkKey}": { "preferredDomain": "${jitsiHost}" }   # in ${wellKnown.url}`],
            edits: [],
          },
        });
      }
      if (typeof preferred === 'string' && differs(preferred)) {
        const overridden = wkPreferred !== undefined;
        findings.push({
          code: 'MXD-EL-008',
          messageId: overridden ? 'overridden' : 'mismatch',
          ...(overridden ? { severity: 'info' as const } : {}),
          data: { element: preferred, jitsi: jitsiHost, ...(overridden ? { key: wkKey as string, wellKnown: wkPreferred } : {}) },
          location: at(['jitsi', 'preferred_domain']),
          evidence: {
            element: preferred,
            ...envEvidence,
            ...(overridden && wellKnown ? { wellKnown: { url: wellKnown.url, [`${wkKey}.preferredDomain`]: wkPreferred } } : {}),
          },
          fix: {
            summaryId: 'mismatch',
            summaryData: { jitsi: jitsiHost },
            steps: [],
            edits: [{ kind: 'json-set', file, path: ['jitsi', 'preferred_domain'], value: jitsiHost, expectSha256: sha256 }],
          },
        });
      }
    }

    // Keys Element ignores.
    const camelFinding = (camelPath: string[], snakePath: string[]) => {
      const snakeSet = dig(value, snakePath) !== undefined;
      const snakeName = snakePath.join('.');
      const camelName = camelPath.join('.');
      const alwaysDefault = SNAKE_WITH_DEFAULT.has(snakeName);
      const camelValue = dig(value, camelPath);
      const messageId = snakeSet ? 'shadowed' : alwaysDefault ? 'camelDefault' : 'camel';
      const lost = isObject(camelValue)
        ? Object.entries(camelValue)
            .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
            .join(', ')
        : JSON.stringify(camelValue);
      findings.push({
        code: 'MXD-EL-009',
        messageId,
        severity: messageId === 'camel' ? 'info' : 'warning',
        data: { camel: camelName, snake: snakeName, lost },
        location: at(camelPath, true),
        evidence: { [camelName]: camelValue as string, ...(snakeSet ? { [snakeName]: dig(value, snakePath) as string } : {}) },
        fix: {
          summaryId: snakeSet ? 'move' : 'rename',
          summaryData: { camel: camelName, snake: snakeName },
          steps: [],
          edits: mergeEdits(file, sha256, camelPath, snakePath, camelValue, dig(value, snakePath)),
        },
      });
    };
    for (const [camel, snake] of Object.entries(CAMEL_TO_SNAKE)) if (Object.hasOwn(value, camel)) camelFinding([camel], [snake]);
    for (const [parent, camel, snake] of NESTED_CAMEL) {
      const p = value[parent];
      if (isObject(p) && Object.hasOwn(p, camel)) camelFinding([parent, camel], [parent, snake]);
    }
    for (const [key, why] of Object.entries(REMOVED_KEYS)) {
      if (!Object.hasOwn(value, key)) continue;
      findings.push({
        code: 'MXD-EL-009',
        messageId: 'removed',
        data: { key, why },
        location: at([key], true),
        evidence: {},
        fix: { summaryId: 'removed', summaryData: { key }, steps: [], edits: [{ kind: 'json-delete', file, path: [key], expectSha256: sha256 }] },
      });
    }

    // The default language, wherever Element will really read it from.
    const effectiveDefaults = isObject(value.setting_defaults) ? value.setting_defaults : isObject(value.settingDefaults) ? value.settingDefaults : undefined;
    const languagePaths: string[][] = [];
    if (isObject(value.setting_defaults) && typeof value.setting_defaults.language === 'string') languagePaths.push(['setting_defaults', 'language']);
    if (isObject(value.settingDefaults) && typeof value.settingDefaults.language === 'string') languagePaths.push(['settingDefaults', 'language']);
    for (const path of languagePaths) {
      const lang = dig(value, path) as string;
      if (LANGUAGES.includes(lang)) continue;
      const primary = languageKey(lang).split('-')[0];
      const suggestion = LANGUAGES.includes(languageKey(lang)) ? languageKey(lang) : LANGUAGES.includes(primary) ? primary : 'en';
      const effective = effectiveDefaults === dig(value, [path[0]]);
      findings.push({
        code: 'MXD-EL-012',
        messageId: 'unknown',
        data: { key: path.join('.'), value: lang, suggestion },
        location: at(path),
        evidence: { [path.join('.')]: lang, known: LANGUAGES.join(' ') },
        fix: {
          summaryId: effective ? 'use' : 'useUnderDefaults',
          summaryData: effective ? { suggestion } : { suggestion, block: path[0] },
          steps: [`"setting_defaults": { "language": "${suggestion}" }`],
          edits: effective && LANGUAGES.includes(languageKey(lang)) ? [{ kind: 'json-set', file, path, value: suggestion, expectSha256: sha256 }] : [],
        },
      });
    }

    // Live: can Element reach the homeserver it is configured with?
    const live = baseUrl ? versions?.results.find((r) => canonicalUrl(r.baseUrl) === canonicalUrl(baseUrl as string)) : undefined;
    // When the well-known names the same base URL, the well-known check reports it (MXD-WK-012): once is enough.
    if (live && !live.versions && !(inputs.runs('well-known') && live.sources.includes('well-known'))) {
      const x = live.exchange;
      const reason = x.error ? `${x.error.code}: ${x.error.message}` : `HTTP ${x.status}`;
      findings.push({
        code: 'MXD-EL-011',
        messageId: x.error ? 'unreachable' : 'notMatrix',
        data: { url: live.url, reason, status: x.status ?? 0 },
        location: { url: live.url },
        evidence: {
          url: live.url,
          ...(x.address ? { address: x.address } : {}),
          ...(x.status ? { status: x.status } : {}),
          ...(x.error ? { error: x.error } : {}),
          ...(x.bodyExcerpt ? { body: x.bodyExcerpt } : {}),
          ...(x.redirects.length ? { redirects: x.redirects } : {}),
        },
        fix: {
          summaryId: x.error ? 'unreachable' : 'notMatrix',
          steps: [`curl -sS ${live.url}`],
          edits: [],
        },
      });
    }
    return findings;
  },
});

/** Edits that fold a camelCase block into its snake_case key without losing the snake key's own settings. */
function mergeEdits(file: string, sha256: string, camelPath: string[], snakePath: string[], camelValue: unknown, snakeValue: unknown) {
  if (isObject(camelValue) && isObject(snakeValue)) {
    const merged = { ...camelValue, ...snakeValue };
    return [
      { kind: 'json-set' as const, file, path: snakePath, value: merged, expectSha256: sha256 },
      { kind: 'json-delete' as const, file, path: camelPath, expectSha256: sha256 },
    ];
  }
  if (snakeValue === undefined) {
    return [
      { kind: 'json-set' as const, file, path: snakePath, value: camelValue, expectSha256: sha256 },
      { kind: 'json-delete' as const, file, path: camelPath, expectSha256: sha256 },
    ];
  }
  return [{ kind: 'json-delete' as const, file, path: camelPath, expectSha256: sha256 }];
}
