// Live progress on stderr while the checks run: listr2's animated list on a terminal, plain lines
// (no spinners, no control codes) in pipes and CI. The report itself goes to stdout afterwards.

import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { CheckDefinition, CheckResult } from '../engine/types.js';
import type { Locale } from '../i18n/index.js';
import { type HumanWords, humanWords } from '../i18n/words.js';

export interface Progress {
  checkDone(result: CheckResult): void;
  finish(): Promise<void>;
}

const silent: Progress = { checkDone: () => {}, finish: async () => {} };

function describe(result: CheckResult, w: HumanWords): string {
  const n = result.findings.filter((f) => f.severity !== 'info').length;
  switch (result.status) {
    case 'pass':
      return `${result.id}: ${w.pass}`;
    case 'warn':
      return `${result.id}: ${w.warnings(n)}`;
    case 'fail':
      return `${result.id}: ${w.problems(n)}`;
    case 'skip':
      return `${result.id}: ${w.skipped} (${result.reason})`;
    case 'error':
      return `${result.id}: ${w.couldNotRun} (${result.reason})`;
  }
}

export function createProgress(checks: CheckDefinition[], opts: { enabled: boolean; tty: boolean; locale?: Locale }): Progress {
  if (!opts.enabled || checks.length === 0) return silent;
  const w = humanWords(opts.locale);
  const waiters = new Map<string, (r: CheckResult) => void>();
  const results = new Map<string, Promise<CheckResult>>();
  for (const c of checks) results.set(c.id, new Promise((resolve) => waiters.set(c.id, resolve)));
  const list = new Listr(
    checks.map((c) => ({
      title: `${c.id}: ${w.checkTitles[c.id] ?? c.title}`,
      task: async (_ctx: unknown, task: { title: string; skip: (m: string) => void }) => {
        const r = await (results.get(c.id) as Promise<CheckResult>);
        if (r.status === 'skip') {
          task.title = r.id;
          task.skip(r.reason ?? w.skipped);
          return;
        }
        if (r.status === 'fail' || r.status === 'error') {
          // listr shows a failure as "title [FAILED: message]": the id as title, the rest as message, said once.
          task.title = r.id;
          throw new Error(describe(r, w).slice(r.id.length + 2));
        }
        task.title = describe(r, w);
      },
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: 'default',
      fallbackRenderer: 'simple',
      fallbackRendererCondition: !opts.tty,
      rendererOptions: { processOutput: new ProcessOutput(process.stderr, process.stderr) },
      // Plain lines for pipes and CI, all on stderr: stdout carries only the report.
      fallbackRendererOptions: { logger: new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(process.stderr, process.stderr) }) },
    } as ConstructorParameters<typeof Listr>[1],
  );
  const running = list.run().catch(() => {});
  return {
    checkDone: (r) => waiters.get(r.id)?.(r),
    finish: async () => {
      await running;
    },
  };
}
