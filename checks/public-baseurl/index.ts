// public-baseurl: Synapse's public_baseurl, the URL it tells every client to switch to right after login
// (login's well_known) and serves in its own client well-known. A wrong one is the seed's "Syncing
// forever": users log in, are moved to a URL that does not reach Synapse, and the spinner never ends.
// Static: the value against the client well-known and the hosts nginx serves. Live: does it answer
// /_matrix/client/versions, as the same homeserver, with CORS; with a test account, what login says.

import { defineCheck } from '../../src/engine/define.js';
import type { Edit, FindingDraft, FindingLocation, FixDraft } from '../../src/engine/types.js';
import type { ClientLoginArtifact } from '../../src/probes/client-login.js';
import type { ClientVersionsArtifact, ClientVersionsResult } from '../../src/probes/client-versions.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import type { TargetArtifact } from '../../src/probes/target.js';
import { parseServerName, type WellKnownArtifact } from '../../src/probes/well-known.js';
import { canonicalUrl, dig, isObject, locate, where } from '../shared/locate.js';
import { serverFor } from '../shared/nginx-wellknown.js';
import {
  bestClientBaseUrl,
  clientBody,
  elementBaseUrl,
  fileLine,
  homeserverFileFor,
  homeserverValue,
  nginxSteps,
  versionsFailure,
  versionsFor,
  wellKnownServing,
  withoutSlash,
  withSlash,
} from '../well-known/fixes.js';
import { isInternalHost } from './broken.js';

export { isInternalHost };

const SYNCING = '"Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"';
const RESTART = 'systemctl restart matrix-synapse   # or: synctl restart';

/** Why two /versions answers are not the same homeserver, or undefined when they look the same. */
export function differentServer(a: ClientVersionsResult, b: ClientVersionsResult): string | undefined {
  const va = [...(a.versions ?? [])].sort().join(',');
  const vb = [...(b.versions ?? [])].sort().join(',');
  if (va !== vb) return `versions [${va}] vs [${vb}]`;
  if ((a.serverHeader ?? '') !== (b.serverHeader ?? '')) return `Server: ${a.serverHeader ?? '(none)'} vs ${b.serverHeader ?? '(none)'}`;
  return undefined;
}

