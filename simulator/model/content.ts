/**
 * File content: literal bytes, or deterministic pseudo-random bytes from (seed, size) with random
 * access. Generated content is an AES-128-CTR keystream (counter = offset / 16), so any byte range
 * is computed directly, a 10 GiB file costs no memory and hashes the same on every run.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { createXXHash3 } from 'hash-wasm';
import { pdfDocument, pngLandscape } from './media';

export const CHUNK = 64 * 1024;

export interface ContentSource {
  readonly size: number;
  /** Bytes [start, end) in chunks of at most 64 KiB, computed as they are pulled. */
  chunks(start: number, end: number): Iterable<Buffer>;
}

export class BufferContent implements ContentSource {
  private cached: Buffer | null = null;
  constructor(private readonly build: Buffer | (() => Buffer)) {}

  /** Whether the bytes exist yet (media are drawn on first use). */
  get built(): boolean {
    return this.cached !== null;
  }

  get bytes(): Buffer {
    this.cached ??= typeof this.build === 'function' ? this.build() : this.build;
    return this.cached;
  }

  get size(): number {
    return this.bytes.length;
  }

  *chunks(start: number, end: number): Iterable<Buffer> {
    const b = this.bytes;
    for (let o = start; o < end; o += CHUNK) yield b.subarray(o, Math.min(end, o + CHUNK));
  }
}

const ZEROS = Buffer.alloc(CHUNK + 16);

export class GeneratedContent implements ContentSource {
  private readonly key: Buffer;
  private readonly nonce: Buffer;

  constructor(
    readonly seed: string,
    readonly size: number,
  ) {
    const digest = createHash('sha256').update(`poweron-simulator/content/v1:${seed}`).digest();
    this.key = digest.subarray(0, 16);
    this.nonce = digest.subarray(16, 24);
  }

  *chunks(start: number, end: number): Iterable<Buffer> {
    end = Math.min(end, this.size);
    if (start >= end) return;
    const block = Math.floor(start / 16);
    const iv = Buffer.alloc(16);
    this.nonce.copy(iv, 0);
    iv.writeBigUInt64BE(BigInt(block), 8);
    const cipher = createCipheriv('aes-128-ctr', this.key, iv);
    let skip = start - block * 16;
    let pos = start;
    while (pos < end) {
      const n = Math.min(CHUNK, end - pos);
      const out = cipher.update(ZEROS.subarray(0, n + skip));
      yield skip ? out.subarray(skip) : out;
      skip = 0;
      pos += n;
    }
  }
}

export const EMPTY = new BufferContent(Buffer.alloc(0));

/** xxh3-64 of the content, as the API shows it: "xxh3:<16 hex>". Streams; never buffers the file. */
export async function xxh3Of(content: ContentSource): Promise<string> {
  const hasher = await createXXHash3();
  hasher.init();
  let n = 0;
  for (const chunk of content.chunks(0, content.size)) {
    hasher.update(chunk);
    // Yield to the event loop now and then so hashing a big file does not freeze every other request.
    if (++n % 64 === 0) await new Promise<void>((r) => setImmediate(r));
  }
  return `xxh3:${hasher.digest('hex')}`;
}

/**
 * The hash of a chunked upload [seen: the apps upload in chunks and the server's `xxh3:<hex>` is then
 * computed over the chunk hashes, not over the bytes]: xxh3 of each `chunkSize` slice, then xxh3
 * over the concatenated 8-byte digests [guess: the exact combination is not public]. Returns the
 * hex digest and the number of chunks.
 */
export async function xxh3ChunkedOf(
  content: ContentSource,
  chunkSize: number,
): Promise<{ hex: string; chunks: number }> {
  const outer = await createXXHash3();
  outer.init();
  const inner = await createXXHash3();
  let chunks = 0;
  for (let start = 0; start < content.size || chunks === 0; start += chunkSize) {
    inner.init();
    let n = 0;
    for (const piece of content.chunks(start, Math.min(content.size, start + chunkSize))) {
      inner.update(piece);
      if (++n % 64 === 0) await new Promise<void>((r) => setImmediate(r));
    }
    outer.update(inner.digest('binary'));
    chunks++;
  }
  return { hex: outer.digest('hex'), chunks };
}

export type ContentInput =
  | string
  | {
      text?: string | undefined;
      base64?: string | undefined;
      seed?: string | undefined;
      size?: number | string | undefined;
      image?: { width: number; height: number; seed: string } | undefined;
      pdf?: { title: string; text: string } | undefined;
    };

/** Builds the content source of a scenario file. `sizeOf` parses size strings. */
export function contentFrom(spec: ContentInput, sizeOf: (s: number | string) => number): ContentSource {
  if (typeof spec === 'string') return new BufferContent(Buffer.from(spec, 'utf8'));
  if (spec.text !== undefined) return new BufferContent(Buffer.from(spec.text, 'utf8'));
  if (spec.base64 !== undefined) return new BufferContent(Buffer.from(spec.base64, 'base64'));
  if (spec.seed !== undefined) return new GeneratedContent(spec.seed, sizeOf(spec.size ?? 0));
  if (spec.image) {
    const img = spec.image;
    return new BufferContent(() => pngLandscape(img.width, img.height, img.seed));
  }
  if (spec.pdf) {
    const pdf = spec.pdf;
    return new BufferContent(() => pdfDocument(pdf.title, pdf.text));
  }
  return EMPTY;
}
