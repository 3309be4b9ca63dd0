// The upload dialog over tus in Chromium: a network that drops midway, a reload midway (the same file picked
// again goes on from where it stopped), another file picked after a reload, and a cancel that ends the upload
// on the server. Every finished video is byte-identical to its file. The page reaches the server through a
// TCP proxy (test/helpers/cutting-proxy.ts) that stalls or drops the connections at a chosen byte: Chromium's
// own offline mode stops new requests but lets a request already sending finish.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Request } from 'playwright-core';
import { CuttingProxy } from '../helpers/cutting-proxy.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';
import { waitUntil } from '../helpers/upload.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { isProgressAtLeast, storedTusUploads } from './in-page.js';
import { chooseUpload, signUpInBrowser } from './site.js';

const MIB = 1024 * 1024;
const CHUNK = 8 * MIB;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface TusRequest {
  method: string;
  path: string;
  /** Upload-Offset of a PATCH. */
  offset: number | undefined;
}

/** The server's access log lines for /tus: `PATCH /tus/<id> 204` (written within 100 ms: wait for one that must come). */
function tusLog(server: TestServer): string[] {
  return server.stdout().split('\n').flatMap((line) => {
    const match = / ((?:POST|HEAD|PATCH|DELETE) \/tus\S* \d{3}) /.exec(line);
    return match ? [match[1]!] : [];
  });
}

async function videoHash(server: TestServer, id: string): Promise<string> {
  const res = await fetch(`${server.url}/videos/${id}`);
  assert.equal(res.status, 200);
  return sha256(new Uint8Array(await res.arrayBuffer()));
}

/** HEAD /tus/:id as the owner: the server's Upload-Offset, or the status when it has no such upload. */
async function serverOffset(server: TestServer, path: string, sid: string): Promise<number | { status: number }> {
  const res = await fetch(`${server.url}${path}`, { method: 'HEAD', headers: { 'X-Session-Id': sid, 'Tus-Resumable': '1.0.0' } });
  return res.status === 200 ? Number(res.headers.get('upload-offset')) : { status: res.status };
}

