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
interface LaidOutElement {
  tagName: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
  scrollIntoView(options: { block: 'start' }): void;
}
declare const document: {
  querySelector(selector: string): unknown;
  createElement(tag: string): object;
  images: Iterable<ImageElement>;
  activeElement: LaidOutElement | null;
};
declare const window: { progressSeen?: number[] };
declare const localStorage: Record<string, string>;
declare const innerHeight: number;
declare const innerWidth: number;
declare function getComputedStyle(element: unknown): { outlineStyle: string; outlineWidth: string; outlineOffset: string };
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

/** The upload dialog's progress bar has reached `percent`. */
export function isProgressAtLeast(percent: number): boolean {
  return (document.querySelector('[data-progress]') as ProgressElement).value >= percent;
}

/** The keys of the upload URLs tus-js-client keeps in localStorage for resuming (`tus::<fingerprint>::<n>`). */
export function storedTusUploads(): string[] {
  return Object.keys(localStorage).filter((key) => key.startsWith('tus::'));
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

export function currentTimeOf(selector: string): number {
  return (document.querySelector(selector) as MediaElement).currentTime;
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

export interface AxeSummary {
  violations: { id: string; impact: string | null; targets: string[] }[];
  passed: string[];
}
interface AxeResults {
  violations: { id: string; impact?: string | null; nodes: { target: unknown[] }[] }[];
  passes: { id: string }[];
}
declare const axe: { run(context: unknown, options: unknown): Promise<AxeResults> };

/** axe-core over the document or the element `selector` names (axe must be injected first), reduced to what can cross into Node. */
export async function runAxe(selector: string | null): Promise<AxeSummary> {
  const results = await axe.run(selector === null ? document : { include: [selector] }, { resultTypes: ['violations', 'passes'] });
  return {
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    })),
    passed: results.passes.map((pass) => pass.id),
  };
}

/** For the audit's own test: an image with no alt text in <main>. */
export function addImageWithoutAlt(): void {
  const main = document.querySelector('main') as { append(node: object): void };
  main.append(Object.assign(document.createElement('img'), { src: '/statics/images/logo.svg' }));
}

/** `button: Upload video`: the focused element's tag and trimmed text. */
export function activeElementSummary(): string {
  const active = document.activeElement;
  return active ? `${active.tagName.toLowerCase()}: ${(active.textContent ?? '').trim()}` : 'none';
}

export function boxOf(selector: string): { top: number; bottom: number; left: number; right: number } {
  const { top, bottom, left, right } = (document.querySelector(selector) as LaidOutElement).getBoundingClientRect();
  return { top, bottom, left, right };
}

/** The element's top edge is on screen and it is not cut off at either side. */
export function isInViewport(selector: string): boolean {
  const box = (document.querySelector(selector) as LaidOutElement).getBoundingClientRect();
  return box.top >= 0 && box.top < innerHeight && box.left >= 0 && box.right <= innerWidth;
}

/** Content wider than the element's box: a long word pushing out. */
export function overflowsHorizontally(selector: string): boolean {
  const element = document.querySelector(selector) as LaidOutElement;
  return element.scrollWidth > element.clientWidth || element.getBoundingClientRect().right > innerWidth;
}

/** `solid 3px -3px`: style, width and offset of the element's outline. */
export function outlineOf(selector: string): string {
  const style = getComputedStyle(document.querySelector(selector));
  return `${style.outlineStyle} ${style.outlineWidth} ${style.outlineOffset}`;
}

/** Scrolls the page so that the element starts at the top of the screen. */
export function scrollToTop(selector: string): void {
  (document.querySelector(selector) as LaidOutElement).scrollIntoView({ block: 'start' });
}

interface CaptionTrack {
  mode: string;
  cues: Iterable<{ getCueAsHTML(): { textContent: string | null } }> | null;
}
interface TrackElement {
  readyState: number;
  addEventListener(type: 'load' | 'error', listener: () => void, options: { once: true }): void;
}
interface VideoWithTracks {
  textTracks: CaptionTrack[];
  querySelectorAll(selector: 'track'): TrackElement[];
}

/** Turns the player's track `index` on, as the captions menu does, and returns its cues' text once loaded. */
export async function showCaptions({ selector, index }: { selector: string; index: number }): Promise<string[]> {
  const video = document.querySelector(selector) as VideoWithTracks;
  const track = video.textTracks[index]!;
  const element = video.querySelectorAll('track')[index]!;
  track.mode = 'showing';
  if (element.readyState !== 2) {
    await new Promise<void>((resolve, reject) => {
      element.addEventListener('load', resolve, { once: true });
      element.addEventListener('error', () => reject(new Error('the track did not load')), { once: true });
    });
  }
  return [...(track.cues ?? [])].map((cue) => cue.getCueAsHTML().textContent ?? '');
}
