/**
 * The link emulator (bench/lib/link.ts) in a process of its own:
 *
 *   node --import tsx bench/workers/link.ts '{"target":{"host":"127.0.0.1","port":1234},"rateBitsPerSecond":1e9,"rttMs":10}'
 *
 * Prints `READY <port>` once it listens on 127.0.0.1, then relays until it gets SIGTERM.
 */
import { relay, type LinkOptions } from '../lib/link';

const options = JSON.parse(process.argv[2] ?? '{}') as LinkOptions;
const link = await relay(options);
process.stdout.write(`READY ${link.port}\n`);
process.on('SIGTERM', () => {
  void link.close().then(() => process.exit(0));
});
