// The example Prometheus config and alerting rules in docs/monitoring/ are valid (promtool check) and
// the rules fire as documented (promtool test rules).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli.js';

const dir = path.join(ROOT, 'docs/monitoring');
const promtool = (...args: string[]) => spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });

test('promtool: the scrape config, the alerting rules, and their unit tests', () => {
  for (const args of [
    ['check', 'config', 'prometheus.yml'],
    ['check', 'rules', 'alerts.yml'],
    ['test', 'rules', 'alerts.test.yml'],
  ]) {
    const r = promtool(...args);
    assert.equal(r.status, 0, `promtool ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  }
});
