// A ready video for stream tests, made as a user makes one: created through the API, then its file sent
// with PUT /upload/:vid-id (and a poster with PUT /upload/:vid-id/poster).
import { readFileSync } from 'node:fs';
import { createVideo, type TestUser } from './http.js';
import type { TestServer } from './server.js';

async function put(server: TestServer, user: TestUser, path: string, body: Buffer): Promise<void> {
  const res = await fetch(server.url + path, { method: 'PUT', headers: { 'X-Session-Id': user.sid }, body });
  if (res.status !== 201) throw new Error(`PUT ${path} answered ${res.status}: ${await res.text()}`);
}

/** Returns the new video's id. The mime is the server's to decide from the bytes; mime is what it must decide. */
export async function seedReadyVideo(server: TestServer, user: TestUser, fixturePath: string, mime: string): Promise<string> {
  const { id } = await createVideo(server, user);
  await put(server, user, `/upload/${id}`, readFileSync(fixturePath));
  const video = await (await fetch(`${server.url}/user/${user.name}/videos/${id}`)).json() as { status: string; mime: string };
  if (video.status !== 'ready' || video.mime !== mime) throw new Error(`uploaded video is ${video.status} ${video.mime}, not ready ${mime}`);
  return id;
}

export async function seedPoster(server: TestServer, user: TestUser, videoId: string, fixturePath: string): Promise<void> {
  await put(server, user, `/upload/${videoId}/poster`, readFileSync(fixturePath));
}
