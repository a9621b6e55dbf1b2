/**
 * Per-token rate limit: a sliding window (one minute by default; tests may shorten it to run a
 * "60 per minute" case quickly). The real API documents 60 requests per minute, with lower limits
 * on some routes [seen]; `routes` adds such a limit per route key, on top of the overall one.
 * Over a limit: 429 with Retry-After (seconds) [seen in clients]; X-RateLimit-Limit/Remaining/Reset
 * (epoch seconds) are a [guess] modelled on what desktop-kDrive reads.
 */
export interface RateDecision {
  ok: boolean;
  headers: Record<string, string>;
  retryAfter: number;
}

export interface RateLimitSpec {
  /** Requests per window per token; null: no overall limit. */
  perWindow: number | null;
  /** Window length in ms (default 60 000). */
  windowMs?: number;
  /** Lower limits for single route keys ("POST /3/drive/{drive}/files/archives"), per token and window. */
  routes?: Record<string, number>;
}

const MINUTE_MS = 60_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private spec: Required<RateLimitSpec>;

  constructor(spec: RateLimitSpec) {
    this.spec = { windowMs: MINUTE_MS, routes: {}, ...spec };
  }

  set(spec: RateLimitSpec): void {
    this.spec = { windowMs: MINUTE_MS, routes: {}, ...spec };
    this.hits.clear();
  }

  get limit(): number | null {
    return this.spec.perWindow;
  }

  reset(): void {
    this.hits.clear();
  }

  /** Counts one request of `key` (the token) on `route`; null when no limit applies. */
  check(key: string, nowMs: number, route = ''): RateDecision | null {
    const routeLimit = this.spec.routes[route];
    const overall = this.spec.perWindow;
    if (overall === null && routeLimit === undefined) return null;
    const lists: Array<{ list: number[]; limit: number }> = [];
    if (overall !== null) lists.push({ list: this.window(key, nowMs), limit: overall });
    if (routeLimit !== undefined) lists.push({ list: this.window(`${key} ${route}`, nowMs), limit: routeLimit });
    const full = lists.find((l) => l.list.length >= l.limit);
    if (full) {
      const resetMs = (full.list[0] ?? nowMs) + this.spec.windowMs;
      return {
        ok: false,
        retryAfter: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)),
        headers: headers(full.limit, 0, resetMs),
      };
    }
    for (const l of lists) l.list.push(nowMs);
    // The headers describe the tightest limit that applies.
    const tight = lists.reduce((a, b) => (b.limit - b.list.length < a.limit - a.list.length ? b : a));
    return {
      ok: true,
      retryAfter: 0,
      headers: headers(tight.limit, tight.limit - tight.list.length, (tight.list[0] ?? nowMs) + this.spec.windowMs),
    };
  }

  private window(key: string, nowMs: number): number[] {
    let list = this.hits.get(key);
    if (!list) {
      list = [];
      this.hits.set(key, list);
    }
    while (list.length > 0 && (list[0] ?? 0) <= nowMs - this.spec.windowMs) list.shift();
    return list;
  }
}

function headers(limit: number, remaining: number, resetMs: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
  };
}
