/**
 * Tokens and scopes. A token is sent as "Authorization: Bearer <token>" [seen]. Unknown or revoked
 * tokens get 401 not_authorized [seen]; a missing scope gets all_scopes naming it [seen], as 403 [guess].
 */
import type { IncomingMessage } from 'node:http';
import { errors } from './envelope';

export interface TokenRecord {
  value: string;
  label?: string | undefined;
  scopes: string[];
  revoked: boolean;
  /** Account ids the token reaches; undefined = every account. */
  accounts?: number[] | undefined;
}

/** Scopes that stand in for another [seed/seen]: contacts answer to workspace:contact or contacts. */
const EQUIVALENT: Record<string, string[]> = {
  'workspace:contact': ['workspace:contact', 'contacts'],
};

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(initial: TokenRecord[]) {
    for (const t of initial) this.add(t);
  }

  add(t: TokenRecord): void {
    this.tokens.set(t.value, { ...t, scopes: [...t.scopes], revoked: t.revoked });
  }

  /** The live records (revoking one changes what this returns). */
  list(): TokenRecord[] {
    return [...this.tokens.values()];
  }

  setRevoked(value: string, revoked: boolean): void {
    const t = this.tokens.get(value);
    if (!t) throw new Error(`unknown token ${value}`);
    t.revoked = revoked;
  }

  /** The bearer string of a request, or null. */
  static bearer(req: IncomingMessage): string | null {
    const h = req.headers.authorization;
    if (!h) return null;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    return m ? (m[1] ?? null) : null;
  }

  /** The token of a request; throws 401 when absent, unknown or revoked. */
  authenticate(req: IncomingMessage): TokenRecord {
    const value = TokenStore.bearer(req);
    const t = value ? this.tokens.get(value) : undefined;
    if (!t || t.revoked) throw errors.notAuthorized();
    return t;
  }

  /** Authenticates and checks one scope; throws 401 or 403 all_scopes. */
  require(req: IncomingMessage, scope: string): TokenRecord {
    const t = this.authenticate(req);
    const accepted = EQUIVALENT[scope] ?? [scope];
    if (!accepted.some((s) => t.scopes.includes(s))) throw errors.missingScope(scope);
    return t;
  }
}

export function reachesAccount(t: TokenRecord, accountId: number): boolean {
  return t.accounts === undefined || t.accounts.includes(accountId);
}
