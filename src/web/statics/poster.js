// A poster for an upload, made in the browser since the server has no video tool: play the chosen file
// in a hidden <video>, seek to about 1 s, draw that frame on a canvas and encode it as JPEG.
// Resolves null when the browser cannot decode the file; the site then shows its placeholder.

const WIDTH = 640;
const AT_SECONDS = 1;
const TIMEOUT_MS = 8000;
const FRAME_TRIES = 5;
const FRAME_RETRY_MS = 200;

/** Every pixel dark: nothing drawn yet (or a frame that really is black, which then stays). */
function isBlack(context, canvas) {
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] > 16 || data[i + 1] > 16 || data[i + 2] > 16) return false;
  }
  return true;
}

function waitFor(media, eventName) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${eventName} in time`)), TIMEOUT_MS);
    const done = (handler) => (event) => {
      clearTimeout(timer);
      media.removeEventListener(eventName, onEvent);
      media.removeEventListener('error', onError);
      handler(event);
    };
    const onEvent = done(resolve);
    const onError = done(() => reject(new Error('cannot decode')));
    media.addEventListener(eventName, onEvent);
    media.addEventListener('error', onError);
  });
}

export async function grabPoster(file) {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  try {
    const loaded = waitFor(video, 'loadeddata');
    video.src = url;
    await loaded;
    // A clip shorter than 2 s gets its middle frame.
    const duration = Number.isFinite(video.duration) ? video.duration : 2 * AT_SECONDS;
    const seeked = waitFor(video, 'seeked');
    video.currentTime = Math.min(AT_SECONDS, duration / 2);
    await seeked;
    if (video.videoWidth === 0) return null;
    const scale = Math.min(1, WIDTH / video.videoWidth);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    // A decoder that is slow to present the seeked frame leaves the canvas black: look again a few times.
    for (let tries = 0; tries < FRAME_TRIES; tries++) {
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      if (!isBlack(context, canvas)) break;
      await new Promise((resolve) => setTimeout(resolve, FRAME_RETRY_MS));
    }
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  } catch {
    return null;
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}
