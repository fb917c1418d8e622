// AbortSignal.timeout throws on a delay that is not a whole number, and probes derive theirs from what is
// left of their budget (fractions of it, or less than a millisecond): every computed timeout goes through here.

/** An AbortSignal that aborts after `ms` (rounded down, at least 1 ms). */
export function timeoutSignal(ms: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.floor(Number.isFinite(ms) ? ms : 1)));
}
