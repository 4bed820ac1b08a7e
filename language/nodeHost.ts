/** The Node file-system SourceHost: the only file in language/ that touches fs or path (with server/nodeServiceHost.ts, which reads through readSourceFile). */
import * as fs from 'fs';
import * as path from 'path';
import { SourceHost } from './asmTypes';
import { t } from './l10n';
import { MAX_SOURCE_BYTES, sizeProblem } from './sourceLimits';

export { MAX_SOURCE_BYTES };

/**
 * The one rule for reading a source file from disk (the assembler, the CLI, the debug adapter
 * and the language server all use it): only a regular file of at most MAX_SOURCE_BYTES. A
 * device (/dev/zero, /dev/urandom), a pipe or a directory is refused with a reason, never read,
 * so no `.include` can make the host read without end.
 */
export function readSourceFile(file: string): { text: string } | { error: string } {
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO without a writer must not wait (it is refused just below).
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return { error: t('it is a directory') };
    if (!st.isFile()) return { error: t('it is not a regular file (a device, a pipe or a socket)') };
    const big = sizeProblem(st.size);
    if (big) return { error: big };
    const text = fs.readFileSync(fd, 'utf8');
    // A program or an image given by mistake: one error, not a thousand 'unexpected character's.
    if (text.includes('\0')) return { error: t('it is not a text file (it contains NUL bytes)') };
    return { text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? t('no such file') : code === 'EACCES' || code === 'EPERM' ? t('permission denied') : code === 'EISDIR' ? t('it is a directory') : (e as Error).message };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export const nodeHost: SourceHost = {
  readFile(file: string): string | undefined {
    const r = readSourceFile(file);
    return 'text' in r ? r.text : undefined;
  },
  readProblem(file: string): string | undefined {
    const r = readSourceFile(file);
    return 'error' in r ? r.error : undefined;
  },
  resolve(fromFile: string, rel: string): string {
    return path.resolve(path.dirname(fromFile), rel);
  },
};
