/** Latency per route and injected faults: a share of 500s, hanging routes, resets and stalls of bodies. */
import { mulberry32 } from './prng';
import { parseSize } from './units';
import type { Origin } from './log';

export interface LatencyPart {
  fixedMs: number;
  jitterMs: number;
}

export interface LatencySpec extends LatencyPart {
  /** Per route key, e.g. "GET /2/drive" or "GET /3/drive/{drive}/files/{file}/files". */
  routes?: Record<string, LatencyPart>;
}

export class Latency {
  private readonly rnd = mulberry32(0x5eed);
  constructor(private spec: LatencySpec) {}

  set(spec: LatencySpec): void {
    this.spec = { ...spec, routes: { ...(spec.routes ?? {}) } };
  }

  get(): LatencySpec {
    return this.spec;
  }

  delayFor(routeKey: string): number {
    const part = this.spec.routes?.[routeKey] ?? this.spec;
    if (part.fixedMs <= 0 && part.jitterMs <= 0) return 0;
    return Math.max(0, Math.round(part.fixedMs + this.rnd() * part.jitterMs));
  }
}

/** A fault on the body of one file's downloads. */
export interface FileFault {
  /** Limit to one drive (any drive when absent). */
  drive?: number;
  /** File id, or a path of a written-out file ("/Common documents/Bench/reset-60.bin"). */
  file: number | string;
  /** Bytes of the body after which it happens: a number, "1 MiB" or "60%" of the file. */
  afterBytes: number | string;
  /** How many downloads are hit; every download when absent. */
  times?: number;
}

export interface FaultSpec {
  /** Share (0..1) of requests answered 500 instead of the real answer. */
  errorRate?: number;
  /**
   * How an injected error answers: 500 (default), or 503 "temporarily unavailable", which carries
   * `Retry-After: retryAfterSeconds` when that is given (a server asking the client to come back).
   */
  errorStatus?: 500 | 503;
  retryAfterSeconds?: number;
  /** Route keys the error rate applies to (default: every route of the four API origins). */
  errorRoutes?: string[];
  /** Route keys that never answer (until the client gives up or the simulator closes). */
  hangRoutes?: string[];
  /** Seed of the error-rate draw (default 1): the same seed fails the same requests. */
  seed?: number;
  /** The connection is reset after N bytes of the body. */
  resets?: FileFault[];
  /** The body stops after N bytes; the connection stays open. */
  stalls?: FileFault[];
  /**
   * Origins that answer every request 401 not_authorized, whatever the token: a service host that
   * refuses personal tokens although the API host accepts them (issue 9.3).
   */
  unauthorizedOrigins?: Origin[];
  /** Faults written on files in the scenario stay active (default true); re-armed by every setFaults. */
  scenarioFaults?: boolean;
}

export interface BodyFault {
  kind: 'reset' | 'stall';
  afterBytes: number;
}

/** What the fault table needs to know about a file. */
export interface FaultTarget {
  driveId: number;
  id: number;
  size: number;
  path: () => string;
  scenarioFault?: { kind: 'reset' | 'stall'; after: number | string; times?: number | undefined } | undefined;
}

export function parseOffset(spec: number | string, size: number): number {
  if (typeof spec === 'number') return spec;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(spec.trim());
  if (pct) return Math.floor((Number(pct[1]) / 100) * size);
  return parseSize(spec);
}

export class Faults {
  private spec: FaultSpec = {};
  private rnd = mulberry32(1);
  /** Remaining hits per fault key; absent = not yet used. */
  private used = new Map<string, number>();

  constructor(spec: FaultSpec) {
    this.set(spec);
  }

  set(spec: FaultSpec): void {
    this.spec = { ...spec };
    this.rnd = mulberry32(spec.seed ?? 1);
    this.used.clear();
  }

  get(): FaultSpec {
    return this.spec;
  }

  /** Draws whether this request fails with a 500. */
  shouldFail(routeKey: string, origin: Origin): boolean {
    const rate = this.spec.errorRate ?? 0;
    if (rate <= 0) return false;
    if (this.spec.errorRoutes ? !this.spec.errorRoutes.includes(routeKey) : origin === 'storage') return false;
    return this.rnd() < rate;
  }

  refusesTokens(origin: Origin): boolean {
    return this.spec.unauthorizedOrigins?.includes(origin) ?? false;
  }

  shouldHang(routeKey: string): boolean {
    return this.spec.hangRoutes?.includes(routeKey) ?? false;
  }

  /** The fault for this download of a file, if any; counts it as used. */
  bodyFault(target: FaultTarget, bodyLength: number): BodyFault | null {
    const candidates: Array<{ key: string; kind: 'reset' | 'stall'; after: number | string; times?: number }> = [];
    const s = target.scenarioFault;
    if (s && this.spec.scenarioFaults !== false) {
      candidates.push({ key: `scenario:${target.driveId}:${target.id}`, kind: s.kind, after: s.after, times: s.times });
    }
    const add = (list: FileFault[] | undefined, kind: 'reset' | 'stall'): void => {
      list?.forEach((f, i) => {
        if (f.drive !== undefined && f.drive !== target.driveId) return;
        const match = typeof f.file === 'number' ? f.file === target.id : f.file === target.path();
        if (match) candidates.push({ key: `${kind}:${i}`, kind, after: f.afterBytes, times: f.times });
      });
    };
    add(this.spec.resets, 'reset');
    add(this.spec.stalls, 'stall');
    for (const c of candidates) {
      const afterBytes = parseOffset(c.after, target.size);
      if (afterBytes >= bodyLength) continue;
      if (c.times !== undefined) {
        const left = this.used.get(c.key) ?? c.times;
        if (left <= 0) continue;
        this.used.set(c.key, left - 1);
      }
      return { kind: c.kind, afterBytes };
    }
    return null;
  }
}
