/**
 * A crafted zip for tests of hostile archives: entry names are written byte for byte (yazl refuses
 * "..", absolute paths and drive letters, which is exactly what such a test needs to send), links
 * are entries with the Unix mode S_IFLNK and the target as content. Stored (no compression), with
 * CRC-32, UTF-8 names (flag bit 11), made by "Unix" so the mode in the external attributes counts.
 * Small by design: the whole zip is built in memory.
 */
import { crc32 } from 'node:zlib';

export interface CraftedEntry {
  /** The entry name exactly as it goes into the archive ("../x", "C:\\x", "a/"). */
  name: string;
  /** File content (UTF-8 text or bytes); for a link, its target. */
  content?: string | Uint8Array;
  /** A symbolic link entry. */
  symlink?: boolean;
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

export function craftZip(entries: CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = bytesOf(entry.content);
    const crc = crc32(data);
    const mode = entry.symlink ? S_IFLNK : entry.name.endsWith('/') ? S_IFDIR : S_IFREG;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
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
