// Validates reports against the published JSON Schema (docs/report.schema.json) with ajv.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'docs/report.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

/** Throws with ajv's errors when the report does not match the schema. */
export function assertValidReport(report: unknown): void {
  if (!validate(report)) {
    throw new Error(`report does not match docs/report.schema.json:\n${JSON.stringify(validate.errors, null, 2)}`);
  }
}
