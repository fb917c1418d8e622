// --save-probes DIR writes every probe result (secrets redacted) and --from-probes DIR re-runs the checks
// on it with no I/O: reproducible bug reports, offline triage of a customer's capture, test fixtures.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../engine/errors.js';
import type { ProbeResult } from '../engine/types.js';
import { fsReason, readRegularFile } from '../probes/files.js';
import type { Redactor } from './redact.js';

/** A capture holds a few probe results; past this it is not one (and would only cost memory). */
const MAX_CAPTURE_BYTES = 256 * 1024 * 1024;

export const CAPTURE_FILE = 'probes.json';
export const CAPTURE_FORMAT = 'matrixdoc-probes';

export interface Capture {
  format: typeof CAPTURE_FORMAT;
  schemaVersion: 1;
  tool: { name: 'matrixdoc'; version: string };
  savedAt: string;
  target: Record<string, unknown>;
  results: Record<string, ProbeResult>;
}

export async function saveCapture(
  dir: string,
  opts: { version: string; target: Record<string, unknown>; results: Record<string, ProbeResult>; redactor: Redactor },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const results: Record<string, ProbeResult> = {};
  for (const [id, r] of Object.entries(opts.results)) {
    // Stack traces stay out of captures: they are for --debug on the machine that ran the probe.
    results[id] = r.status === 'error' ? { ...r, error: { code: r.error.code, message: r.error.message } } : r;
  }
  const capture: Capture = {
    format: CAPTURE_FORMAT,
    schemaVersion: 1,
    tool: { name: 'matrixdoc', version: opts.version },
    savedAt: new Date().toISOString(),
    target: opts.target,
    results,
  };
  const text = opts.redactor.text(JSON.stringify(opts.redactor.value(capture), null, 2));
  const file = path.join(dir, CAPTURE_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${text}\n`, { mode: 0o600 });
  await rename(tmp, file);
  return file;
}

export async function loadCapture(dir: string): Promise<Capture> {
  const file = path.join(dir, CAPTURE_FILE);
  let text: string;
  try {
    text = (await readRegularFile(file, MAX_CAPTURE_BYTES)).toString('utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new InputError(
      e.code === 'ENOENT'
        ? `--from-probes: no ${CAPTURE_FILE} in ${dir} (write one with --save-probes)`
        : `--from-probes: cannot read ${file}: ${fsReason(e, MAX_CAPTURE_BYTES)}`,
      { file },
    );
  }
  let data: Partial<Capture>;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--from-probes: not valid JSON: ${(error as Error).message}`, { file });
  }
  if (data?.format !== CAPTURE_FORMAT || data.schemaVersion !== 1 || typeof data.results !== 'object' || data.results === null) {
    throw new InputError(`--from-probes: not a matrixdoc probe capture (format ${CAPTURE_FORMAT}, schemaVersion 1)`, { file });
  }
  for (const [id, r] of Object.entries(data.results)) {
    if (!r || !['ok', 'skipped', 'error'].includes((r as ProbeResult).status)) {
      throw new InputError(`--from-probes: result '${id}' has no valid status`, { file });
    }
  }
  return data as Capture;
}
