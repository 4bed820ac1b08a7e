/** The adapter's host on Node: files from disk by the assembler's one rule (readSourceFile), OS paths. */
import * as path from 'path';
import { readSourceFile } from '../../language/nodeHost';
import type { AdapterHost } from './host';

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
const key = (p: string) => (caseInsensitive ? path.resolve(p).toLowerCase() : path.resolve(p));

export const nodeAdapterHost: AdapterHost = {
  paths: {
    resolve: (base, rel) => path.resolve(base, rel),
    dirname: (p) => path.dirname(p),
    basename: (p) => path.basename(p),
    relative: (from, to) => path.relative(from, to) || to,
    key,
    contains(folder, file) {
      const rel = path.relative(key(folder), key(file));
      return !rel.startsWith('..') && !path.isAbsolute(rel);
    },
  },
  async readFile(file) {
    // Regular files up to 64 MiB only: a device or a huge file is refused, never read.
    const r = readSourceFile(file);
    if ('error' in r) throw new Error(r.error);
    return r.text;
  },
  cwd: () => process.cwd(),
  later: (fn) => void setImmediate(fn),
};
