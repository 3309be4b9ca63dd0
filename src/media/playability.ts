// Which videos play in all of Chrome, Firefox and Safari, judged from the container and codec strings.
// Sources (current stable releases, late 2025): caniuse.com (features mpeg4, hevc, webm, av1, ogv, opus,
// ogg-vorbis, aac, mp3) and MDN's "Web video codec guide" and "Web audio codec guide".
// - H.264, AAC, MP3, FLAC: all three. VP8/VP9 in WebM: Safari 16+ (macOS), 17.4+ (iOS).
// - Opus and Vorbis: Safari 18.4+. AV1: Chrome, Firefox; Safari 17+ where the device decodes it in
//   hardware (iPhone 15 Pro, M3 Macs and later): counted as playing, as the table asks.
// - HEVC: Safari; Chrome only with a hardware decoder; Firefox only with one, on Windows.
// - Theora: Chrome and Firefox removed it; Safari never had it. MPEG-2, MPEG-4 Part 2, ProRes: none.
// - AC-3/E-AC-3: Safari (and Edge) only. Matroska (.mkv): Safari does not play it.
import type { MediaInfo } from './media-fields.js';

export type Playable = 'yes' | 'no' | 'unknown';

export interface Playability {
  playable: Playable;
  /** Why not, for the page: which browsers cannot play what. Null when it plays or nothing is known. */
  reason: string | null;
}

interface Rule {
  /** Codec strings starting with any of these. */
  prefixes: readonly string[];
  /** Null: plays everywhere. */
  reason: string | null;
}

const VIDEO_RULES: readonly Rule[] = [
  { prefixes: ['avc1', 'avc3', 'vp8', 'vp08', 'vp09', 'vp9', 'av01'], reason: null },
  { prefixes: ['hvc1', 'hev1', 'dvh1', 'dvhe'], reason: 'H.265/HEVC: plays in Safari, not in Firefox and many Chrome installs' },
  { prefixes: ['apcn', 'apch', 'apcs', 'apco', 'ap4h', 'ap4x'], reason: 'Apple ProRes: an editing format that no browser plays' },
  { prefixes: ['theora'], reason: 'Theora: Chrome, Firefox and Safari no longer play it' },
  { prefixes: ['mp4v.20'], reason: 'MPEG-4 Part 2 (DivX/Xvid): no browser plays it' },
  { prefixes: ['mp4v.6'], reason: 'MPEG-1/MPEG-2 video: no browser plays it' },
];

const AUDIO_RULES: readonly Rule[] = [
  { prefixes: ['mp4a.40.', 'mp4a.67', 'mp4a.69', 'mp4a.6B', 'mp3', 'opus', 'vorbis', 'flac'], reason: null },
  { prefixes: ['ac-3', 'ec-3'], reason: 'AC-3/E-AC-3 (Dolby Digital) audio: plays in Safari, not in Chrome or Firefox' },
];

const CONTAINER_REASONS: Record<string, string> = {
  'video/x-matroska': 'Matroska (.mkv): Safari does not play it',
};

const UNKNOWN: Playability = { playable: 'unknown', reason: null };

/**
 * "yes" when Chrome, Firefox and Safari all play it, "no" (with the reason) when one of them cannot,
 * "unknown" when the headers did not name a video codec or named one this table does not know.
 */
export function playabilityOf(mime: string, media: Pick<MediaInfo, 'videoCodec' | 'audioCodec'>): Playability {
  if (media.videoCodec === null) return UNKNOWN;
  const video = ruleFor(VIDEO_RULES, media.videoCodec);
  // No audio track is fine (null); an audio codec this table does not know is not (undefined).
  const audio = media.audioCodec === null ? null : ruleFor(AUDIO_RULES, media.audioCodec);
  const reasons = [CONTAINER_REASONS[mime], video?.reason, audio?.reason].filter((reason) => typeof reason === 'string');
  if (reasons.length > 0) return { playable: 'no', reason: reasons.join('; ') };
  if (video === undefined || audio === undefined) return UNKNOWN;
  return { playable: 'yes', reason: null };
}


function ruleFor(rules: readonly Rule[], codec: string): Rule | undefined {
  return rules.find((rule) => rule.prefixes.some((prefix) => codec.startsWith(prefix)));
}
