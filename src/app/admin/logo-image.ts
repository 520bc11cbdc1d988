/**
 * The check of an uploaded logo: the recipient page serves it as image/png or image/jpeg to
 * every recipient, so its structure is read, not only its first bytes — a PNG signature
 * followed by HTML would otherwise be stored and shown as a broken image. PNG: signature,
 * IHDR first (13 bytes, sane size and format, right CRC), chunks that fit the file, an
 * IDAT, and IEND last at the very end. JPEG: SOI, well-formed marker segments up to a frame
 * header (SOF) with a sane size, and EOI at the end.
 */

/** The largest width or height accepted, pixels: a logo is small, and a huge one is a decompression bomb. */
export const MAX_LOGO_PIXELS = 10_000;

/** The image type, or the reason (Norwegian, after «Ugyldig logo: ») it is refused. */
export type LogoCheck = { readonly mimetype: 'image/png' | 'image/jpeg' } | { readonly problem: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG's bit depths allowed per colour type (PNG spec §11.2.2). */
const PNG_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/**
 * JPEG's frame headers (SOF0–3, 5–7, 9–11, 13–15): C4 (DHT), C8 (JPG) and CC (DAC) in the
 * same range are not frames.
 */
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Bytes after EOI still accepted: some encoders pad the file, and a browser ignores them. */
const JPEG_TRAILER = 16;

/** CRC-32 as PNG uses it (ISO 3309, reflected 0xEDB88320); Node's zlib.crc32 is missing before 20.15. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The most pixels in all, width × height: the logo is shown at most 12rem × 4rem, and every
 * recipient's browser decodes it whole. A 1-bit PNG of 10 000 × 10 000 is 12 KB in the file
 * and 400 MB decoded (found in review); 4 megapixels is far more than a sharp logo needs.
 */
export const MAX_LOGO_AREA = 4_000_000;

const sizeProblem = (width: number, height: number): string | undefined => {
  if (width < 1 || height < 1 || width > MAX_LOGO_PIXELS || height > MAX_LOGO_PIXELS)
    return `bredde og høyde må være mellom 1 og ${MAX_LOGO_PIXELS} piksler, er ${width} × ${height}`;
  if (width * height > MAX_LOGO_AREA)
    return `bildet har for mange piksler: høyst ${MAX_LOGO_AREA / 1_000_000} millioner, er ${width} × ${height}`;
  return undefined;
};

/** Whether `bytes` is a PNG, a JPEG or neither, checked by structure. */
export function checkLogo(bytes: Uint8Array): LogoCheck {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) {
    const problem = pngProblem(b);
    return problem === undefined
      ? { mimetype: 'image/png' }
      : { problem: `filen er ikke et gyldig PNG-bilde (${problem})` };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    const problem = jpegProblem(b);
    return problem === undefined
      ? { mimetype: 'image/jpeg' }
      : { problem: `filen er ikke et gyldig JPEG-bilde (${problem})` };
  }
  return { problem: 'filen må være et PNG- eller JPEG-bilde' };
}

/** Why the PNG `b` (its signature checked) is not well-formed, or undefined when it is. */
function pngProblem(b: Buffer): string | undefined {
  let at = 8;
  let index = 0;
  let idat = false;
  while (at < b.length) {
    if (at + 12 > b.length) return 'filen slutter midt i en blokk';
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (index === 0 && (type !== 'IHDR' || length !== 13)) return 'starter ikke med en IHDR-blokk på 13 byte';
    if (!/^[A-Za-z]{4}$/.test(type)) return `blokk nr. ${index + 1} har ugyldig type`;
    if (length > b.length - at - 12) return `blokken ${type} går ut over filen`;
    const data = b.subarray(at + 8, at + 8 + length);
    if (index === 0) {
      // The CRC covers the type and the data; a wrong one means the header is not PNG's.
      if (crc32(b.subarray(at + 4, at + 8 + length)) !== b.readUInt32BE(at + 8 + length))
        return 'IHDR-blokken har feil kontrollsum (CRC)';
      const size = sizeProblem(data.readUInt32BE(0), data.readUInt32BE(4));
      if (size !== undefined) return size;
      const [depth, colour, compression, filter, interlace] = data.subarray(8);
      const known = (PNG_DEPTHS[colour as number] ?? []).includes(depth as number);
      if (!known || compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1))
        return 'IHDR-blokken har ugyldig format';
    } else if (type === 'IHDR') return 'har mer enn én IHDR-blokk';
    if (type === 'IDAT') idat = true;
    at += 12 + length;
    index++;
    if (type === 'IEND') {
      if (length !== 0) return 'IEND-blokken er ikke tom';
      if (at !== b.length) return 'har data etter IEND-blokken';
      return idat ? undefined : 'mangler bildedata (IDAT)';
    }
  }
  return 'slutter ikke med en IEND-blokk';
}

/** Why the JPEG `b` (its SOI checked) is not well-formed, or undefined when it is. */
function jpegProblem(b: Buffer): string | undefined {
  let at = 2;
  let frame = false;
  while (!frame) {
    if (at >= b.length || b[at] !== 0xff) return 'ugyldig markør før bilderammen (SOF)';
    while (b[at] === 0xff) at++; // fill bytes before a marker are allowed
    const marker = b[at];
    at++;
    if (marker === undefined) return 'filen slutter før bilderammen (SOF)';
    // TEM and RSTn stand alone; anything else without a length before the frame is wrong.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0x00 || marker === 0xd8 || marker === 0xd9 || marker === 0xda)
      return 'ugyldig markør før bilderammen (SOF)';
    if (at + 2 > b.length) return 'filen slutter før bilderammen (SOF)';
    const length = b.readUInt16BE(at);
    if (length < 2 || at + length > b.length) return 'et segment går ut over filen';
    if (JPEG_SOF.has(marker)) {
      // SOF: length, precision, height, width, components, then 3 bytes per component.
      const components = length >= 8 ? (b[at + 7] as number) : 0;
      if (components < 1 || components > 4 || length !== 8 + 3 * components)
        return 'bilderammen (SOF) har ugyldig lengde';
      const size = sizeProblem(b.readUInt16BE(at + 5), b.readUInt16BE(at + 3));
      if (size !== undefined) return size;
      frame = true;
    }
    at += length;
  }
  const eoi = b.lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (eoi < at || eoi + 2 < b.length - JPEG_TRAILER) return 'slutter ikke med EOI-markøren (FFD9)';
  return undefined;
}
