// SRV answers as the federation and well-known probes use them (RFC 2782, the server-server API's
// "Resolving server names"): ordered by priority, then by weight (the heaviest first, a deterministic
// stand-in for the weighted random choice); the single target "." means "decidedly not available"; a "."
// among other records is skipped. Pure: the DNS answers come in, the ordered records go out.

export interface SrvAnswer {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface OrderedSrvRecord {
  /** The target host, without its final dot. */
  target: string;
  port: number;
  priority: number;
  weight: number;
}

export interface OrderedSrv {
  /** found: usable records; none: no record; unavailable: the single target "." (RFC 2782). */
  outcome: 'found' | 'none' | 'unavailable';
  records: OrderedSrvRecord[];
}

const isRoot = (target: string) => target === '' || target === '.';

export function orderSrv(answers: readonly SrvAnswer[]): OrderedSrv {
  const records = answers
    .map((a) => ({ target: String(a.name).replace(/\.$/, ''), port: a.port, priority: a.priority, weight: a.weight }))
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight);
  if (records.length === 0) return { outcome: 'none', records };
  if (records.length === 1 && isRoot(records[0].target)) return { outcome: 'unavailable', records };
  return { outcome: 'found', records: records.filter((r) => !isRoot(r.target)) };
}
