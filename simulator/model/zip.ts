/**
 * A folder (or a selection) downloaded as a zip, streamed with yazl: entries are added as the tree is
 * walked, file bodies are pulled lazily and stored (no compression), so memory stays flat.
 */
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { FileNode } from './drive';
import { contentDisposition, drained, writeHead } from '../core/respond';
import type { Ctx } from '../core/router';

/**
 * [guess] How the server names zip entries of hostile names: a name is one path component, so "/"
 * and "\" inside a name become "_", "." / ".." become "_", and a leading drive letter "C:" becomes "C_"
 * (zip readers take it for an absolute path). Everything else is kept as is.
 */
export function zipComponent(name: string): string {
  const s = name.replace(/[/\\]/g, '_').replace(/^([a-zA-Z]):/, '$1_');
  return s === '.' || s === '..' || s === '' ? '_' : s;
}

export interface ZipItem {
  node: FileNode;
  /** Path components relative to the zip root. */
  rel: string[];
}

export async function serveZip(ctx: Ctx, zipName: string, items: Iterable<ZipItem>): Promise<void> {
  writeHead(ctx, 200, {
    'content-type': 'application/zip',
    'content-disposition': contentDisposition(zipName),
    'cache-control': 'private, no-cache',
  });
  if (ctx.head) {
    ctx.res.end();
    return;
  }
  const zip = new ZipFile();
  const out = zip.outputStream as Readable;
  zip.on('error', (error: unknown) => {
    process.stderr.write(`simulator: zip ${zipName} failed: ${String(error)}\n`);
    ctx.res.destroy();
  });
  const pipeDone = new Promise<void>((resolve) => {
    out.on('data', (chunk: Buffer) => {
      if (!ctx.res.write(chunk)) {
        out.pause();
        void drained(ctx).then(() => out.resume());
      }
    });
    out.on('end', () => {
      if (!ctx.res.destroyed) ctx.res.end();
      resolve();
    });
    ctx.res.on('close', () => {
      out.destroy();
      resolve();
    });
  });
  for (const { node, rel } of items) {
    const path = rel.map(zipComponent).join('/');
    const mtime = new Date(node.modifiedAt * 1000);
    if (node.type === 'dir') {
      zip.addEmptyDirectory(path, { mtime });
    } else {
      const content = node.content;
      zip.addReadStreamLazy(path, { mtime, compress: false, size: content.size }, (cb) =>
        cb(null, Readable.from(content.chunks(0, content.size), { objectMode: false })),
      );
    }
    if (ctx.res.destroyed) break;
  }
  zip.end();
  await pipeDone;
}
