// Shared behaviour of matrixdoc's commands: one-line errors with exit code 2 (stack traces only with
// --debug), and the --debug flag itself. With `--format nagios` an error is a plugin's UNKNOWN instead:
// one status line on stdout, exit code 3.

import { Command, Flags } from '@oclif/core';
import { InputError } from '../engine/errors.js';
import { nagiosUnknownLine } from '../report/formats.js';

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

  /**
   * `--format nagios` as the command line asks it, read from argv itself: the error may be that the flags
   * did not parse. Only for commands that have a `--format` with a nagios option, and not with --json.
   */
  protected nagiosRequested(): boolean {
    const format = (this.ctor.flags as Record<string, { options?: readonly string[] } | undefined> | undefined)?.format;
    if (!format?.options?.includes('nagios')) return false;
    let value: string | undefined;
    const argv = this.argv ?? [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--') break;
      if (a === '--format') value = argv[++i];
      else if (a.startsWith('--format=')) value = a.slice('--format='.length);
    }
    if (value !== 'nagios') return false;
    try {
      return !this.jsonEnabled();
    } catch {
      return !argv.includes('--json');
    }
  }

  /** Reports an error the command cannot go on after, and exits: 2, or 3 (UNKNOWN) for a Nagios plugin. */
  private fail(line: string, stack: string | undefined): never {
    const text = this.redactError(line);
    if (this.nagiosRequested()) {
      // Nagios and Icinga read the status line on stdout; nothing else is printed (Icinga 2 keeps stderr too).
      process.stdout.write(nagiosUnknownLine(text.replace(/^error: /, '')));
      if (this.debugEnabled() && stack) this.stderrLine(stack);
      this.exit(3);
    }
    this.stderrLine(`matrixdoc: ${text}`);
    if (this.debugEnabled() && stack) this.stderrLine(stack);
    this.exit(2);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof InputError) {
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({ error: { code: 'INPUT', message: this.redactError(err.oneLine()) } })}\n`);
      this.fail(`error: ${err.oneLine()}`, err.stack);
    }
    // oclif's own errors (bad flags, unknown commands) already read well; they exit 2 as usage errors.
    const exit = err.oclif?.exit;
    if (exit !== undefined || err.exitCode !== undefined) {
      if (exit === 0 || err.exitCode === 0) throw err;
      if (err.message && !/^EEXIT/.test(err.message)) this.fail(`error: ${oneLine(err.message)}`, err.stack);
      throw err;
    }
    this.fail(`internal error: ${err.message ?? String(err)}${this.debugEnabled() ? '' : ' (run with --debug for details)'}`, err.stack);
  }

  /** Commands that know secrets override this so that no error line can show one. */
  protected redactError(text: string): string {
    return text;
  }
}
