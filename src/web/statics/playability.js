// Why a video will not play in every mainstream browser, from its RFC 6381 codec strings, for the
// warning its owner sees. The API says `playable: "no"`; the reasons are the page's to word.
// Sources: MDN "Web video codec guide" and "Web audio codec guide", caniuse.com (hevc, ogg-vorbis, webm).

const REENCODE = 'ffmpeg -i in.mov -c:v libx264 -crf 23 -c:a aac out.mp4';
const REENCODE_SOUND = 'ffmpeg -i in.mp4 -c:v copy -c:a aac out.mp4';

const REASONS = [
  { codec: /^(?:hvc1|hev1)\b/, text: 'H.265/HEVC: plays in Safari, not in Firefox and many Chrome installs.', fix: 'Re-encode to H.264', command: REENCODE },
  { codec: /^(?:apc[nhso]|ap4[hx])\b/, text: 'Apple ProRes: an editing format that browsers do not play.', fix: 'Re-encode to H.264', command: REENCODE },
  { codec: /^mp4v\.6[0-5a]\b/i, text: 'MPEG-2 video: browsers do not play it.', fix: 'Re-encode to H.264', command: REENCODE },
  { codec: /^mp4v\b/, text: 'MPEG-4 Part 2 (DivX/Xvid) video: browsers do not play it.', fix: 'Re-encode to H.264', command: REENCODE },
  { codec: /^theora\b/, text: 'Theora video: Safari does not play it.', fix: 'Re-encode to H.264', command: REENCODE },
  { codec: /^vp8\b/, text: 'VP8 video: Safari does not play it everywhere.', fix: 'Re-encode to H.264', command: REENCODE },
  { codec: /^(?:ac-3|ec-3)\b/, text: 'Dolby Digital (AC-3) sound: Firefox and Chrome play the picture without it.', fix: 'Convert the sound to AAC', command: REENCODE_SOUND },
  { codec: /^vorbis\b/, text: 'Vorbis sound: Safari does not play it.', fix: 'Convert the sound to AAC', command: REENCODE_SOUND },
];

/** { text, fix, command } for a video whose playable is "no", or undefined. */
export function playabilityProblem(video) {
  if (video.playable !== 'no') return undefined;
  for (const codec of [video.video_codec, video.audio_codec]) {
    const reason = codec && REASONS.find((candidate) => candidate.codec.test(codec));
    if (reason) return reason;
  }
  return { text: 'This file does not play in every mainstream browser.', fix: 'Re-encode to H.264', command: REENCODE };
}
