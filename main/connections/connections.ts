/**
 * Connections: add (validate, then store), replace token, remove, and the one Infomaniak client per
 * connection. The plain token lives here and in that client only; nothing returned or emitted
 * carries it.
 */
import { randomUUID } from 'node:crypto';
import { AppFailure, failWith } from '../../shared/model/errors';
import { failure } from '../errors/app-error';
import type { AppError } from '../../shared/model/errors';
import { connectionSchema } from '../../shared/model/connection';
import type { Connection, ServiceAvailability, ServiceId, ValidationProgress } from '../../shared/model/connection';
import { DEFAULT_ENDPOINTS } from '../infomaniak/types';
import { inLane } from '../infomaniak/lanes';
import { notifyOrigin } from '../infomaniak/endpoints';
import type { Endpoints, InfomaniakApi, ApiHost } from '../infomaniak/types';
import type { KeyValueStore } from '../settings/store';
import type { Vault } from './vault';
import { TokenCheck } from './token-check';
import { VALIDATION_RETRY, validateToken } from './validation';
import type { ValidationOutcome } from './validation';

/** Where a connection's requests go and which extra CA its client trusts. */
export interface ConnectionTarget {
  endpoints: Endpoints;
  ca: string[];
}

export interface ClientFactoryOptions extends ConnectionTarget {
  token: string;
  onUnauthorized: () => void;
  /** The client's retries, when not its default (the token check fails fast: `VALIDATION_RETRY`). */
  retry?: { limit: number; backoffMs: number };
}

export interface DemoProvider {
  /** Starts the embedded simulator once (idempotent) and returns where it listens and its demo token. */
  start(): Promise<ConnectionTarget & { token: string }>;
  stop(): Promise<void>;
}

/** A client the service can release (its connection pool) when it is dropped. */
export type ConnectionClient = InfomaniakApi & { close?(): Promise<void> };

export interface ConnectionsDeps {
  store: KeyValueStore;
  vault: Vault;
  /** The target for ordinary connections (real hosts, or INFOMANIAK_*_URL overrides). */
  target: ConnectionTarget;
  demo: DemoProvider | null;
  createClient: (options: ClientFactoryOptions) => ConnectionClient;
  onChange: (connections: Connection[]) => void;
  onProgress: (progress: ValidationProgress) => void;
  log: (line: string) => void;
  now?: () => number;
}

type ConnectionRecord = Connection;

const KEY = 'connections';
const MAX_LABEL = 500;
const SERVICE_HOSTS: readonly ApiHost[] = ['api', 'calendar', 'contacts', 'mail', 'notify'];

export class Connections {
  #deps: ConnectionsDeps;
  #clients = new Map<string, Promise<ConnectionClient>>();
  #invalidated = new Set<(connectionId: string) => void>();

  #tokenCheck: TokenCheck;

  constructor(deps: ConnectionsDeps) {
    this.#deps = deps;
    this.#tokenCheck = new TokenCheck({ log: deps.log, now: () => this.#now() });
  }

  list(): Connection[] {
    return this.#records();
  }

  get(id: string): Connection {
    const record = this.#records().find((c) => c.id === id);
    if (!record) throw failWith('not_found', 'connection_gone', 'This connection no longer exists.');
    return record;
  }

  /** Listeners told when a connection's client is dropped (token replaced, removed, revoked). */
  onInvalidated(listener: (connectionId: string) => void): () => void {
    this.#invalidated.add(listener);
    return () => this.#invalidated.delete(listener);
  }

  async add(token: string, attemptId: string, allowWeakStorage = false): Promise<Connection> {
    await this.#deps.vault.assertStorable(allowWeakStorage);
    const outcome = await this.#validate(token, attemptId, this.#deps.target);
    return this.#persistNew(outcome, token, { demo: false, allowWeak: allowWeakStorage });
  }

  async startDemo(): Promise<Connection> {
    const demo = this.#deps.demo;
    if (!demo) throw failWith('unavailable', 'demo_missing', 'The demo is not available in this build.');
    const existing = this.#records().find((c) => c.demo);
    if (existing) return existing;
    const target = await demo.start();
    const outcome = await this.#validate(target.token, `demo-${randomUUID()}`, target);
    // The demo token is not a secret (it only opens the local simulator), so weak storage is fine.
    return this.#persistNew(outcome, target.token, { demo: true, allowWeak: true });
  }

