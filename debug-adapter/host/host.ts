/**
 * What the adapter needs from the place it runs in: files, paths and a way to let other work in
 * between run slices. One adapter, two hosts: Node (nodeHost.ts, the stand-alone adapter over
 * stdio) and the browser (webHost.ts, the adapter in a Web Worker); each entry point picks one.
 */

/** Paths in the host's own form: file-system paths on Node, URI strings in the browser. */
export interface PathOps {
  /** `rel` resolved against the folder `base` (an absolute `rel` stays as it is). */
  resolve(base: string, rel: string): string;
  dirname(p: string): string;
  basename(p: string): string;
  /** `to` as written relative to the folder `from`, for messages. */
  relative(from: string, to: string): string;
  /** The form paths are compared in (case folded where the file system ignores case). */
  key(p: string): string;
  /** Whether `file` lies inside the folder `folder` (includes reaching out of the workspace are named). */
  contains(folder: string, file: string): boolean;
}

export interface AdapterHost {
  readonly paths: PathOps;
  /**
   * A source file's text; rejects with an Error whose message says why it cannot be read. Every
   * host applies the one size rule (language/sourceLimits.ts): only regular files up to 64 MiB.
   */
  readFile(file: string): Promise<string>;
  /** The folder a relative program path is resolved against when the launch names none. */
  cwd(): string;
  /** Runs `fn` soon, after messages that arrived meanwhile (a pause) have been handled. */
  later(fn: () => void): void;
}
