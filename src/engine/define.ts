// Typed constructors for the two plug-in points; they only check shape, so definitions stay plain data.

import type { CheckDefinition, ProbeDefinition } from './types.js';

export const CODE_PATTERN = /^MXD-[A-Z]{2,5}-\d{3}$/;
export const CHECK_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function defineProbe<T>(def: ProbeDefinition<T>): ProbeDefinition<T> {
  return def;
}

export function defineCheck(def: CheckDefinition): CheckDefinition {
  return def;
}

/** Problems with a check definition (built-in or from a plugin); empty when it is well-formed. */
export function validateCheck(def: unknown): string[] {
  const d = def as Partial<CheckDefinition> | null;
  const problems: string[] = [];
  if (!d || typeof d !== 'object') return ['a check must be an object'];
  const name = typeof d.id === 'string' ? d.id : '(no id)';
  if (typeof d.id !== 'string' || !CHECK_ID_PATTERN.test(d.id)) problems.push(`${name}: id must be kebab-case`);
  if (typeof d.title !== 'string' || !d.title) problems.push(`${name}: title is required`);
  if (typeof d.run !== 'function') problems.push(`${name}: run(inputs) is required`);
  if (!Array.isArray(d.requires)) problems.push(`${name}: requires must be a list of probe ids`);
  if (!Array.isArray(d.codes) || d.codes.length === 0) problems.push(`${name}: codes must list the finding codes it emits`);
  for (const c of d.codes ?? []) {
    if (!CODE_PATTERN.test(c.code)) problems.push(`${name}: code '${c.code}' does not match MXD-AREA-NNN`);
    if (!['error', 'warning', 'info'].includes(c.severity)) problems.push(`${name}: ${c.code} has no valid severity`);
    if (!c.messages || Object.keys(c.messages).length === 0) problems.push(`${name}: ${c.code} has no messages`);
  }
  return problems;
}
