/**
 * A crafted zip for tests of hostile archives: entry names are written byte for byte (yazl refuses
 * "..", absolute paths and drive letters, which is exactly what such a test needs to send), links
 * are entries with the Unix mode S_IFLNK and the target as content. Stored or deflated, with
 * CRC-32, UTF-8 names (flag bit 11), made by "Unix" so the mode in the external attributes counts.
 * Hostile on request: a "bomb" (`zeros` deflated: about 1000:1), a broken local header or broken
 * deflate data. The zip is built in memory (a 1 GiB bomb is about 1 MiB).
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface CraftedEntry {
  /** The entry name exactly as it goes into the archive ("../x", "C:\\x", "a/"). */
  name: string;
  /** File content (UTF-8 text or bytes); for a link, its target. */
  content?: string | Uint8Array;
  /** Content of this many zero bytes instead (deflated, it is a zip bomb: about 1000:1). */
  zeros?: number;
  /** A symbolic link entry. */
  symlink?: boolean;
  /** Compress the content with deflate (method 8) instead of storing it. */
  deflate?: boolean;
  /**
   * Damage the entry: its local header's signature, its (deflated) data, or its record in the
   * central directory (a reader stops there: this entry and those after it cannot be listed).
   */
  corrupt?: 'header' | 'data' | 'central';
  /** The uncompressed size the headers claim, when it is to lie (deflated entries). */
  claim?: number;
}

const S_IFREG = 0o100644;
const S_IFDIR = 0o040755;
const S_IFLNK = 0o120777;
/** 2026-01-01 12:00:00 in DOS format. */
const DOS_TIME = (12 << 11) | (0 << 5) | 0;
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;

function bytesOf(content: string | Uint8Array | undefined): Buffer {
  if (content === undefined) return Buffer.alloc(0);
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
}

const MiB = 1024 * 1024;

/**
 * `size` zero bytes, deflated without holding them: each MiB is one flushed (byte-aligned, not
 * final) run of deflate blocks that refers to nothing before it, so the runs can be repeated; an
 * empty final block ends the stream.
 */
function deflatedZeros(size: number): { data: Buffer; crc: number } {
  const whole = Math.floor(size / MiB);
  const rest = size % MiB;
  const mib = Buffer.alloc(Math.min(size, MiB));
  const run = deflateRawSync(mib, { finishFlush: constants.Z_SYNC_FLUSH });
  const parts: Buffer[] = [];
  let crc = 0;
  for (let i = 0; i < whole; i++) {
    parts.push(run);
    crc = crc32(mib, crc);
  }
  if (rest > 0) {
    parts.push(deflateRawSync(mib.subarray(0, rest), { finishFlush: constants.Z_SYNC_FLUSH }));
    crc = crc32(mib.subarray(0, rest), crc);
  }
  parts.push(Buffer.from([0x03, 0x00])); // final block, fixed Huffman, end of block
  return { data: Buffer.concat(parts), crc };
}

interface Packed {
  data: Buffer;
  crc: number;
  size: number;
  method: 0 | 8;
}

function pack(entry: CraftedEntry): Packed {
  if (entry.zeros !== undefined) {
    const { data, crc } = deflatedZeros(entry.zeros);
    return { data, crc, size: entry.zeros, method: 8 };
  }
  const raw = bytesOf(entry.content);
  const crc = crc32(raw);
  if (!entry.deflate) return { data: raw, crc, size: raw.length, method: 0 };
  const data = deflateRawSync(raw);
  // Broken deflate data: a final block of the reserved type 3.
  if (entry.corrupt === 'data') data[0] = 0x07;
  return { data, crc, size: entry.claim ?? raw.length, method: 8 };
}

export function craftZip(entries: CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const { data, crc, size, method } = pack(entry);
    const mode = entry.symlink ? S_IFLNK : entry.name.endsWith('/') ? S_IFDIR : S_IFREG;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(entry.corrupt === 'header' ? 0x0badf00d : 0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(entry.corrupt === 'central' ? 0x0badf00d : 0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((mode << 16) | (entry.name.endsWith('/') ? 0x10 : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralBytes = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBytes, end]);
}
