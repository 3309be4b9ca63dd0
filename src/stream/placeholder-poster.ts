// The image a video without a poster shows: a neutral 16:9 card with a play symbol, sized like a poster so
// a grid of cards stays even. Built once; its ETag is a hash of its bytes.
import { createHash } from 'node:crypto';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">
<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3a3f47"/><stop offset="1" stop-color="#23272d"/></linearGradient></defs>
<rect width="640" height="360" fill="url(#bg)"/>
<circle cx="320" cy="180" r="52" fill="#ffffff" fill-opacity="0.14" stroke="#ffffff" stroke-opacity="0.55" stroke-width="4"/>
<path d="M306 152 L354 180 L306 208 Z" fill="#ffffff" fill-opacity="0.8"/>
</svg>
`;

export const PLACEHOLDER_POSTER = {
  body: Buffer.from(SVG, 'utf8'),
  mime: 'image/svg+xml',
  etag: `"placeholder-${createHash('sha256').update(SVG).digest('base64url').slice(0, 16)}"`,
} as const;
