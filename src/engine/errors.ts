// Errors that stop a run. Each becomes one line on stderr and exit code 2 (no stack trace unless --debug).

import type { SourcePosition } from './types.js';

/** The tool cannot do its job because of what it was given: bad flags, an unreadable or invalid input file. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly position?: Partial<SourcePosition>,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `file:line:col: message` where the position is known. */
  oneLine(): string {
    const p = this.position;
    if (!p?.file) return this.message;
    const where = [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
    return `${where}: ${this.message}`;
  }
}

/** A probe failed in a way the report should show with a stable code (FILE_NOT_FOUND, TIMEOUT, TARGET_NOT_ALLOWED...). */
export class ProbeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}
