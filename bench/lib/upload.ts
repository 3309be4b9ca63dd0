// A raw PUT with curl -T (moviedash's PUT /upload/:vid-id, nginx's WebDAV PUT): the file streams from disk
// as the body, as an operator's script would send it.
import { runCommand } from './procs.js';

export interface UploadResult {
  status: number;
  seconds: number;
  bytes: number;
  body: string;
}

export async function uploadWithCurl(url: string, path: string, headers: Record<string, string> = {}): Promise<UploadResult> {
  const { stdout } = await runCommand('curl', [
    '-sS', '-T', path, '-X', 'PUT',
    ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    '-H', 'Content-Type: video/mp4',
    // No 100-continue round trip: it would add curl's 1 s wait to the figure if a server did not answer it.
    '-H', 'Expect:',
    '-w', '\n%{http_code} %{time_total} %{size_upload}',
    url,
  ]);
  const lines = stdout.trimEnd().split('\n');
  const [status, seconds, bytes] = lines.pop()!.split(' ').map(Number) as [number, number, number];
  return { status, seconds, bytes, body: lines.join('\n') };
}
