// Functions that playwright serialises and runs inside Chromium (page.evaluate / waitForFunction). They
// must not close over anything in this module. The project type-checks without the DOM library, so the
// few browser globals they touch are declared here, in this module only.

interface MediaElement {
  readyState: number;
  networkState: number;
  currentTime: number;
  muted: boolean;
  play(): Promise<void>;
  pause(): void;
  addEventListener(type: 'seeked', listener: () => void, options: { once: true }): void;
}
interface ProgressElement {
  value: number;
}
interface ImageElement {
  complete: boolean;
  naturalWidth: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { top: number };
}
declare const document: { querySelector(selector: string): unknown; images: Iterable<ImageElement> };
declare const window: { progressSeen?: number[] };
declare const innerHeight: number;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: { attributeFilter: string[] }): void;
}

/** Keeps every value the upload dialog's <progress> takes, in window.progressSeen. */
export function recordProgress(): void {
  const progress = document.querySelector('[data-progress]') as ProgressElement;
  const seen: number[] = [];
  window.progressSeen = seen;
  new MutationObserver(() => seen.push(progress.value)).observe(progress, { attributeFilter: ['value'] });
}

export function progressSeen(): number[] {
  return window.progressSeen ?? [];
}

/** Muted, so Chromium's autoplay policy lets a script start it. */
export async function playMuted(selector: string): Promise<void> {
  const video = document.querySelector(selector) as MediaElement;
  video.muted = true;
  await video.play();
}

export function isPlaying(selector: string): boolean {
  const video = document.querySelector(selector) as MediaElement;
  return video.readyState >= 2 && video.currentTime > 0.3;
}

export function hasMetadata(selector: string): boolean {
  return (document.querySelector(selector) as MediaElement).readyState >= 1;
}

/** Resolves with currentTime once the `seeked` event has fired. */
export async function seekTo({ selector, seconds }: { selector: string; seconds: number }): Promise<number> {
  const video = document.querySelector(selector) as MediaElement;
  video.pause();
  const seeked = new Promise<void>((resolve) => video.addEventListener('seeked', resolve, { once: true }));
  video.currentTime = seconds;
  await seeked;
  return video.currentTime;
}

/** The first frame is there and the network is idle, so Chromium's loading spinner goes away. */
export function isPlayerIdle(selector: string): boolean {
  const video = document.querySelector(selector) as MediaElement;
  return video.readyState >= 2 && video.networkState === 1; // NETWORK_IDLE
}

/** Every image in view has loaded and has pixels: posters, placeholders, the logo. */
export function areImagesInViewLoaded(): boolean {
  return [...document.images]
    .filter((img) => img.getAttribute('src') !== null && img.getBoundingClientRect().top < innerHeight)
    .every((img) => img.complete && img.naturalWidth > 0);
}
