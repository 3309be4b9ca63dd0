// Upload-Metadata (tus 1.0.0, creation): comma-separated pairs of a key and a base64 value with one space
// between them: `video_id NzNhZi4uLg==,filename Y2xpcC5tcDQ=`. Keys are non-empty visible ASCII without
// commas and unique; a value may be empty, and then the space may be left out too (`is_confidential`).

export type UploadMetadata = { kind: 'metadata'; pairs: ReadonlyMap<string, Buffer> } | { kind: 'malformed'; reason: string };

const KEY = /^[\x21-\x2b\x2d-\x7e]+$/;
// RFC 4648 section 4 with its padding; every quantifier is over characters the next cannot take.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseUploadMetadata(header: string): UploadMetadata {
  const pairs = new Map<string, Buffer>();
  for (const [index, text] of header.split(',').entries()) {
    const pair = text.trim();
    if (pair === '') return malformed(`pair ${index + 1} is empty`);
    const space = pair.indexOf(' ');
    const key = space === -1 ? pair : pair.slice(0, space);
    const value = space === -1 ? '' : pair.slice(space + 1);
    if (!KEY.test(key)) return malformed(`key ${JSON.stringify(key)} must be visible ASCII without commas`);
    if (pairs.has(key)) return malformed(`key ${JSON.stringify(key)} appears twice`);
    if (value.length % 4 !== 0 || !BASE64.test(value)) return malformed(`the value of ${key} must be base64`);
    pairs.set(key, Buffer.from(value, 'base64'));
  }
  return { kind: 'metadata', pairs };
}

function malformed(reason: string): UploadMetadata {
  return { kind: 'malformed', reason };
}
