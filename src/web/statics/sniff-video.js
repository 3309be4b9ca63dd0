// What a chosen file is, from its first bytes, decided exactly as the server's upload/sniff-container.ts
// decides (test/web/sniff-video.test.ts holds the two to the same answers), so the upload dialog refuses a
// file before creating a video for it. It also names the video formats the server does not take.

/** Enough for any header this reads (the server's SNIFF_BYTES). */
export const SNIFF_BYTES = 4096;

const OLD_QUICKTIME_BOXES = new Set(['moov', 'mdat', 'free', 'wide', 'skip']);
const IMAGE_BRANDS = new Set(['mif1', 'heic', 'heix', 'avif']);
const EBML_DOC_TYPE_ID = 0x4282;

const latin1 = (bytes, start, end) => String.fromCharCode(...bytes.subarray(start, end));
const startsWith = (bytes, magic) => magic.every((byte, i) => bytes[i] === byte);

/** The server's verdict on the whole head: a mime type, or null for "not a video it takes". */
export function sniffContainer(bytes) {
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return sniffMatroska(bytes);
  if (startsWith(bytes, [0x4f, 0x67, 0x67, 0x53])) return 'video/ogg';
  return sniffIsoBmff(bytes);
}

function sniffIsoBmff(bytes) {
  if (bytes.length < 8) return null;
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (size > 1 && size < 8) return null;
  const type = latin1(bytes, 4, 8);
  if (OLD_QUICKTIME_BOXES.has(type)) return 'video/quicktime';
  if (type !== 'ftyp' || bytes.length < 12) return null;
  const brand = latin1(bytes, 8, 12);
  if (IMAGE_BRANDS.has(brand)) return null;
  return brand === 'qt  ' ? 'video/quicktime' : 'video/mp4';
}

/** An EBML variable-length integer (see the server's readVint). */
function readVint(bytes, at, isId) {
  if (at >= bytes.length) return undefined;
  const first = bytes[at];
  if (first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length || (isId && length > 4)) return undefined;
  let value = isId ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[at + i];
    allOnes &&= bytes[at + i] === 0xff;
  }
  return { length, value: !isId && allOnes ? undefined : value };
}

function sniffMatroska(bytes) {
  if (bytes.length < 4) return null;
  const headerSize = readVint(bytes, 4, false);
  if (headerSize === undefined) return 'video/x-matroska';
  let at = 4 + headerSize.length;
  const end = headerSize.value === undefined ? bytes.length : at + headerSize.value;
  while (at < end) {
    const id = readVint(bytes, at, true);
    const size = id && readVint(bytes, at + id.length, false);
    if (!id || !size || size.value === undefined) break;
    const dataAt = at + id.length + size.length;
    if (id.value === EBML_DOC_TYPE_ID) {
      if (dataAt + size.value > bytes.length) break;
      return latin1(bytes, dataAt, dataAt + size.value).replace(/\0+$/, '') === 'webm' ? 'video/webm' : 'video/x-matroska';
    }
    at = dataAt + size.value;
  }
  return 'video/x-matroska';
}

// Videos in containers the site does not take (browsers do not play them), named so the person knows.
const OTHER_VIDEOS = [
  { name: 'an MPEG transport stream (.MTS/.M2TS from camcorders, .ts)', test: (b) => isTransportStream(b) },
  { name: 'an MPEG program stream (.mpg, .vob)', test: (b) => startsWith(b, [0x00, 0x00, 0x01, 0xba]) },
  { name: 'an AVI video', test: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && latin1(b, 8, 12) === 'AVI ' },
  { name: 'a Windows Media video (.wmv, .asf)', test: (b) => startsWith(b, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]) },
  { name: 'a Flash video (.flv)', test: (b) => startsWith(b, [0x46, 0x4c, 0x56, 0x01]) },
  { name: 'a RealMedia video (.rm)', test: (b) => startsWith(b, [0x2e, 0x52, 0x4d, 0x46]) },
];

/** 188-byte packets (192 in .M2TS, with a 4-byte timecode first), each opening with the sync byte 0x47. */
function isTransportStream(bytes) {
  return [[188, 0], [192, 4]].some(([packet, offset]) => {
    const packets = Math.min(4, Math.floor((bytes.length - offset) / packet));
    if (packets < 2) return false;
    for (let i = 0; i < packets; i++) if (bytes[offset + i * packet] !== 0x47) return false;
    return true;
  });
}

/**
 * { kind: 'video', mime } when the server will take it; { kind: 'other-video', name } for a video in a
 * container it does not take; { kind: 'not-video' } for anything else.
 */
export function sniffVideo(bytes) {
  const mime = sniffContainer(bytes);
  if (mime !== null) return { kind: 'video', mime };
  const other = OTHER_VIDEOS.find(({ test }) => test(bytes));
  return other ? { kind: 'other-video', name: other.name } : { kind: 'not-video' };
}

export async function sniffFile(file) {
  return sniffVideo(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
}
