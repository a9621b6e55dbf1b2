/**
 * Per-token rate limit: a sliding window of one minute. Over the limit: 429 with Retry-After
 * (seconds) [seen in clients]; X-RateLimit-Limit/Remaining/Reset headers are a [guess].
 */
export interface RateDecision {
  ok: boolean;
  headers: Record<string, string>;
  retryAfter: number;
}

const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private perMinute: number | null) {}

  set(perMinute: number | null): void {
    this.perMinute = perMinute;
    this.hits.clear();
  }

  get limit(): number | null {
    return this.perMinute;
  }

  reset(): void {
    this.hits.clear();
  }

  check(key: string, nowMs: number): RateDecision | null {
    const limit = this.perMinute;
    if (limit === null) return null;
    let list = this.hits.get(key);
    if (!list) {
      list = [];
      this.hits.set(key, list);
    }
    while (list.length > 0 && (list[0] ?? 0) <= nowMs - WINDOW_MS) list.shift();
    const oldest = list[0] ?? nowMs;
    const resetMs = oldest + WINDOW_MS;
    if (list.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil((resetMs - nowMs) / 1000));
      return {
        ok: false,
        retryAfter,
        headers: {
          'x-ratelimit-limit': String(limit),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
        },
      };
    }
    list.push(nowMs);
    return {
      ok: true,
      retryAfter: 0,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(limit - list.length),
        'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      },
    };
  }
}