  async replaceToken(id: string, token: string, attemptId: string, allowWeakStorage = false): Promise<Connection> {
    const current = this.get(id);
    await this.#deps.vault.assertStorable(allowWeakStorage || current.demo);
    const target = current.demo ? await this.#demoTarget() : this.#deps.target;
    const outcome = await this.#validate(token, attemptId, target);
    await this.#deps.vault.put(id, token, allowWeakStorage || current.demo);
    this.#dropClient(id);
    const now = this.#now();
    const { problem: _problem, ...rest } = current;
    const updated: ConnectionRecord = {
      ...rest,
      // A token pasted for the current addresses confirms them.
      ...(current.demo ? {} : { endpoints: { ...this.#deps.target.endpoints } }),
      label: outcome.label.slice(0, MAX_LABEL),
      accountIds: outcome.accountIds,
      accounts: outcome.accounts,
      grantedScopes: outcome.grantedScopes,
      services: outcome.services,
      status: 'active',
      updatedAt: now,
    };
    this.#save(this.#records().map((c) => (c.id === id ? updated : c)));
    this.#deps.log(`connection ${id}: token replaced`);
    return updated;
  }

  async remove(id: string): Promise<void> {
    const records = this.#records();
    if (!records.some((c) => c.id === id))
      throw failWith('not_found', 'connection_gone', 'This connection no longer exists.');
    this.#deps.vault.delete(id);
    this.#dropClient(id);
    this.#save(records.filter((c) => c.id !== id));
    this.#deps.log(`connection ${id}: removed`);
  }

  /** The client for a connection, created on first use from the vault. */
  client(id: string): Promise<InfomaniakApi> {
    const existing = this.#clients.get(id);
    if (existing) return existing;
    const created = this.#createClient(id);
    this.#clients.set(id, created);
    created.catch(() => this.#clients.delete(id));
    return created;
  }

  /** Mark a connection as needing attention (e.g. a 401 later on). */
  markNeedsAttention(id: string, problem: AppError): void {
    const records = this.#records();
    const current = records.find((c) => c.id === id);
    if (!current || (current.status === 'needs_attention' && current.problem?.code === problem.code)) return;
    this.#dropClient(id);
    this.#save(
      records.map((c) => (c.id === id ? { ...c, status: 'needs_attention', problem, updatedAt: this.#now() } : c)),
    );
    this.#deps.log(`connection ${id}: needs attention (${problem.code})`);
  }

  /**
   * At start: every connection validated for other addresses than the app's current ones
   * (INFOMANIAK_*_URL) needs attention, and its client refuses to exist, until confirmEndpoints.
   */
  checkEndpoints(): void {
    for (const c of this.#records()) {
      const problem = this.#endpointsProblem(c);
      if (problem) this.markNeedsAttention(c.id, problem);
    }
  }

  /** The user agreed that this connection's token may go to the app's current addresses. */
  confirmEndpoints(id: string): Connection {
    const current = this.get(id);
    const { problem, ...rest } = current;
    const keep = problem && problem.code !== 'endpoints_changed' ? { problem } : null;
    const updated: ConnectionRecord = {
      ...rest,
      ...(keep ?? {}),
      ...(current.demo ? {} : { endpoints: { ...this.#deps.target.endpoints } }),
      status: keep ? current.status : 'active',
      updatedAt: this.#now(),
    };
    this.#save(this.#records().map((c) => (c.id === id ? updated : c)));
    this.#deps.log(`connection ${id}: new endpoints confirmed (${this.#deps.target.endpoints.api})`);
    return updated;
  }

  /** The problem when the connection's stored endpoints are not the app's current ones; null when they are. */
  #endpointsProblem(c: Connection): AppError | null {
    if (c.demo) return null;
    // Records older than the endpoints field were made for the real hosts (overrides were for tests).
    // A record without `notify` was made for the notify host its api host implies (notifyOrigin).
    const before = c.endpoints ?? DEFAULT_ENDPOINTS;
    const stored = { ...before, notify: notifyOrigin(before) };
    const current = { ...this.#deps.target.endpoints, notify: notifyOrigin(this.#deps.target.endpoints) };
    // A notify host that is gone only means no long-poll: nothing goes anywhere new.
    const changed = SERVICE_HOSTS.filter((h) => stored[h] !== current[h] && current[h] !== undefined);
    if (changed.length === 0) return null;
    const list = changed.map((h) => `${h}: ${stored[h]} → ${current[h]}`).join('; ');
    return {
      code: 'endpoints_changed',
      message: `This connection was set up for other Infomaniak addresses than the app uses now (${list}), for example through INFOMANIAK_*_URL. Nothing is sent with its token until you confirm the new addresses in Connections.`,
      params: { list: changed.map((h) => `${h}: ${stored[h]} → ${current[h]}`) },
    };
  }

  serviceAvailability(id: string, service: ServiceId): ServiceAvailability {
    return this.get(id).services[service];
  }

  async dispose(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(
      clients.map((c) =>
        c.then(
          (client) => client.close?.(),
          () => undefined,
        ),
      ),
    );
    await this.#deps.demo?.stop();
  }

  async #createClient(id: string): Promise<ConnectionClient> {
    const connection = this.get(id);
    const changed = this.#endpointsProblem(connection);
    if (changed) {
      // Nothing is sent with this token (not even a resuming transfer) until the user confirms.
      this.markNeedsAttention(id, changed);
      throw failure(changed);
    }
    let token: string;
    try {
      token = await this.#deps.vault.get(id);
    } catch (error) {
      if (error instanceof AppFailure) this.markNeedsAttention(id, error.toAppError());
      throw error;
    }
    const target = connection.demo ? await this.#demoTarget() : this.#deps.target;
    return this.#deps.createClient({
      ...target,
      token,
      // A 401 from any host leads to a re-check of /1/accounts; only its 401 marks the connection.
      onUnauthorized: () =>
        this.#tokenCheck.after401(id, this.#clients.get(id), () =>
          this.markNeedsAttention(id, {
            code: 'token_invalid',
            message: 'Infomaniak no longer accepts this token (revoked or expired). Replace the token to continue.',
          }),
        ),
    });
  }

  async #demoTarget(): Promise<ConnectionTarget> {
    if (!this.#deps.demo) throw failWith('unavailable', 'demo_missing', 'The demo is not available in this build.');
    const { endpoints, ca } = await this.#deps.demo.start();
    return { endpoints, ca };
  }

  async #validate(token: string, attemptId: string, target: ConnectionTarget): Promise<ValidationOutcome> {
    // A throwaway client: nothing about it outlives validation, and a 401 here marks nothing.
    const client = this.#deps.createClient({ ...target, token, onUnauthorized: () => {}, retry: VALIDATION_RETRY });
    try {
      // Token validation is interactive: the user waits for it (issue 22.2).
      return await validateToken(inLane(client, 'interactive'), (step, state, note) =>
        this.#deps.onProgress(note === undefined ? { attemptId, step, state } : { attemptId, step, state, note }),
      );
    } finally {
      await client.close?.();
    }
  }

  async #persistNew(
    outcome: ValidationOutcome,
    token: string,
    { demo, allowWeak }: { demo: boolean; allowWeak: boolean },
  ): Promise<Connection> {
    const id = randomUUID();
    const now = this.#now();
    const record: ConnectionRecord = {
      id,
      label: (demo ? `${outcome.label} (Demo)` : outcome.label).slice(0, MAX_LABEL),
      status: 'active',
      grantedScopes: outcome.grantedScopes,
      accountIds: outcome.accountIds,
      accounts: outcome.accounts,
      services: outcome.services,
      // The demo's simulator moves every run; its target comes from the demo provider.
      ...(demo ? {} : { endpoints: { ...this.#deps.target.endpoints } }),
      demo,
      createdAt: now,
      updatedAt: now,
    };
    await this.#deps.vault.put(id, token, allowWeak);
    try {
      this.#save([...this.#records(), record]);
    } catch (error) {
      this.#deps.vault.delete(id);
      throw error;
    }
    this.#deps.log(`connection ${id}: added (${outcome.accountIds.length} accounts${demo ? ', demo' : ''})`);
    return record;
  }

  #dropClient(id: string): void {
    const dropped = this.#clients.get(id);
    this.#clients.delete(id);
    this.#tokenCheck.forget(id);
    void dropped?.then(
      (client) => client.close?.(),
      () => undefined,
    );
    for (const listener of this.#invalidated) listener(id);
  }

  /** Stored records that still have the shape the app needs; a damaged entry is skipped, not fatal. */
  #records(): ConnectionRecord[] {
    const raw = this.#deps.store.get(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((r) => {
      const parsed = connectionSchema.safeParse(r);
      return parsed.success ? [parsed.data] : [];
    });
  }

  #save(records: ConnectionRecord[]): void {
    this.#deps.store.set(KEY, records);
    this.#deps.onChange(records);
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }
}
