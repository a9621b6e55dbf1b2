/**
 * Node's own receive floor for the download case: one bare `tls.connect` socket in a process of its
 * own sends the GET and counts the body bytes, then throws them away (no HTTP library, no file, no
 * app code). A Node program that receives through node:tls cannot be faster on this machine, so the
 * ratio of this side to curl says how much of ours-versus-curl is the runtime, and ours-versus-this
 * how much is ours.
 *
 *   BENCH_TOKEN=… NODE_EXTRA_CA_CERTS=… node --import tsx bench/workers/tls-floor.ts '<url>'
 *
 * The last stdout line is `RESULT {"ms":…,"bytes":…,"status":…}`; ms runs from before the
 * connection (as curl's time_total) to the last body byte. Content-Length framing only (the
 * simulator's direct download sends it).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { connect } from 'node:tls';

export interface FloorOutput {
  ms: number;
  bytes: number;
  status: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

/** Status and Content-Length of a response head, or an error for anything this floor cannot frame. */
export function parseHead(head: string): { status: number; length: number } {
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
  const length = Number(/\r\ncontent-length:\s*(\d+)\r\n/i.exec(`${head}\r\n`)?.[1]);
  if (!Number.isInteger(status)) throw new Error('no HTTP/1.1 status line');
  if (/\r\ntransfer-encoding:/i.test(head)) throw new Error('chunked body: only Content-Length framing is measured');
  if (!Number.isSafeInteger(length)) throw new Error('no Content-Length');
  return { status, length };
}

function download(target: URL, token: string, ca: string | undefined): Promise<FloorOutput> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const socket = connect({
      host: target.hostname,
      port: Number(target.port || 443),
      servername: /^[\d.]+$/.test(target.hostname) ? undefined : target.hostname,
      ...(ca ? { ca } : {}),
    });
    let head: Buffer | null = Buffer.alloc(0);
    let status = 0;
    let length = 0;
    let bytes = 0;
    const done = (): void => {
      const ms = performance.now() - start;
      socket.destroy();
      resolve({ ms, bytes, status });
    };
    socket.once('secureConnect', () => {
      const path = `${target.pathname}${target.search}`;
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: Bearer ${token}\r\n` +
          'Accept-Encoding: identity\r\nConnection: close\r\n\r\n',
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf(HEAD_END);
        if (end < 0) {
          if (head.length > MAX_HEAD) reject(new Error('response head too large'));
          return;
        }
        try {
          ({ status, length } = parseHead(head.subarray(0, end).toString('latin1')));
        } catch (error) {
          socket.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        bytes = head.length - end - HEAD_END.length;
        head = null;
      } else {
        bytes += chunk.length;
      }
      if (bytes >= length) done();
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${bytes} of ${length} body bytes`)));
  });
}

async function main(): Promise<FloorOutput> {
  const url = process.argv[2];
  const token = process.env['BENCH_TOKEN'];
  if (!url || !token) throw new Error('usage: BENCH_TOKEN=… tls-floor.ts <url>');
  const caPath = process.env['NODE_EXTRA_CA_CERTS'];
  return download(new URL(url), token, caPath ? readFileSync(caPath, 'utf8') : undefined);
}

if (process.argv[1]?.endsWith('tls-floor.ts')) {
  main().then(
    (output) => {
      process.stdout.write(`RESULT ${JSON.stringify(output)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`tls floor: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
