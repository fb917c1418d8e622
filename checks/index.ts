// The registry of built-in checks, in report order. Plugins add more through the `matrixdoc:checks`
// hook (see docs/plugins.md). Each check id is a stable contract for reports and monitoring.

import type { CheckDefinition } from '../src/engine/types.js';
import elementConfig from './element-config/index.js';
import homeserverConfig from './homeserver-config/index.js';

export const builtinChecks: CheckDefinition[] = [homeserverConfig, elementConfig];
