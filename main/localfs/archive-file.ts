/**
 * The zip file under yauzl, read through one descriptor that its entries share safely (issue 25.1).
 *
 * yauzl's own file reader (its `fd-slicer.js`) queues every read of every entry behind the others
 * (one at a time) and forgets the file when an entry's stream is destroyed. An entry destroyed while
 * its next read waited in that queue (a writer that stopped reading: a size that did not match, a
 * cancel, a kill) left the queued read to dereference what was forgotten: an uncaught TypeError
 * ("Cannot read properties of null (reading 'fd')") that ended the process, and a queue that never
 * moved again. Here each range is a Node file stream on the shared descriptor (positional reads;
 * Node lets a destroyed stream go only after its read in flight has returned), and the descriptor
 * is closed only once every stream and read on it has finished.
 */
import { close, createReadStream, fstat, open, read } from 'node:fs';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

type ReadCallback = (error: Error | null, bytesRead?: number) => void;

const keepOpen = (_fd: number, callback: (error: Error | null) => void): void => callback(null);

export class FileRangeReader extends yauzl.RandomAccessReader {
  readonly #fd: number;
  /** Streams and reads still using the descriptor. */
  #busy = 0;
  #closing: ((error: Error | null) => void) | null = null;
  #closed = false;

  private constructor(fd: number) {
    super();
    this.#fd = fd;
  }

  /** Opens the file for reading; its size is what yauzl needs next to the reader. */
  static async open(path: string): Promise<{ reader: FileRangeReader; size: number }> {
    const fd = await new Promise<number>((resolve, reject) =>
      open(path, 'r', (error, opened) => (error ? reject(error) : resolve(opened))),
    );
    try {
      const size = await new Promise<number>((resolve, reject) =>
        fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats.size))),
      );
      return { reader: new FileRangeReader(fd), size };
    } catch (error) {
      close(fd, () => undefined);
      throw error;
    }
  }

  /** Closes the descriptor now (only when yauzl never took the reader: a file that is no zip). */
  discard(): void {
    if (this.#closed) return;
    this.#closed = true;
    close(this.#fd, () => undefined);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // `end` is exclusive for yauzl, inclusive for Node. A destroyed stream closes its descriptor,
    // even with autoClose off: here its close is the reader's (below), never the stream's.
    const stream = createReadStream('', {
      fd: this.#fd,
      fs: { read, close: keepOpen },
      start,
      end: end - 1,
      autoClose: false,
      emitClose: true,
    });
    this.#busy += 1;
    stream.once('close', () => this.#done());
    return stream;
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: ReadCallback): void {
    this.#busy += 1;
    read(this.#fd, buffer, offset, length, position, (error, bytesRead) => {
      this.#done();
      callback(error, bytesRead);
    });
  }

  /** yauzl closes the reader when the zip is closed and no entry stream is open; in-flight reads still finish first. */
  override close(callback: (error: Error | null) => void): void {
    this.#closing = callback;
    this.#closeWhenIdle();
  }

  #done(): void {
    this.#busy -= 1;
    this.#closeWhenIdle();
  }

  #closeWhenIdle(): void {
    const callback = this.#closing;
    if (!callback || this.#busy > 0) return;
    this.#closing = null;
    if (this.#closed) return callback(null);
    this.#closed = true;
    close(this.#fd, (error) => callback(error ?? null));
  }
}
