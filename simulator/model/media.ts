/** Small, real media generated from a seed: PNG pictures (landscapes, portraits) and one-page PDFs. */
import { deflateSync } from 'node:zlib';
import { hashString, mulberry32 } from '../core/prng';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ (buf[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

type Rgb = [number, number, number];

/**
 * Pictures drawn before, by kind, size and seed. Every simulator a process starts draws the same
 * demo pictures (its 47 landscapes at start, `DriveModel.warm`), and a test run starts dozens: each
 * drawing costs CPU (a 640×480 landscape about 5 ms), a copy almost nothing. Kept up to
 * DRAWN_MAX_BYTES, oldest first out; callers get their own copy, so none can change another's.
 */
const drawn = new Map<string, Buffer>();
let drawnBytes = 0;
const DRAWN_MAX_BYTES = 16 * 1024 * 1024;

function remembered(key: string, draw: () => Buffer): Buffer {
  let png = drawn.get(key);
  if (!png) {
    png = draw();
    drawn.set(key, png);
    drawnBytes += png.length;
    for (const [oldKey, old] of drawn) {
      if (drawnBytes <= DRAWN_MAX_BYTES) break;
      drawn.delete(oldKey);
      drawnBytes -= old.length;
    }
  }
  return Buffer.from(png);
}

/** Encodes raw RGB rows (without filter bytes) as a PNG; `fill` writes pixel (x, y) at (y * width + x) * 3. */
function encodePng(width: number, height: number, fill: (rgb: Buffer) => void): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  fill(rgb);
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 3 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const mixc = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

const SKIES: Array<[Rgb, Rgb]> = [
  [
    [38, 92, 170],
    [170, 210, 240],
  ],
  [
    [250, 140, 90],
    [255, 220, 160],
  ],
  [
    [20, 30, 70],
    [120, 90, 160],
  ],
  [
    [90, 170, 220],
    [230, 240, 250],
  ],
];
const LANDS: Rgb[] = [
  [60, 110, 60],
  [90, 80, 110],
  [40, 70, 90],
  [120, 130, 80],
];

/** A small landscape: sky gradient, sun, two mountain ranges with snow, a lake. Deterministic per seed. */
export function pngLandscape(width: number, height: number, seed: string): Buffer {
  return remembered(`landscape:${width}x${height}:${seed}`, () => drawLandscape(width, height, seed));
}

function drawLandscape(width: number, height: number, seed: string): Buffer {
  const rnd = mulberry32(hashString(seed));
  const sky = SKIES[Math.floor(rnd() * SKIES.length)] ?? SKIES[0]!;
  const land = LANDS[Math.floor(rnd() * LANDS.length)] ?? LANDS[0]!;
  const far = mixc(land, sky[1], 0.5);
  const sunX = width * (0.2 + rnd() * 0.6);
  const sunY = height * (0.15 + rnd() * 0.25);
  const sunR = Math.min(width, height) * (0.06 + rnd() * 0.05);
  const p = [rnd() * 6, rnd() * 6, rnd() * 6, rnd() * 6];
  const lakeY = Math.floor(height * (0.8 + rnd() * 0.1));
  return encodePng(width, height, (rgb) => {
    const put = (x: number, y: number, c: Rgb): void => {
      const o = (y * width + x) * 3;
      rgb[o] = c[0];
      rgb[o + 1] = c[1];
      rgb[o + 2] = c[2];
    };
    // Ridge heights per column, colours per row, then one row-major pass.
    const farY = new Int32Array(width);
    const nearY = new Int32Array(width);
    for (let x = 0; x < width; x++) {
      const u = x / width;
      farY[x] = Math.floor(
        height * (0.45 + 0.12 * Math.sin(u * 7 + (p[0] ?? 0)) + 0.05 * Math.sin(u * 19 + (p[1] ?? 0))),
      );
      nearY[x] = Math.floor(
        height * (0.6 + 0.1 * Math.sin(u * 4 + (p[2] ?? 0)) + 0.04 * Math.sin(u * 23 + (p[3] ?? 0))),
      );
    }
    const snowDepth = Math.ceil(height * 0.03);
    const snow: Rgb = [245, 245, 250];
    const sun: Rgb = [255, 236, 170];
    for (let y = 0; y < height; y++) {
      const skyC = mixc(sky[0], sky[1], Math.min(1, y / height / 0.6));
      const nearC = mixc(land, [20, 40, 25], Math.min(1, Math.max(0, y / height - 0.55) * 2));
      const lakeC = y >= lakeY ? mixc([60, 110, 160], [30, 60, 100], (y - lakeY) / (height - lakeY)) : skyC;
      const dy2 = (y - sunY) ** 2;
      for (let x = 0; x < width; x++) {
        let c: Rgb;
        const f = farY[x] ?? 0;
        if (y >= lakeY) c = lakeC;
        else if (y > (nearY[x] ?? 0)) c = nearC;
        else if (y > f) c = y <= f + snowDepth ? snow : far;
        else if ((x - sunX) ** 2 + dy2 < sunR * sunR) c = sun;
        else c = skyC;
        put(x, y, c);
      }
    }
  });
}

/** A contact avatar: a coloured disc with a head-and-shoulders silhouette. */
export function pngPortrait(seed: string, size = 96): Buffer {
  return remembered(`portrait:${size}:${seed}`, () => drawPortrait(seed, size));
}

function drawPortrait(seed: string, size: number): Buffer {
  const rnd = mulberry32(hashString(`portrait:${seed}`));
  const bg: Rgb = [Math.floor(80 + rnd() * 150), Math.floor(80 + rnd() * 150), Math.floor(80 + rnd() * 150)];
  const fg: Rgb = mixc(bg, [255, 255, 255], 0.65);
  const c = size / 2;
  return encodePng(size, size, (rgb) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const head = Math.hypot(x - c, y - size * 0.4) < size * 0.18;
        const body = Math.hypot((x - c) * 0.8, y - size * 0.95) < size * 0.36;
        const col = head || body ? fg : bg;
        const o = (y * size + x) * 3;
        rgb[o] = col[0];
        rgb[o + 1] = col[1];
        rgb[o + 2] = col[2];
      }
    }
  });
}

function pdfString(s: string): string {
  // WinAnsi covers German/French umlauts; other characters become "?".
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 63;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code >= 32 && code < 127) out += ch;
    else if (code >= 160 && code < 256) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return out;
}

/** A valid one-page PDF with a title and a few lines of text. */
export function pdfDocument(title: string, text: string): Buffer {
  const lines = [title, '', ...text.split('\n')].slice(0, 45);
  const ops = ['BT', '/F1 18 Tf', '56 780 Td', `(${pdfString(lines[0] ?? '')}) Tj`, '/F1 11 Tf', '0 -28 Td'];
  for (const line of lines.slice(2)) ops.push(`(${pdfString(line)}) Tj`, '0 -15 Td');
  ops.push('ET');
  const stream = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Title (${pdfString(title)}) /Producer (PowerOn Sources simulator) >>`,
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
