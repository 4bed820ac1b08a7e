/** The Node file-system SourceHost: the only file in language/ that touches fs or path. */
import * as fs from 'fs';
import * as path from 'path';
import { SourceHost } from './asmTypes';

export const nodeHost: SourceHost = {
  readFile(file: string): string | undefined {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  resolve(fromFile: string, rel: string): string {
    return path.resolve(path.dirname(fromFile), rel);
  },
};

/** A host that prefers in-memory contents (open editor buffers) over the disk. */
export function overlayHost(overlay: Map<string, string>): SourceHost {
  return {
    readFile: (file) => overlay.get(path.resolve(file)) ?? nodeHost.readFile(file),
    resolve: nodeHost.resolve,
  };
}
