// Shared behaviour of matrixdoc's commands: one-line errors with exit code 2 (stack traces only with
// --debug), and the --debug flag itself.

import { Command, Flags } from '@oclif/core';
import { InputError } from '../engine/errors.js';

/**
 * oclif's parse errors span lines ("The following error occurred:" / "  --a cannot also be provided when
 * using --b" / "See more help with --help"): the first line alone can say nothing. Keep what says something,
 * on one line.
 */
export function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^See more help with/i.test(l) && !/^The following errors? occurred:?$/i.test(l));
  return lines.length ? lines.join(': ').replace(/\s+/g, ' ').replace(/:\s*:/g, ':') : message.trim();
}

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Show stack traces and internal details on errors.', helpGroup: 'GLOBAL' }),
  };

  protected debugEnabled(): boolean {
    return this.argv.includes('--debug');
  }

  /** Writes one line to stderr, bypassing oclif's json-mode silencing (errors must always be seen). */
  protected stderrLine(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof InputError) {
      this.stderrLine(`matrixdoc: error: ${this.redactError(err.oneLine())}`);
      if (this.debugEnabled() && err.stack) this.stderrLine(err.stack);
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ error: { code: 'INPUT', message: this.redactError(err.oneLine()) } })}\n`);
      this.exit(2);
    }
    // oclif's own errors (bad flags, unknown commands) already read well; they exit 2 as usage errors.
    const exit = err.oclif?.exit;
    if (exit !== undefined || err.exitCode !== undefined) {
      if (exit === 0 || err.exitCode === 0) throw err;
      if (err.message && !/^EEXIT/.test(err.message)) {
        this.stderrLine(`matrixdoc: error: ${this.redactError(oneLine(err.message))}`);
        if (this.debugEnabled() && err.stack) this.stderrLine(err.stack);
        this.exit(2);
      }
      throw err;
    }
    this.stderrLine(
      `matrixdoc: internal error: ${this.redactError(err.message ?? String(err))}${this.debugEnabled() ? '' : ' (run with --debug for details)'}`,
    );
    if (this.debugEnabled() && err.stack) this.stderrLine(err.stack);
    this.exit(2);
  }

  /** Commands that know secrets override this so that no error line can show one. */
  protected redactError(text: string): string {
    return text;
  }
}
