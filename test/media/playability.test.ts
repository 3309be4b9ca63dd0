import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { playabilityOf, type Playable } from '../../src/media/playability.js';

describe('playabilityOf()', () => {
  const cases: { what: string; mime?: string; video: string | null; audio: string | null; expected: Playable; reason?: RegExp }[] = [
    { what: 'H.264 with AAC in MP4', video: 'avc1.64001f', audio: 'mp4a.40.2', expected: 'yes' },
    { what: 'H.264 without an audio track', video: 'avc1.42c01e', audio: null, expected: 'yes' },
    { what: 'H.264 with MP3 in MP4', video: 'avc3.64001f', audio: 'mp4a.6B', expected: 'yes' },
    { what: 'VP9 with Opus in WebM', mime: 'video/webm', video: 'vp09.00.10.08', audio: 'opus', expected: 'yes' },
    { what: 'VP8 with Vorbis in WebM', mime: 'video/webm', video: 'vp8', audio: 'vorbis', expected: 'yes' },
    { what: 'AV1 with Opus', mime: 'video/webm', video: 'av01.0.04M.08', audio: 'opus', expected: 'yes' },
    { what: 'HEVC (hvc1) from a phone', mime: 'video/quicktime', video: 'hvc1.1.6.L93.B0', audio: 'mp4a.40.2', expected: 'no', reason: /^H\.265\/HEVC: plays in Safari, not in Firefox and many Chrome installs$/ },
    { what: 'HEVC (hev1)', video: 'hev1.2.4.L120.B0', audio: null, expected: 'no', reason: /HEVC/ },
    { what: 'ProRes', mime: 'video/quicktime', video: 'apcn', audio: 'sowt', expected: 'no', reason: /ProRes/ },
    { what: 'Theora with Vorbis in Ogg', mime: 'video/ogg', video: 'theora', audio: 'vorbis', expected: 'no', reason: /Theora/ },
    { what: 'MPEG-4 Part 2', video: 'mp4v.20.9', audio: 'mp4a.40.2', expected: 'no', reason: /MPEG-4 Part 2/ },
    { what: 'MPEG-2 video', video: 'mp4v.61', audio: null, expected: 'no', reason: /MPEG-2/ },
    { what: 'H.264 with AC-3 audio', video: 'avc1.640028', audio: 'ac-3', expected: 'no', reason: /^AC-3.*not in Chrome or Firefox$/ },
    { what: 'HEVC with E-AC-3: both reasons', video: 'hvc1.2.4.L150', audio: 'ec-3', expected: 'no', reason: /HEVC.*; AC-3/ },
    { what: 'VP9 in Matroska', mime: 'video/x-matroska', video: 'vp09.00.10.08', audio: 'opus', expected: 'no', reason: /Matroska.*Safari/ },
    { what: 'no video codec read', video: null, audio: null, expected: 'unknown' },
    { what: 'audio only', mime: 'video/ogg', video: null, audio: 'opus', expected: 'unknown' },
    { what: 'an unknown video codec', video: 'mjpa', audio: null, expected: 'unknown' },
    { what: 'a known video codec with an unknown audio codec', video: 'avc1.64001f', audio: 'sowt', expected: 'unknown' },
  ];
  for (const { what, mime = 'video/mp4', video, audio, expected, reason } of cases) {
    it(`answers "${expected}" for ${what}`, () => {
      const answer = playabilityOf(mime, { videoCodec: video, audioCodec: audio });
      assert.equal(answer.playable, expected);
      if (reason) assert.match(answer.reason ?? '', reason);
      else assert.equal(answer.reason, null);
    });
  }
});
