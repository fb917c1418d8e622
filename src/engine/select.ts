// --only / --skip: by check id, comma-separated or repeated. An unknown id is an input error, so a typo
// in a monitoring job fails loudly instead of silently checking nothing.

import { InputError } from './errors.js';
import type { CheckDefinition } from './types.js';

function ids(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function selectChecks(all: CheckDefinition[], only: string[], skip: string[]): CheckDefinition[] {
  const known = new Set(all.map((c) => c.id));
  for (const [flag, list] of [
    ['--only', ids(only)],
    ['--skip', ids(skip)],
  ] as const) {
    for (const id of list) {
      if (!known.has(id)) throw new InputError(`${flag}: unknown check '${id}' (known: ${[...known].join(', ')})`);
    }
  }
  const onlySet = new Set(ids(only));
  const skipSet = new Set(ids(skip));
  const selected = all.filter((c) => (onlySet.size === 0 || onlySet.has(c.id)) && !skipSet.has(c.id));
  // Contradictory: a run that checks nothing and exits 0 would look like a pass.
  if (selected.length === 0 && (onlySet.size > 0 || skipSet.size > 0)) {
    throw new InputError(`--only and --skip leave no check to run (--skip ${[...skipSet].join(',')} removes everything selected)`);
  }
  return selected;
}
