// The registry of built-in checks, in report order. Plugins add more through the `matrixdoc:checks`
// hook (see docs/plugins.md). Each check id is a stable contract for reports and monitoring.

import type { CheckDefinition } from '../src/engine/types.js';
import database from './database/index.js';
import elementConfig from './element-config/index.js';
import federation from './federation/index.js';
import homeserverConfig from './homeserver-config/index.js';
import jitsiJvb from './jitsi-jvb/index.js';
import jitsiWebsocket from './jitsi-websocket/index.js';
import ldap from './ldap/index.js';
import publicBaseurl from './public-baseurl/index.js';
import rateLimits from './rate-limits/index.js';
import reverseProxy from './reverse-proxy/index.js';
import turn from './turn/index.js';
import wellKnown from './well-known/index.js';

export const builtinChecks: CheckDefinition[] = [
  homeserverConfig,
  elementConfig,
  wellKnown,
  publicBaseurl,
  reverseProxy,
  rateLimits,
  federation,
  turn,
  database,
  ldap,
  jitsiWebsocket,
  jitsiJvb,
];
