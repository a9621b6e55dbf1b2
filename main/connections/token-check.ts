/**
 * What a 401 means (issue 9.3). The calendar, contacts and mail hosts answer personal tokens
 * differently from the API host, so a 401 from any request is only a reason to ask the API host:
 * the connection needs attention only when `GET /1/accounts` itself answers 401. One re-check at a
 * time per connection, and none within `quietMs` of a re-check that found the token accepted (a
 * service host that always says 401 must not spend the token's 60 requests a minute).
 */
import { appErrorFrom } from '../errors/app-error';
import type { InfomaniakApi } from '../infomaniak/types';

export interface TokenCheckOptions {
  quietMs?: number;
  now?: () => number;
  log: (line: string) => void;
}

export class TokenCheck {
  #running = new Set<string>();
  #acceptedAt = new Map<string, number>();
  #quietMs: number;
  #now: () => number;
  #log: (line: string) => void;

  constructor(options: TokenCheckOptions) {
    this.#quietMs = options.quietMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.log;
  }

  /**
   * After a 401 on connection `id`: asks `/1/accounts` with the same client and calls `onRefused`
   * only when that answers 401 too. Returns at once; the check runs in the background.
   */
  after401(id: string, client: Promise<InfomaniakApi> | undefined, onRefused: () => void): void {
    if (!client || this.#running.has(id)) return;
    const accepted = this.#acceptedAt.get(id);
    if (accepted !== undefined && this.#now() - accepted < this.#quietMs) return;
    this.#running.add(id);
    void client
      .then((c) => c.get<unknown>('api', '/1/accounts', { lane: 'interactive' }))
      .then(
        () => {
          this.#acceptedAt.set(id, this.#now());
          this.#log(`connection ${id}: a service host answered 401, but /1/accounts accepts the token; kept active`);
        },
        (error: unknown) => {
          if (appErrorFrom(error).code === 'token_invalid') onRefused();
        },
      )
      .finally(() => this.#running.delete(id));
  }

  /** Forget a connection's state (token replaced or connection removed). */
  forget(id: string): void {
    this.#acceptedAt.delete(id);
  }
}
