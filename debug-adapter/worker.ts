/**
 * Browser entry point: the debug adapter in a Web Worker of its own (a runaway guest never
 * freezes the editor, and a pause arrives between run slices). The extension's WorkerAdapter
 * (extension/debug/webAdapter.ts) speaks to it with the messages in workerMessages.ts.
 */
import { RingsideSession } from './dap/session';
import { webAdapterHost } from './host/webHost';
import type { ToWorker, FromWorker } from './host/workerMessages';

// The worker's global scope, typed by hand: the project compiles without the DOM library.
declare const self: { postMessage(m: FromWorker): void; onmessage: ((e: { data: ToWorker }) => void) | null };

let session: RingsideSession | undefined;
const reads = new Map<number, (r: { text: string } | { error: string }) => void>();
let nextRead = 1;

const readFile = (uri: string) =>
  new Promise<{ text: string } | { error: string }>((resolve) => {
    const id = nextRead++;
    reads.set(id, resolve);
    self.postMessage({ kind: 'read', id, uri });
  });

self.onmessage = (e) => {
  const m = e.data;
  switch (m.kind) {
    case 'start':
      session = new RingsideSession(webAdapterHost(readFile, m.cwd));
      session.onDidSendMessage((dap) => self.postMessage({ kind: 'dap', message: dap }));
      break;
    case 'dap':
      session?.handleMessage(m.message as Parameters<RingsideSession['handleMessage']>[0]);
      break;
    case 'read': {
      const done = reads.get(m.id);
      reads.delete(m.id);
      done?.(m.result);
      break;
    }
  }
};
