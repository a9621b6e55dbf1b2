import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, channels, EVENT_NAMES, events, MAX_CALENDAR_WINDOWS } from '../../shared/ipc/contract';
import { AppFailure } from '../../shared/model/errors';
import { createEventBus, createRouter } from './router';
import type { CallContext, Handlers } from './router';

const ctx: CallContext = { senderUrl: 'app://renderer/index.html', transport: 'electron' };

/** Handlers that record calls; every channel gets one. */
function recordingHandlers() {
  const calls: Array<[string, unknown]> = [];
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [
      name,
      (arg: unknown) => {
        calls.push([name, arg]);
        return `handled ${name}`;
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

describe('the IPC contract', () => {
  it('lists exactly the channels and events it declares', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(channels).sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
    for (const name of CHANNEL_NAMES) expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });
});

describe('createRouter', () => {
  it('dispatches every channel to exactly its own handler', async () => {
    const { handlers, calls } = recordingHandlers();
    const router = createRouter(handlers, { isTrustedSender: () => true });
    for (const name of CHANNEL_NAMES) {
      // Channels that take no argument accept undefined; others are refused before any handler runs.
      const result = await router.dispatch(name, undefined, ctx);
      if (result.ok) expect(result.value).toBe(`handled ${name}`);
    }
    const called = calls.map(([n]) => n);
    expect(new Set(called).size).toBe(called.length);
    expect(called.length).toBeGreaterThan(5);
  });

  it('refuses a malformed argument with a validation error and never calls the service', async () => {
    const service = vi.fn();
    const { handlers } = recordingHandlers();
    handlers['connections:add'] = service;
    const router = createRouter(handlers, { isTrustedSender: () => true });
    for (const bad of [
      undefined,
      null,
      'token',
      { token: 42, attemptId: 'a' },
      { token: 'abc def ghi', attemptId: 'a' },
      { token: 'x'.repeat(20), attemptId: 'a', extra: 1 },
    ]) {
      const result = await router.dispatch('connections:add', bad, ctx);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('validation');
    }
    expect(service).not.toHaveBeenCalled();
  });

  it('refuses an oversize collection (calendarWindows beyond its maximum) as data, without calling the service', async () => {
    const { handlers, calls } = recordingHandlers();
    const router = createRouter(handlers, { isTrustedSender: () => true });
    const calendarWindows = Object.fromEntries(
      Array.from({ length: MAX_CALENDAR_WINDOWS + 1 }, (_, i) => [`cal-${i}`, { daysBack: 1, daysAhead: 1 }]),
    );
    const result = await router.dispatch('settings:set', { calendarWindows }, ctx);
    expect(result).toEqual({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('At most'), details: { path: 'calendarWindows' } },
    });
    expect(calls).toEqual([]);
  });

  it('never lets the renderer choose where files are written', async () => {
    const { handlers, calls } = recordingHandlers();
    const router = createRouter(handlers, { isTrustedSender: () => true });
    const setDir = await router.dispatch('settings:set', { downloadsDir: '/etc' }, ctx);
    const download = await router.dispatch('transfers:download', { nodeIds: ['n'], targetDir: '/etc' }, ctx);
    expect([setDir, download]).toMatchObject([
      { ok: false, error: { code: 'validation' } },
      { ok: false, error: { code: 'validation' } },
    ]);
    expect(calls).toHaveLength(0);
  });

  it('passes the parsed (trimmed) argument to the handler', async () => {
    const service = vi.fn(async () => ({ id: 'c1' }));
    const { handlers } = recordingHandlers();
    handlers['connections:add'] = service as unknown as Handlers['connections:add'];
    const router = createRouter(handlers, { isTrustedSender: () => true });
    const result = await router.dispatch('connections:add', { token: '  abcdefghijkl  ', attemptId: 'a1' }, ctx);
    expect(result).toEqual({ ok: true, value: { id: 'c1' } });
    expect(service).toHaveBeenCalledWith({ token: 'abcdefghijkl', attemptId: 'a1' }, ctx);
  });

  it('turns a thrown AppFailure into error data, and anything else into `internal` without details', async () => {
    const onInternalError = vi.fn();
    const { handlers } = recordingHandlers();
    handlers['connections:list'] = () => {
      throw new AppFailure('token_invalid', 'refused', { status: 401 });
    };
    handlers['settings:get'] = () => {
      throw new TypeError('secret internals at /home/x');
    };
    const router = createRouter(handlers, { isTrustedSender: () => true, onInternalError });
    expect(await router.dispatch('connections:list', undefined, ctx)).toEqual({
      ok: false,
      error: { code: 'token_invalid', message: 'refused', details: { status: 401 } },
    });
    const internal = await router.dispatch('settings:get', undefined, ctx);
    expect(internal.ok).toBe(false);
    if (!internal.ok) {
      expect(internal.error.code).toBe('internal');
      expect(internal.error.message).not.toContain('secret internals');
    }
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('refuses untrusted senders before parsing or calling anything', async () => {
    const { handlers, calls } = recordingHandlers();
    const isTrustedSender = vi.fn((c: CallContext) => c.senderUrl.startsWith('app://renderer/'));
    const router = createRouter(handlers, { isTrustedSender });
    const result = await router.dispatch('settings:get', undefined, {
      senderUrl: 'https://evil.example/',
      transport: 'electron',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
    expect(calls).toHaveLength(0);
  });

  it('refuses unknown channels, including prototype keys', async () => {
    const { handlers, calls } = recordingHandlers();
    const router = createRouter(handlers, { isTrustedSender: () => true });
    for (const name of ['nope:nothing', '__proto__', 'constructor', 'toString']) {
      expect(await router.dispatch(name, undefined, ctx)).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    expect(calls).toHaveLength(0);
  });
});

describe('createEventBus', () => {
  it('delivers events to subscribers until they unsubscribe', () => {
    const bus = createEventBus();
    const seen: unknown[] = [];
    const off = bus.subscribe((event, payload) => seen.push([event, payload]));
    bus.emit('transfers:changed', { changed: [], removed: [] });
    off();
    bus.emit('transfers:changed', { changed: [], removed: [] });
    expect(seen).toEqual([['transfers:changed', { changed: [], removed: [] }]]);
  });
});
