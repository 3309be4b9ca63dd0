// The media facts stored for a video, as the readers return them (apart from them so the table module and
// the readers share the type without importing each other).

export interface MediaInfo {
  durationS: number | null;
  width: number | null;
  height: number | null;
  /** RFC 6381, like `avc1.64001f`, `vp09.00.10.08`; the container's own code when no string is defined. */
  videoCodec: string | null;
  audioCodec: string | null;
}

export const NO_MEDIA_INFO: MediaInfo = Object.freeze({ durationS: null, width: null, height: null, videoCodec: null, audioCodec: null });

/** Raised when the readers learn to tell more: videos read by an older version are read again. */
export const MEDIA_INFO_VERSION = 1;
