// What a scenario needs from a server under test: where its files and comments are, and its processes.

export type TargetName = 'moviedash' | 'nginx' | 'fastify' | 'node:http';

export interface Target {
  name: TargetName;
  baseUrl: string;
  /** URL of the 64 MiB and the 1 GiB file, or null when this target cannot stream them (yet). */
  fileUrl: { small: string | null; large: string | null };
  /** URL of GET comments of the video with 20 comments, or null when this target has no such route. */
  commentsUrl: string | null;
  /** Where a raw PUT of a file lands (nginx's WebDAV PUT, the reference of scenario F), or null. */
  putUrl: string | null;
  /** The server's processes, for memory figures (nginx: master and workers). */
  pids(): number[];
  /** Whether the server still runs, and the end of its log: printed when a scenario fails. */
  diagnose(): string;
  stop(): Promise<void>;
}
