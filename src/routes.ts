// Every route as data: method, pattern, handler. Find any route here: the public site's, and the operator's
// (served only on 127.0.0.1:OPERATOR_PORT, never on the public port, whatever proxy sits in front).
import type { AppHandler } from './app.js';
import { deleteComment, listComments, postComment } from './api/comments.js';
import { queueVideoDeletion } from './api/delete-record.js';
import { health } from './api/health.js';
import { getMetrics } from './api/metrics.js';
import { deleteUser, getUser, signIn, signOut, signUp } from './api/users.js';
import { createVideo, deleteVideo, editVideo, getVideo, listUserVideos, listVideos } from './api/videos.js';
import { serveCaptions } from './stream/serve-captions.js';
import { servePoster } from './stream/serve-poster.js';
import { streamVideo } from './stream/stream-video.js';
import { createTusUpload, deleteTusUpload, headTusUpload, patchTusUpload, tusOptions } from './tus/handlers.js';
import { TUS_RESPONSE_HEADERS } from './tus/protocol.js';
import { deleteCaptions, uploadCaptions } from './upload/upload-captions.js';
import { uploadPoster } from './upload/upload-poster.js';
import { uploadVideoForm, uploadVideoRaw } from './upload/upload-video.js';
import { homePage } from './web/pages/home.js';
import { userhomePage } from './web/pages/userhome.js';
import { watchPage } from './web/pages/watch.js';
import { serveStatic } from './web/statics.js';

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  pattern: string;
  handler: AppHandler;
  /** Headers on every response to this path, its errors and 405s included (set before the handler runs). */
  headers?: Readonly<Record<string, string>>;
  /**
   * The handler writes every header of its answers itself, X-Request-Id and nosniff included, in one flat
   * array: the server then sets none before it (each set header makes Node build and merge header objects).
   */
  writesOwnHead?: true;
}

export const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: '/user', handler: signUp },
  { method: 'POST', pattern: '/user/:username', handler: signIn },
  { method: 'GET', pattern: '/user/:username', handler: getUser },
  { method: 'DELETE', pattern: '/user/:username', handler: deleteUser },
  { method: 'DELETE', pattern: '/user/:username/session', handler: signOut },
  { method: 'GET', pattern: '/user/:username/videos', handler: listUserVideos },
  { method: 'POST', pattern: '/user/:username/videos', handler: createVideo },
  { method: 'GET', pattern: '/user/:username/videos/:vid-id', handler: getVideo },
  { method: 'PATCH', pattern: '/user/:username/videos/:vid-id', handler: editVideo },
  { method: 'DELETE', pattern: '/user/:username/videos/:vid-id', handler: deleteVideo },
  { method: 'GET', pattern: '/videos', handler: listVideos },
  { method: 'GET', pattern: '/videos/:vid-id', handler: streamVideo, writesOwnHead: true },
  { method: 'GET', pattern: '/videos/:vid-id/poster', handler: servePoster },
  { method: 'GET', pattern: '/videos/:vid-id/captions/:lang', handler: serveCaptions },
  { method: 'GET', pattern: '/videos/:vid-id/comments', handler: listComments },
  { method: 'POST', pattern: '/videos/:vid-id/comments', handler: postComment },
  { method: 'DELETE', pattern: '/videos/:vid-id/comments/:comment-id', handler: deleteComment },
  { method: 'GET', pattern: '/healthz', handler: health },
  { method: 'POST', pattern: '/upload/:vid-id', handler: uploadVideoForm },
  { method: 'PUT', pattern: '/upload/:vid-id', handler: uploadVideoRaw },
  { method: 'PUT', pattern: '/upload/:vid-id/poster', handler: uploadPoster },
  { method: 'OPTIONS', pattern: '/tus', handler: tusOptions, headers: TUS_RESPONSE_HEADERS },
  { method: 'POST', pattern: '/tus', handler: createTusUpload, headers: TUS_RESPONSE_HEADERS },
  { method: 'HEAD', pattern: '/tus/:upload-id', handler: headTusUpload, headers: TUS_RESPONSE_HEADERS },
  { method: 'PATCH', pattern: '/tus/:upload-id', handler: patchTusUpload, headers: TUS_RESPONSE_HEADERS },
  { method: 'DELETE', pattern: '/tus/:upload-id', handler: deleteTusUpload, headers: TUS_RESPONSE_HEADERS },
  { method: 'PUT', pattern: '/upload/:vid-id/captions/:lang', handler: uploadCaptions },
  { method: 'DELETE', pattern: '/upload/:vid-id/captions/:lang', handler: deleteCaptions },
  { method: 'GET', pattern: '/', handler: homePage },
  { method: 'GET', pattern: '/userhome', handler: userhomePage },
  { method: 'GET', pattern: '/watch/:vid-id', handler: watchPage },
  { method: 'GET', pattern: '/statics/*path', handler: serveStatic },
];

export const OPERATOR_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/healthz', handler: health },
  { method: 'GET', pattern: '/metrics', handler: getMetrics },
  { method: 'GET', pattern: '/video-delete-record/:vid-id', handler: queueVideoDeletion },
];