export default defineCheck({
  id: 'public-baseurl',
  title: "Synapse's public_baseurl",
  description:
    'Checks Synapse\'s public_baseurl against the client well-known and nginx, asks it for /_matrix/client/versions (same homeserver, CORS), and with a test account reads login\'s well_known: the cause of "Syncing forever".',
  requires: ['homeserverConfig'],
  uses: ['wellKnown', 'nginxConfig', 'clientVersions', 'clientLogin', 'elementConfig', 'target'],
  codes: [
    {
      code: 'MXD-PB-001',
      severity: 'error',
      title: 'public_baseurl does not reach the homeserver',
      messages: {
        unreachable: `public_baseurl is {{publicBaseurl}}, but {{url}} could not be reached ({{reason}}). Synapse tells every client to switch to public_baseurl right after login (login's well_known), so users are stuck at ${SYNCING}.`,
        notMatrix: `public_baseurl is {{publicBaseurl}}, but {{url}} answers HTTP {{status}} without a versions list: that is not Synapse's client API. Synapse tells every client to switch there right after login, so users are stuck at ${SYNCING}.`,
        otherServer:
          "public_baseurl {{publicBaseurl}} and the client well-known's {{wellKnown}} reach different homeservers ({{difference}}): clients discover one and are moved to the other after login.",
      },
      fixes: {
        setToAnswering: 'Set public_baseurl to {{url}}, which does answer as the homeserver, and restart Synapse; users who are stuck log out and in again.',
        reach:
          "Make {{publicBaseurl}} reach Synapse's client API (DNS, certificate, nginx proxying /_matrix to Synapse), or correct public_baseurl; then restart Synapse.",
        sameServer: 'Make public_baseurl and the client well-known the same URL of the one homeserver ({{url}}), and restart Synapse.',
      },
    },
    {
      code: 'MXD-PB-002',
      severity: 'error',
      title: 'public_baseurl uses plain http',
      messages: {
        http: `public_baseurl {{publicBaseurl}} is plain http: after login Synapse moves every client there, and an Element served over https (app.element.io included) may not load an http URL (mixed content), so users are stuck at ${SYNCING}; logins, SSO redirects and e-mail links also travel unencrypted.`,
        mixedContent:
          'public_baseurl {{publicBaseurl}} is plain http while clients use {{clientUrl}}: after login Synapse moves Element to the http URL, the browser blocks it as mixed content, and users are stuck at "Syncing forever…".',
      },
      fixes: {
        setToHttps: 'Set public_baseurl to the https URL, {{url}}, and restart Synapse.',
        setToHttpsAnswering:
          'Set public_baseurl to {{url}}, the https URL that answers as the homeserver, and restart Synapse; users who are stuck log out and in again.',
        setToHttpsCheck:
          'Set public_baseurl to the https URL of the reverse proxy, {{url}} if nginx serves TLS for that host (check it with the curl below), and restart Synapse.',
      },
    },
    {
      code: 'MXD-PB-003',
      severity: 'error',
      title: 'public_baseurl differs from the client well-known',
      messages: {
        live: "public_baseurl is {{publicBaseurl}} but https://{{host}}/.well-known/matrix/client says {{wellKnown}}: clients discover {{wellKnown}}, then login's well_known moves them to {{publicBaseurl}}.",
        nginx:
          "public_baseurl is {{publicBaseurl}} but the client well-known nginx serves for {{host}} ({{where}}) says {{wellKnown}}: clients discover {{wellKnown}}, then login's well_known moves them to {{publicBaseurl}}.",
      },
      fixes: {
        pointWellKnown: "public_baseurl answers and the well-known's URL does not: point the client well-known at {{publicBaseurl}}.",
        setToDiscovered:
          'Make public_baseurl the URL clients discover, {{url}} (or change the well-known, if public_baseurl is the right one), and restart Synapse.',
      },
    },
    {
      code: 'MXD-PB-004',
      severity: 'info',
      title: 'public_baseurl is not set',
      messages: {
        unset:
          'public_baseurl is not set: Synapse assumes {{assumed}} for SSO redirects and e-mail links, and serves neither a client well-known nor a well_known in login responses (clients keep the URL they logged in at).',
        unsetElsewhere:
          'public_baseurl is not set, so Synapse assumes {{assumed}}, but the client API is served at {{clientUrl}}: SSO redirects, e-mail links and fallback login pages point at the wrong host.',
      },
      fixes: {
        setToClientApi: 'Set public_baseurl to the URL the client API is served at, {{url}}, and restart Synapse.',
        setExplicitly: 'Optionally set public_baseurl explicitly (e.g. "{{assumed}}") so Synapse also serves its client well-known and login\'s well_known.',
      },
    },
    {
      code: 'MXD-PB-005',
      severity: 'error',
      title: 'public_baseurl names a host users cannot reach',
      messages: {
        internal:
          'public_baseurl {{publicBaseurl}} names {{host}}, which only this machine or its network can reach: after login every client is moved there and users are stuck at "Syncing forever…".',
        notProxied:
          'public_baseurl {{publicBaseurl}} names {{host}}, but no nginx server block in the files given serves that name: users may reach nothing, or another site, there.',
      },
      fixes: {
        setToPublic: 'Set public_baseurl to the public URL clients use, {{url}}, and restart Synapse.',
        setToProxy: 'Set public_baseurl to the public https URL of the reverse proxy (e.g. https://matrix.example.com/), or remove it, and restart Synapse.',
        serveHost: 'Serve {{host}} in nginx (server_name {{host}}; with /_matrix proxied to Synapse), or set public_baseurl to the host nginx does serve.',
      },
    },
    {
      code: 'MXD-PB-006',
      severity: 'error',
      title: 'Client API answers without CORS header',
      messages: {
        publicBaseurl:
          '{{url}} answers without an Access-Control-Allow-Origin header: Element in a browser cannot read it, and after login it is moved to public_baseurl.',
        login: "{{url}} (from login's well_known) answers without an Access-Control-Allow-Origin header: Element in a browser cannot read it after login.",
      },
      fixes: {
        publicBaseurl:
          "Let Synapse's CORS headers through for {{host}}: proxy /_matrix to Synapse without proxy_hide_header Access-Control-Allow-Origin, or add them in nginx.",
        login: "Let Synapse's CORS headers through for {{url}}.",
      },
    },
    {
      code: 'MXD-PB-007',
      severity: 'error',
      title: "Login's well_known sends clients to a bad URL",
      messages: {
        unreachable: `Logging in as {{user}} at {{baseUrl}} returns well_known base_url {{wellKnown}}, and {{url}} could not be reached ({{reason}}): every client that logs in is moved there and users are stuck at ${SYNCING}.`,
        notMatrix:
          'Logging in as {{user}} at {{baseUrl}} returns well_known base_url {{wellKnown}}, and {{url}} answers HTTP {{status}} without a versions list: every client that logs in is moved there and users are stuck at "Syncing forever…".',
        differs:
          'Logging in at {{baseUrl}} returns well_known base_url {{wellKnown}}: it answers, but clients are moved to another URL than the one they discovered; make both the same.',
        noWellKnown:
          'The login response at {{baseUrl}} has no well_known (Synapse adds it only when public_baseurl is set explicitly): clients keep the URL they logged in at.',
        loginFailed: "Could not log in as {{user}} at {{baseUrl}} ({{reason}}), so login's well_known was not checked.",
        logoutFailed:
          'The test login of {{user}} could not be logged out ({{reason}}): remove the session "matrixdoc check (logged out right away)" in Element (Settings, Sessions).',
      },
      fixes: {
        loginFailed: 'Check the test account (--test-user, MATRIXDOC_TEST_PASSWORD) and that password login is enabled.',
        logout: 'Log the test session out: Element, Settings, Sessions, sign out "matrixdoc check (logged out right away)".',
        logoutDevice: 'Log the test session out: Element, Settings, Sessions, sign out "matrixdoc check (logged out right away)" (device {{deviceId}}).',
        setToLogin: 'Set public_baseurl to {{url}} (where the login itself worked), restart Synapse, and have stuck users log out and in again.',
        sameAsLogin: 'Make public_baseurl the URL clients discover ({{url}}), or change the discovery to public_baseurl, so that login does not move clients.',
      },
    },
  ],
  run(inputs): FindingDraft[] {
    const hs = inputs.get<HomeserverConfigArtifact>('homeserverConfig');
    if (!isObject(hs.parsed.value)) return []; // homeserver-config reports the file itself
    const wk = inputs.optional<WellKnownArtifact>('wellKnown');
    const nginx = inputs.optional<NginxConfigArtifact>('nginxConfig');
    const versions = inputs.optional<ClientVersionsArtifact>('clientVersions');
    const login = inputs.optional<ClientLoginArtifact>('clientLogin');
    const el = inputs.optional<ElementConfigArtifact>('elementConfig');
    const target = inputs.optional<TargetArtifact>('target');
    const findings: FindingDraft[] = [];
    /** The one finding about public_baseurl itself (see below), which login's evidence joins. */
    let primary: FindingDraft | undefined;

    const pb = homeserverValue(hs, 'public_baseurl');
    const pbFile = pb ? homeserverFileFor(hs, pb.file) : hs;
    const pbLoc: FindingLocation = pb?.set ? locate(pbFile.file, pbFile.parsed.positions, ['public_baseurl']) : { file: hs.file };
    const snValue = homeserverValue(hs, 'server_name')?.value;
    const serverName = typeof snValue === 'string' ? snValue : target?.serverName;
    const snHost = serverName ? parseServerName(serverName)?.host : undefined;

    const elUrl = elementBaseUrl(el);
    const wkUrl = wk?.client?.status === 200 && wk.client.baseUrl && canonicalUrl(wk.client.baseUrl) ? wk.client.baseUrl : undefined;
    const wkHost = wk?.host ?? snHost;
    // The client well-known nginx serves (from the files), when it was not fetched live.
    const servedWk = !wkUrl && nginx && wkHost ? wellKnownServing(nginx, wkHost, 'client') : undefined;
    const nginxWkRaw = servedWk?.served?.kind === 'return' ? dig(servedWk.served.json, ['m.homeserver', 'base_url']) : undefined;
    const nginxWk = typeof nginxWkRaw === 'string' && canonicalUrl(nginxWkRaw) ? nginxWkRaw : undefined;
    const discovered = wkUrl ?? nginxWk;
    /** The client URL that really answered /versions: well-known, Element, then the others. */
    const answered = (exclude?: string) =>
      bestClientBaseUrl(
        [wkUrl, elUrl, nginxWk, login?.login.loggedIn ? login.baseUrl : undefined].filter((u) => !exclude || canonicalUrl(u ?? '') !== canonicalUrl(exclude)),
        versions,
      );
    const answeredLive = (exclude?: string) => {
      const a = answered(exclude);
      return a && (versionsFor(versions, a)?.versions || (login?.login.loggedIn && canonicalUrl(login.baseUrl) === canonicalUrl(a))) ? a : undefined;
    };
    const setEdit = (value: string): Edit[] => [
      { kind: 'yaml-set', file: pbFile.file, path: ['public_baseurl'], value: withSlash(value), expectSha256: pbFile.sha256 },
    ];
    /** Sets public_baseurl to `value`; the summary template names it as {{url}}. */
    const setFix = (value: string, summaryId: string, extra: string[] = []): FixDraft => ({
      summaryId,
      summaryData: { url: withSlash(value) },
      steps: [`public_baseurl: "${withSlash(value)}"   # ${where(pbLoc)}`, RESTART, ...extra],
      edits: setEdit(value),
    });

    // Not set: Synapse's default, and what it does not serve then.
    const value = pb?.value;
    if (value === undefined || value === null) {
      if (serverName && snHost) {
        const assumed = `https://${snHost}/`;
        const clientUrl = answered();
        if (clientUrl && canonicalUrl(clientUrl) !== canonicalUrl(assumed)) {
          findings.push({
            code: 'MXD-PB-004',
            messageId: 'unsetElsewhere',
            severity: 'warning',
            data: { assumed, clientUrl },
            location: pbLoc,
            evidence: { public_baseurl: null, assumed, clientApi: clientUrl, ...(wkUrl ? { wellKnown: wkUrl } : {}), ...(elUrl ? { element: elUrl } : {}) },
            fix: setFix(clientUrl, 'setToClientApi'),
          });
        } else {
          findings.push({
            code: 'MXD-PB-004',
            messageId: 'unset',
            data: { assumed },
            location: pbLoc,
            evidence: { public_baseurl: null, assumed },
            fix: {
              summaryId: 'setExplicitly',
              summaryData: { assumed },
              steps: [`public_baseurl: "${assumed}"`, RESTART],
              edits: [],
            },
          });
        }
      }
      judgeLogin();
      return findings;
    }
    if (typeof value !== 'string' || !canonicalUrl(value)) return findings; // MXD-HS-010 (homeserver-config)
    const publicBaseurl = value;
    const url = new URL(publicBaseurl);
    const live = versionsFor(versions, publicBaseurl, 'homeserver-config');

    // One wrong public_baseurl shows in several ways at once: it names an internal host (MXD-PB-005), is plain
    // http (MXD-PB-002), does not answer as the homeserver (MXD-PB-001), differs from the client well-known
    // (MXD-PB-003), nginx serves no such host (MXD-PB-005 notProxied), and login moves clients to it
    // (MXD-PB-007). Each is judged below, but one is reported: an admin needs one error naming the cause, the
    // symptom and the fix (the same public_baseurl line in every one of them), with what the others saw in its
    // evidence. The one is the most specific cause, whose fix stays right when the others are gone: an internal
    // host is wrong wherever it answers; plain http is blocked by an https Element even when it answers, so
    // making it answer would not help; then not answering (live, the seed's "Syncing forever"); then differing
    // from the well-known (also offline: it is either one that is wrong); then the host nginx does not serve.
    const internal = isInternalHost(url.hostname);
    let internalFinding: FindingDraft | undefined;
    let notProxied: FindingDraft | undefined;
    let plainHttp: FindingDraft | undefined;
    let unanswered: FindingDraft | undefined;
    let differs: FindingDraft | undefined;

    // Reachable by users at all?
    if (internal) {
      const better = answered(publicBaseurl);
      internalFinding = {
        code: 'MXD-PB-005',
        messageId: 'internal',
        data: { publicBaseurl, host: url.hostname },
        location: pbLoc,
        evidence: { public_baseurl: publicBaseurl, host: url.hostname, ...(better ? { clientsUse: better } : {}) },
        fix: better
          ? setFix(better, 'setToPublic')
          : {
              summaryId: 'setToProxy',
              steps: ['public_baseurl: "https://matrix.example.com/"', RESTART],
              edits: [],
            },
      };
    } else if (nginx && !serverFor(nginx, url.hostname, Number(url.port) || (url.protocol === 'https:' ? 443 : 80))) {
      notProxied = {
        code: 'MXD-PB-005',
        messageId: 'notProxied',
        severity: 'warning',
        data: { publicBaseurl, host: url.hostname },
        location: pbLoc,
        evidence: { public_baseurl: publicBaseurl, nginxFiles: nginx.files.map((f) => f.file) },
        fix: {
          summaryId: 'serveHost',
          summaryData: { host: url.hostname },
          steps: [
            `server { listen 443 ssl; server_name ${url.hostname}; location ~ ^(/_matrix|/_synapse/client) { proxy_pass http://localhost:8008; proxy_set_header X-Forwarded-For $remote_addr; proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header Host $host; } }`,
          ],
          edits: [],
        },
      };
    }

    // Plain http: after login Element (on https) is moved to an http URL it may not load (mixed content).
    if (url.protocol === 'http:' && !internal) {
      const httpsClient = [wkUrl, elUrl, nginxWk].find((u) => u?.startsWith('https:'));
      // The https URL to use, from what answered when there is live evidence: an https client URL that answered
      // /versions, or where the http URL itself redirected to and answered; else what the files name, else a guess.
      const httpsCandidates = [wkUrl, elUrl, nginxWk, login?.login.loggedIn ? login.baseUrl : undefined].filter(
        (u): u is string => u?.startsWith('https:') === true,
      );
      const redirectedTo =
        live?.versions && live.exchange.finalUrl.startsWith('https:') ? live.exchange.finalUrl.replace(/\/_matrix\/client\/versions$/, '') : undefined;
      const httpsAnswered =
        httpsCandidates.find((u) => versionsFor(versions, u)?.versions || (login?.login.loggedIn && canonicalUrl(login.baseUrl) === canonicalUrl(u))) ??
        (redirectedTo && canonicalUrl(redirectedTo) ? redirectedTo : undefined);
      const guess = publicBaseurl.replace(/^http:/, 'https:').replace(/:80(?=\/|$)/, '');
      plainHttp = {
        code: 'MXD-PB-002',
        messageId: httpsClient ? 'mixedContent' : 'http',
        data: { publicBaseurl, clientUrl: httpsClient ?? '' },
        location: pbLoc,
        evidence: {
          public_baseurl: publicBaseurl,
          ...(httpsClient ? { clientsUse: httpsClient } : {}),
          ...(httpsAnswered ? { httpsAnswers: httpsAnswered } : {}),
        },
        fix: httpsAnswered
          ? setFix(httpsAnswered, 'setToHttpsAnswering')
          : httpsClient
            ? setFix(httpsClient, 'setToHttps')
            : setFix(guess, 'setToHttpsCheck', [`curl -s ${withoutSlash(guess)}/_matrix/client/versions   # must answer {"versions": [...]}`]),
      };
    }

    // Live: does public_baseurl answer as the same homeserver?
    if (live && !live.versions) {
      const better = answeredLive(publicBaseurl);
      const failure = versionsFailure(live, better);
      unanswered = {
        code: 'MXD-PB-001',
        messageId: failure.messageId,
        data: { publicBaseurl, ...failure.data },
        location: pbLoc,
        evidence: failure.evidence,
        fix: better
          ? setFix(better, 'setToAnswering', [
              `Or delete the public_baseurl line (${where(pbLoc)}): Synapse then stops sending login's well_known, and clients keep the URL they logged in at.`,
            ])
          : {
              summaryId: 'reach',
              summaryData: { publicBaseurl },
              steps: [`curl -sv ${live.url}`, RESTART],
              edits: [],
            },
      };
    } else if (live?.versions) {
      const wkLive = wkUrl && canonicalUrl(wkUrl) !== canonicalUrl(publicBaseurl) ? versionsFor(versions, wkUrl, 'well-known') : undefined;
      const difference = wkLive?.versions ? differentServer(live, wkLive) : undefined;
      if (wkUrl && wkLive && difference) {
        unanswered = {
          code: 'MXD-PB-001',
          messageId: 'otherServer',
          data: { publicBaseurl, wellKnown: wkUrl, difference },
          location: pbLoc,
          evidence: {
            publicBaseurl: { url: live.url, versions: live.versions, server: live.serverHeader ?? '' },
            wellKnown: { url: wkLive.url, versions: wkLive.versions ?? [], server: wkLive.serverHeader ?? '' },
          },
          fix: setFix(wkUrl, 'sameServer'),
        };
      }
    }

    // Agreement with the client well-known.
    if (discovered && canonicalUrl(discovered) !== canonicalUrl(publicBaseurl)) {
      const pbAnswers = Boolean(live?.versions);
      const wkAnswers = Boolean(versionsFor(versions, discovered)?.versions);
      const fixTheWellKnown = pbAnswers && !wkAnswers && wkHost;
      const servedLoc = servedWk?.returnAt ?? servedWk?.at;
      differs = {
        code: 'MXD-PB-003',
        messageId: wkUrl ? 'live' : 'nginx',
        data: { publicBaseurl, host: wkHost ?? '', wellKnown: discovered, where: fileLine(servedLoc) ?? '' },
        location: pbLoc,
        evidence: {
          public_baseurl: publicBaseurl,
          wellKnown: { base_url: discovered, ...(wkUrl ? { url: wk?.client?.url } : { servedBy: fileLine(servedLoc) }) },
          ...(live ? { publicBaseurlAnswers: pbAnswers } : {}),
          ...(versionsFor(versions, discovered) ? { wellKnownAnswers: wkAnswers } : {}),
        },
        fix: fixTheWellKnown
          ? {
              summaryId: 'pointWellKnown',
              summaryData: { publicBaseurl },
              steps: nginxSteps(wellKnownServing(nginx, wkHost, 'client'), wkHost, 'client', { body: clientBody(publicBaseurl) }),
              edits: [],
            }
          : setFix(discovered, 'setToDiscovered'),
      };
    }

    primary = internalFinding ?? plainHttp ?? unanswered ?? differs ?? notProxied;
    if (primary) {
      const ev = primary.evidence ?? {};
      const also: Record<string, unknown> = {};
      // What the codes that stepped aside saw, under names that say what it is.
      if (unanswered && unanswered !== primary) also.publicBaseurlAnswer = unanswered.evidence;
      if (differs && differs !== primary) {
        also.wellKnown = {
          ...(differs.evidence?.wellKnown as Record<string, unknown>),
          ...(versionsFor(versions, discovered) ? { answers: Boolean(versionsFor(versions, discovered)?.versions) } : {}),
        };
      }
      if (notProxied && notProxied !== primary) also.nginxServesHost = false;
      if (elUrl && canonicalUrl(elUrl) !== canonicalUrl(publicBaseurl)) also.element = elUrl;
      primary.evidence = { ...ev, ...Object.fromEntries(Object.entries(also).filter(([k]) => !(k in ev))) };
      findings.push(primary);
    }

    // CORS, when public_baseurl answers.
    if (live?.versions && !live.exchange.headers['access-control-allow-origin']) {
      findings.push({
        code: 'MXD-PB-006',
        messageId: 'publicBaseurl',
        data: { url: live.url },
        location: { url: live.url },
        evidence: { url: live.url, headers: live.exchange.headers },
        fix: {
          summaryId: 'publicBaseurl',
          summaryData: { host: url.host },
          steps: [
            'add_header Access-Control-Allow-Origin * always;   # in the location that proxies /_matrix, only if nginx answers itself',
            `curl -si -H 'Origin: https://app.element.io' ${live.url}`,
          ],
          edits: [],
        },
      });
    }

    judgeLogin();
    return findings;

    /** With a test account: the URL login's well_known sends clients to. */
    function judgeLogin() {
      if (!login) return;
      const l = login.login;
      const user = login.user;
      if (!l.loggedIn) {
        findings.push({
          code: 'MXD-PB-007',
          messageId: 'loginFailed',
          severity: 'warning',
          data: {
            user,
            baseUrl: login.baseUrl,
            reason: l.error ? `${l.error.code}: ${l.error.message}` : `HTTP ${l.status}${l.errcode ? ` ${l.errcode}` : ''}`,
          },
          location: { url: l.url },
          evidence: {
            url: l.url,
            ...(l.status !== undefined ? { status: l.status } : {}),
            ...(l.errcode ? { errcode: l.errcode } : {}),
            ...(l.errorText ? { errorText: l.errorText } : {}),
            ...(l.error ? { error: l.error } : {}),
          },
          fix: {
            summaryId: 'loginFailed',
            steps: [`curl -s ${login.baseUrl}/_matrix/client/v3/login`],
            edits: [],
          },
        });
        return;
      }
      if (login.logout && !login.logout.loggedOut) {
        const o = login.logout;
        findings.push({
          code: 'MXD-PB-007',
          messageId: 'logoutFailed',
          severity: 'warning',
          data: { user, reason: o.error ? `${o.error.code}: ${o.error.message}` : `HTTP ${o.status}${o.errcode ? ` ${o.errcode}` : ''}` },
          location: { url: o.url },
          evidence: { url: o.url, ...(o.status !== undefined ? { status: o.status } : {}), ...(o.error ? { error: o.error } : {}), deviceId: l.deviceId ?? '' },
          fix: {
            summaryId: l.deviceId ? 'logoutDevice' : 'logout',
            summaryData: l.deviceId ? { deviceId: l.deviceId } : {},
            steps: [],
            edits: [],
          },
        });
      }
      if (l.wellKnown === undefined) {
        findings.push({
          code: 'MXD-PB-007',
          messageId: 'noWellKnown',
          severity: 'info',
          data: { baseUrl: login.baseUrl },
          location: { url: l.url },
          evidence: { url: l.url, userId: l.userId ?? '' },
        });
        return;
      }
      const wkBase = l.wellKnownBaseUrl;
      const v = login.wellKnownVersions;
      const good = login.baseUrl;
      const loginFix = (summaryId: string): FixDraft =>
        pb?.set
          ? setFix(good, summaryId, [
              `Or delete the public_baseurl line (${where(pbLoc)}): login then carries no well_known and clients stay where they logged in.`,
            ])
          : { summaryId, summaryData: { url: withSlash(good) }, steps: [`public_baseurl: "${withSlash(good)}"`, RESTART], edits: [] };
      /**
       * Login moving clients to public_baseurl itself, which the one error about public_baseurl already reports
       * (same URL, same failure): the login's evidence joins that error (it confirms the symptom) instead of a
       * second error. Not when the login names another URL (Synapse runs with another value than the file's).
       */
      const report = (draft: FindingDraft) => {
        const sameUrl = typeof pb?.value === 'string' && wkBase && canonicalUrl(wkBase) === canonicalUrl(pb.value);
        if (primary && primary.severity !== 'warning' && sameUrl) primary.evidence = { ...primary.evidence, login: { user, ...draft.evidence } };
        else findings.push(draft);
      };
      if (!wkBase || !canonicalUrl(wkBase) || (v && !v.versions)) {
        const reason =
          !wkBase || !canonicalUrl(wkBase)
            ? `not an http(s) URL: ${JSON.stringify(l.wellKnown)}`
            : v?.error
              ? `${v.error.code}: ${v.error.message}`
              : `HTTP ${v?.status}`;
        report({
          code: 'MXD-PB-007',
          messageId: v && !v.error && v.status !== undefined ? 'notMatrix' : 'unreachable',
          data: {
            user,
            baseUrl: login.baseUrl,
            wellKnown: wkBase ?? JSON.stringify(l.wellKnown),
            url: v?.url ?? String(wkBase),
            reason,
            status: v?.status ?? 0,
          },
          location: pb?.set ? pbLoc : { url: l.url },
          evidence: {
            loginUrl: l.url,
            well_known: l.wellKnown as Record<string, unknown>,
            ...(v ? { versions: { url: v.url, ...(v.status !== undefined ? { status: v.status } : {}), ...(v.error ? { error: v.error } : {}) } } : {}),
          },
          fix: loginFix('setToLogin'),
        });
        return;
      }
      if (canonicalUrl(wkBase) !== canonicalUrl(good)) {
        report({
          code: 'MXD-PB-007',
          messageId: 'differs',
          severity: 'warning',
          data: { baseUrl: good, wellKnown: wkBase },
          location: pb?.set ? pbLoc : { url: l.url },
          evidence: { loginUrl: l.url, well_known: l.wellKnown as Record<string, unknown> },
          fix: loginFix('sameAsLogin'),
        });
      }
      if (v?.versions && !v.accessControlAllowOrigin) {
        findings.push({
          code: 'MXD-PB-006',
          messageId: 'login',
          data: { url: v.url },
          location: { url: v.url },
          evidence: { url: v.url },
          fix: {
            summaryId: 'login',
            summaryData: { url: wkBase },
            steps: [`curl -si -H 'Origin: https://app.element.io' ${v.url}`],
            edits: [],
          },
        });
      }
    }
  },
});