describe('resumable uploads in Chromium', () => {
  it('go on after a dropped network and after a reload, and a cancel ends them on the server', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const proxy = await CuttingProxy.start(server.port);
    t.after(() => proxy.close());
    const origin = `http://127.0.0.1:${proxy.port}`;
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-e2e-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // A real MP4 (the server sniffs its first bytes) followed by noise that no transfer could compress.
    const longTake = join(dir, 'long-take.mp4');
    writeFileSync(longTake, Buffer.concat([readFileSync(join(ROOT, 'test/fixtures/sample.mp4')), randomBytes(24 * MIB)]));
    const longTakeHash = sha256(readFileSync(longTake));
    const sample = join(ROOT, 'test/fixtures/sample.webm');

    const browser = await launchBrowser();
    t.after(() => browser.close());
    const context = await newContext(browser);
    // Chromium sends a PATCH cut on a reused connection once more by itself, with its old Upload-Offset: the
    // server, which kept the bytes, answers 409, and the page asks where to go on (HEAD).
    const { page, problems, confirmLeaving } = await openPage(context, origin, [/status of 409/]);
    page.setDefaultTimeout(30_000);
    const sent: TusRequest[] = [];
    const sameOrigin: Promise<boolean>[] = [];
    const isTus = (req: Request) => new URL(req.url()).pathname.startsWith('/tus');
    page.on('request', (req) => {
      if (!isTus(req)) return;
      const offset = req.headers()['upload-offset'];
      sent.push({ method: req.method(), path: new URL(req.url()).pathname, offset: offset === undefined ? undefined : Number(offset) });
    });
    page.on('requestfinished', (req) => {
      if (!isTus(req) || req.method() === 'HEAD') return;
      // The session goes by cookie alone, so the server's cross-site check must see the page's own origin.
      sameOrigin.push(req.allHeaders().then((headers) => headers['sec-fetch-site'] === 'same-origin' && /\bsession=/.test(headers.cookie ?? '') && !('x-session-id' in headers)));
    });
    const uploadedId = async () => {
      await page.locator('#upload-dialog').waitFor({ state: 'hidden' });
      await page.locator('.video-item[aria-current="true"] .badge.ready').waitFor();
      return new URL(page.url()).hash.slice(1);
    };
    const patchesSince = (from: number) => sent.slice(from).filter((req) => req.method === 'PATCH');
    /**
     * Starts the dialog's upload and returns its path once `bytes` more went through the proxy, the rest held back.
     * The page's request events reach this process on their own way: the proxy can count the bytes first.
     */
    const startHeldAt = async (name: string, file: string, bytes: number): Promise<string> => {
      const from = sent.length;
      const held = proxy.holdAt(proxy.forwarded + bytes);
      await chooseUpload(page, name, file);
      await page.click('[data-submit]');
      await held;
      await waitUntil('the held PATCH to be seen', () => patchesSince(from).length > 0, 10_000);
      return patchesSince(from)[0]!.path;
    };
    // A reload that the page itself starts, as the browser's button does: one started over CDP skips "Leave page?".
    const reloadConfirmed = async () => {
      const left = confirmLeaving();
      const loaded = page.waitForEvent('load');
      await page.evaluate('setTimeout(() => location.reload())');
      await left;
      await loaded;
    };

    await signUpInBrowser(page, origin, 'tess');
    const sid = (await context.cookies()).find((cookie) => cookie.name === 'session')!.value;

    await t.test('finishes by itself after the network drops midway, byte-identical', async () => {
      // Within the second chunk, so that the drop cuts a PATCH midway.
      await startHeldAt('Dropped network', longTake, 12 * MIB);
      const beforeDrop = sent.length;
      await context.setOffline(true);
      proxy.cut();
      await page.locator('[data-progress-text]', { hasText: 'Offline: the upload goes on when the network is back' }).waitFor();
      await page.waitForTimeout(2000);
      await context.setOffline(false);
      const id = await uploadedId();
      assert.equal(await videoHash(server, id), longTakeHash);
      const log = tusLog(server);
      assert.ok(log.some((line) => / \/tus\/\S+ 499$/.test(line)), `a PATCH was cut midway: ${log.join(', ')}`);
      // The server kept the bytes of the cut PATCH: after asking (HEAD), the page goes on past the chunk it was sending.
      const afterDrop = sent.slice(beforeDrop);
      const asked = afterDrop.findIndex((req) => req.method === 'HEAD');
      const next = afterDrop.slice(asked).find((req) => req.method === 'PATCH');
      assert.ok(asked >= 0 && next?.offset !== undefined && next.offset > CHUNK && next.offset % CHUNK !== 0, `resumed at ${next?.offset}`);
      assert.equal(sent.filter((req) => req.method === 'POST').length, 1, 'one upload from start to end');
    });

    await t.test('goes on from where it stopped when the same file is picked again after a reload', async () => {
      const unfinished = await startHeldAt('Reloaded', longTake, 12 * MIB);
      await reloadConfirmed();
      const kept = await serverOffset(server, unfinished, sid);
      assert.ok(typeof kept === 'number' && kept > CHUNK, `the server kept ${JSON.stringify(kept)} bytes`);
      const afterReload = sent.length;
      // The pending video is selected again (its id is in the URL): its "Upload a video" opens the dialog for it.
      await page.click('[data-player-upload]');
      await page.setInputFiles('#upload-file', longTake);
      await page.click('[data-submit]');
      const id = await uploadedId();
      assert.equal(await videoHash(server, id), longTakeHash);
      const resumed = sent.slice(afterReload);
      assert.equal(resumed[0]?.method, 'HEAD', 'asks the server how far it got');
      assert.equal(resumed.filter((req) => req.method === 'POST').length, 0, 'no new upload');
      assert.equal(patchesSince(afterReload)[0]?.offset, kept, 'the first PATCH after the reload starts where the server stopped');
      await waitUntil('a PATCH of the upload answered 204 after its HEAD', () => {
        const log = tusLog(server);
        const reloadHead = log.lastIndexOf(`HEAD ${unfinished} 200`);
        return reloadHead >= 0 && log.slice(reloadHead + 1).some((line) => line === `PATCH ${unfinished} 204`);
      });
    });

    await t.test('ends the unfinished upload of another file before sending the file picked after a reload', async () => {
      const abandoned = await startHeldAt('Changed my mind', longTake, 3 * MIB);
      await reloadConfirmed();
      await page.click('[data-player-upload]');
      await page.setInputFiles('#upload-file', sample);
      await page.click('[data-submit]');
      const id = await uploadedId();
      assert.equal(await videoHash(server, id), sha256(readFileSync(sample)));
      await waitUntil('the first file\'s upload to be ended (DELETE 204)', () => tusLog(server).includes(`DELETE ${abandoned} 204`));
    });

    await t.test('a cancel ends the upload on the server (DELETE), and the video takes the file again', async () => {
      const cancelled = await startHeldAt('Cancelled', longTake, 3 * MIB);
      await page.click('#upload-dialog [data-cancel]');
      await page.locator('#upload-dialog [data-error]', { hasText: 'Upload cancelled' }).waitFor();
      await waitUntil('the cancelled upload to be ended (DELETE 204)', () => tusLog(server).includes(`DELETE ${cancelled} 204`));
      assert.deepEqual(await serverOffset(server, cancelled, sid), { status: 404 }, 'the upload is gone');
      const uploadId = cancelled.split('/').at(-1)!;
      assert.deepEqual(readdirSync(server.videoDir).filter((name) => name.includes(uploadId)), [], 'and so are its bytes');

      const retry = sent.length;
      await page.click('[data-submit]');
      const id = await uploadedId();
      assert.equal(await videoHash(server, id), longTakeHash);
      assert.equal(sent[retry]?.method, 'POST', 'a new upload');
      assert.equal(patchesSince(retry)[0]?.offset, 0);
    });

    await t.test('sends the session by cookie from the page\'s own origin, and leaves no upload URL behind', async () => {
      assert.ok(sameOrigin.length > 0);
      assert.ok((await Promise.all(sameOrigin)).every(Boolean), 'every POST, PATCH and DELETE carried the cookie, same-origin');
      const refused = tusLog(server).filter((line) => / (401|403)$/.test(line));
      assert.deepEqual(refused, []);
      assert.deepEqual(await page.evaluate(storedTusUploads), []);
    });

    assert.deepEqual(problems, []);
  });
});
