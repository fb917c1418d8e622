// Others build concurrently, and `npm run build` may have removed dist/ a moment ago: the CLI tests of
// triage and bundle build it first when it is missing.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli.js';

export function ensureBuilt(...commands: string[]): void {
  if (commands.every((c) => existsSync(path.join(ROOT, `dist/src/commands/${c}.js`)))) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
