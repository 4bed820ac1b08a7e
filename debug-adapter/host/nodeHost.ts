/** The adapter's host on Node: files from disk through the assembler's nodeHost, OS paths. */
import * as fs from 'fs';
import * as path from 'path';
import { nodeHost } from '../../language/nodeHost';
import type { AdapterHost } from './host';

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

export const nodeAdapterHost: AdapterHost = {
  paths: {
    resolve: (base, rel) => path.resolve(base, rel),
    dirname: (p) => path.dirname(p),
    basename: (p) => path.basename(p),
    relative: (from, to) => path.relative(from, to) || to,
    key: (p) => (caseInsensitive ? path.resolve(p).toLowerCase() : path.resolve(p)),
  },
  async readFile(file) {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch (e) {
      throw new Error((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
    }
    if (st.isDirectory()) throw new Error('it is a directory');
    const text = nodeHost.readFile(file);
    if (text === undefined) throw new Error('it cannot be read');
    return text;
  },
  cwd: () => process.cwd(),
  later: (fn) => void setImmediate(fn),
};
