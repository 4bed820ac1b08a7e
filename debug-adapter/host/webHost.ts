/**
 * The adapter's host in the browser: the adapter runs in a Web Worker, where there is no file
 * system; files are the editor's (vscode.workspace.fs), asked for over the worker's channel.
 * Paths are URI strings.
 */
import { textSizeProblem } from '../../language/sourceLimits';
import { uriPaths } from '../../language/uriPaths';
import type { AdapterHost } from './host';

/**
 * The editor's answer to a read: the text, or why it cannot be read. The answering side should
 * stat first and refuse what is not a regular file or is over MAX_SOURCE_BYTES (sourceLimits.ts).
 */
export type ReadFile = (uri: string) => Promise<{ text: string } | { error: string }>;

export function webAdapterHost(readFile: ReadFile, cwd: string): AdapterHost {
  // A MessageChannel task runs after pending messages, without setTimeout's 4 ms clamp.
  const queue: (() => void)[] = [];
  // Typed by hand: the project compiles against Node's types, whose MessagePort has no onmessage.
  const channel = new MessageChannel() as unknown as { port1: { onmessage: () => void; unref?: () => void }; port2: { postMessage(m: unknown): void; unref?: () => void } };
  channel.port1.onmessage = () => queue.shift()?.();
  // Under Node (the tests run this host there) an open port would keep the process alive.
  channel.port1.unref?.();
  channel.port2.unref?.();
  return {
    paths: {
      ...uriPaths,
      key: (p) => p,
      contains: (folder, file) => file.startsWith(folder.endsWith('/') ? folder : folder + '/'),
    },
    async readFile(uri) {
      const r = await readFile(uri);
      if ('error' in r) throw new Error(r.error);
      // The editor has read it already; a text over the size rule is still refused, as on Node.
      const big = textSizeProblem(r.text);
      if (big) throw new Error(big);
      return r.text;
    },
    cwd: () => cwd,
    later: (fn) => {
      queue.push(fn);
      channel.port2.postMessage(undefined);
    },
  };
}
