/**
 * `npm run host -- [--port N] [--data-dir DIR] [--downloads-dir DIR] [--lang en|de] [--demo] [--sync-now [--verbose]]`
 * Runs the app's main services in plain Node and serves the built renderer to a browser on
 * 127.0.0.1. Prints one line `host: <url>` with the URL to open. With --sync-now: syncs, prints
 * one summary line and exits 0/1/2 (main/sync/sync-now.ts); the log goes to
 * `<data-dir>/sync-now.log` (or --log-file), and to stderr only with --verbose.
 */
import { createApp } from '../app';
import type { App } from '../app';
import { installLastResort } from '../last-resort';
import { exitOnSignals } from '../shutdown';
import { syncNowHeadless } from '../sync/sync-now';
import { createHostPlatform, parseHostArgs } from './platform';
import { startHostServer } from './server';

async function main(): Promise<void> {
  let args;
  try {
    args = parseHostArgs(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1); // 2 means "needs attention" for --sync-now
  }
  const platform = createHostPlatform(args);
  // An error nothing caught is logged (scrubbed), fails its job, and the host keeps serving (issue 25.1).
  let app: App | null = null;
  installLastResort(process, { log: platform.log, redact: (text) => app?.secrets.redact(text) ?? text });
  app = await createApp(platform, { isTrustedSender: (ctx) => ctx.transport === 'websocket' });
  if (args.syncNow) {
    const code = await syncNowHeadless(app.sync, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
    await app.dispose();
    process.exit(code);
  }
  app.sync.startSchedule();
  const server = await startHostServer({
    router: app.router,
    bus: app.bus,
    rendererDir: args.rendererDir,
    port: args.port,
    log: platform.log,
    drag: app.drag,
  });
  app.secrets.hold(server.secret);
  if (server.issueDragLink) app.drag.useLinks(server.issueDragLink);
  if (args.demo) {
    await app.connections.startDemo().catch((error: unknown) => {
      platform.log(`demo: could not start: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  process.stdout.write(`host: ${server.url}\n`);

  // SIGINT/SIGTERM: close the server, wait (at most 3 s) for transfers to be saved, then exit.
  exitOnSignals(process, { close: () => server.close(), dispose: () => app.dispose() }, platform.log);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `host: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
