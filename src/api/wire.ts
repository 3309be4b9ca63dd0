// The wire shapes of the contract (snake_case JSON) made from the table modules' objects.
import type { Comment } from '../db/comments.js';
import type { User } from '../db/users.js';
import type { Video } from '../db/videos.js';
import { playabilityOf, type Playable } from '../media/playability.js';

export interface VideoJson {
  id: string;
  author_id: number;
  author: string;
  name: string;
  display_ctime: string;
  created_at: string;
  status: Video['status'];
  size: number | null;
  mime: string | null;
  description: string;
  duration_s: number | null;
  width: number | null;
  height: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  /** Null until ready. */
  playable: Playable | null;
  /** Why it is "no" (which browsers cannot play what), for the pages; null otherwise. */
  playable_reason: string | null;
  captions: string[];
}

export interface CommentJson {
  id: string;
  video_id: string;
  author_id: number;
  author: string;
  content: string;
  created_at: string;
}

export interface UserJson {
  id: number;
  user_name: string;
  created_at: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Go's layout "Jan 02 2006, 15:04:05", in UTC like created_at. */
export function displayCtime(ms: number): string {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()}, ${time}`;
}

export function toVideoJson(video: Video): VideoJson {
  const { media } = video;
  const playability = video.mime === null ? null : playabilityOf(video.mime, media);
  return {
    id: video.id,
    author_id: video.authorId,
    author: video.author,
    name: video.name,
    description: video.description,
    display_ctime: displayCtime(video.createdAt),
    created_at: new Date(video.createdAt).toISOString(),
    status: video.status,
    size: video.size,
    mime: video.mime,
    duration_s: media.durationS,
    width: media.width,
    height: media.height,
    video_codec: media.videoCodec,
    audio_codec: media.audioCodec,
    playable: playability?.playable ?? null,
    playable_reason: playability?.reason ?? null,
    captions: video.captions,
  };
}

export const toCommentJson = (comment: Comment): CommentJson => ({
  id: comment.id,
  video_id: comment.videoId,
  author_id: comment.authorId,
  author: comment.author,
  content: comment.content,
  created_at: new Date(comment.createdAt).toISOString(),
});

export const toUserJson = (user: User): UserJson => ({
  id: user.id,
  user_name: user.userName,
  created_at: new Date(user.createdAt).toISOString(),
});
