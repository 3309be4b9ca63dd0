// Small HTTP helpers for setting targets up and checking their answers before a load runs.

export interface JsonReply {
  status: number;
  headers: Headers;
  body: any;
}

export async function requestJson(url: string, method = 'GET', options: { body?: unknown; sid?: string } = {}): Promise<JsonReply> {
  const headers: Record<string, string> = {};
  if (options.sid) headers['X-Session-Id'] = options.sid;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: res.status, headers: res.headers, body: isJson && text ? JSON.parse(text) : text };
}

/** Throws unless the reply has the expected status: setup steps must not silently fail. */
export function expectStatus(reply: JsonReply, status: number, what: string): JsonReply {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
}

export interface ProbeExpectation {
  status: number;
  length: number;
  headers?: Record<string, string>;
}

/** One request before a load: the target must answer it as the scenario assumes, or the figures mean nothing. */
export async function checkAnswer(url: string, headers: Record<string, string>, expected: ProbeExpectation): Promise<void> {
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const problems: string[] = [];
  if (res.status !== expected.status) problems.push(`status ${res.status}, expected ${expected.status}`);
  if (body.length !== expected.length) problems.push(`${body.length} body bytes, expected ${expected.length}`);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    if (res.headers.get(name) !== value) problems.push(`${name}: ${res.headers.get(name)}, expected ${value}`);
  }
  if (problems.length > 0) throw new Error(`GET ${url} ${JSON.stringify(headers)}: ${problems.join('; ')}`);
}
