import { inflateSync } from 'node:zlib';

/**
 * Just enough PNG reading to check a screenshot without an image library: its size, and whether
 * it shows anything (a blank page inflates to a few distinct byte values only).
 */
export interface PngFacts {
  readonly width: number;
  readonly height: number;
  readonly distinctBytes: number;
}

export function pngFacts(png: Buffer): PngFacts {
  const signature = '89504e470d0a1a0a';
  if (png.subarray(0, 8).toString('hex') !== signature) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(data));
  const seen = new Set<number>();
  for (const byte of pixels) seen.add(byte);
  return { width, height, distinctBytes: seen.size };
}
