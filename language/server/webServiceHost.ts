/**
 * The service's host in the browser: the server runs in a Web Worker with no file system, and
 * the service reads synchronously. Files come from the editor (the client answers the requests
 * below through vscode.workspace.fs): a file not read yet is unknown for now and asked for; when
 * its text arrives the server is told, and analyses that used it run again. Texts are asked for
 * anew once they are older than REFRESH_MS (an include edited in another tab).
 */
import type { Connection } from 'vscode-languageserver';
import type { ServiceHost } from '../service/languageService';
import { textSizeProblem } from '../sourceLimits';
import { uriPaths } from '../uriPaths';
import type { ServerOptions } from './server';

/** The requests the browser client answers (extension/languageClientWeb.ts). */
export const WEB_REQUESTS = {
  readFile: 'ringside/readFile',
  readDirectory: 'ringside/readDirectory',
  workspaceFiles: 'ringside/workspaceFiles',
} as const;

const REFRESH_MS = 2000;

interface Entry<T> {
  value: T | undefined;
  at: number;
  asking: boolean;
}

export function webServiceHost(connection: Connection): ServerOptions['host'] {
  return (folders, changed) => {
    const files = new Map<string, Entry<string>>();
    const dirs = new Map<string, Entry<{ name: string; directory: boolean }[]>>();
    let workspace: Entry<string[]> | undefined;

    /** The cached value; asks the client when there is none or it is old, calling `arrived` if it changed. */
    function cached<T>(map: Map<string, Entry<T>>, key: string, method: string, arrived: () => void): T | undefined {
      let e = map.get(key);
      if (!e) map.set(key, (e = { value: undefined, at: 0, asking: false }));
      if (!e.asking && Date.now() - e.at > REFRESH_MS) {
        const entry = e;
        entry.asking = true;
        connection.sendRequest<T | null>(method, { uri: key }).then(
          (v) => {
            const value = v ?? undefined;
            const same = JSON.stringify(value) === JSON.stringify(entry.value);
            Object.assign(entry, { value, at: Date.now(), asking: false });
            if (!same) arrived();
          },
          () => Object.assign(entry, { at: Date.now(), asking: false }),
        );
      }
      return e.value;
    }

    const host: ServiceHost = {
      readFile(uri) {
        if (!uriPaths.isAbsolute(uri) || uri.startsWith('untitled:')) return undefined;
        const text = cached(files, uri, WEB_REQUESTS.readFile, () => changed(uri));
        // The same size rule as on Node (readSourceFile): a text over 64 MiB is not a source.
        return text !== undefined && textSizeProblem(text) ? undefined : text;
      },
      resolve(from, rel) {
        // Untitled documents resolve includes against the first workspace folder.
        return uriPaths.resolve(from.startsWith('untitled:') ? (folders()[0] ?? '') : uriPaths.dirname(from), rel);
      },
      readDirectory: (uri) => cached(dirs, uri, WEB_REQUESTS.readDirectory, () => undefined),
      workspaceFiles() {
        const m = new Map<string, Entry<string[]>>(workspace ? [['', workspace]] : []);
        const v = cached(m, '', WEB_REQUESTS.workspaceFiles, () => undefined);
        workspace = m.get('');
        return v ?? [];
      },
    };
    return host;
  };
}
