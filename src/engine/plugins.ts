// Checks and probes from oclif plugins. A plugin declares the `matrixdoc:checks` hook in its
// package.json; the hook returns { checks, probes }. See docs/plugins.md.

import type { Config } from '@oclif/core';
import { validateCheck } from './define.js';
import { InputError } from './errors.js';
import type { CheckDefinition, ProbeDefinition } from './types.js';

export const PLUGIN_HOOK = 'matrixdoc:checks';

export interface PluginContribution {
  checks?: CheckDefinition[];
  probes?: ProbeDefinition[];
}

declare module '@oclif/core' {
  interface Hooks {
    'matrixdoc:checks': { options: Record<string, never>; return: PluginContribution };
  }
}

export async function loadPluginContributions(config: Config): Promise<{ checks: CheckDefinition[]; probes: ProbeDefinition[]; sources: Map<string, string> }> {
  const result = await config.runHook(PLUGIN_HOOK, {});
  const checks: CheckDefinition[] = [];
  const probes: ProbeDefinition[] = [];
  const sources = new Map<string, string>();
  for (const failure of result.failures) {
    throw new InputError(`plugin ${failure.plugin.name}: its ${PLUGIN_HOOK} hook failed: ${failure.error.message}`);
  }
  for (const { plugin, result: contribution } of result.successes) {
    if (!contribution) continue;
    for (const check of contribution.checks ?? []) {
      const problems = validateCheck(check);
      if (problems.length) throw new InputError(`plugin ${plugin.name}: invalid check: ${problems.join('; ')}`);
      checks.push(check);
      sources.set(check.id, plugin.name);
    }
    for (const probe of contribution.probes ?? []) {
      if (!probe || typeof probe.id !== 'string' || typeof probe.run !== 'function') {
        throw new InputError(`plugin ${plugin.name}: a probe needs an id and a run(ctx) function`);
      }
      probes.push(probe);
    }
  }
  return { checks, probes, sources };
}
