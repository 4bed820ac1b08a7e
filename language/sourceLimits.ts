/**
 * The size rule every host applies to a source file before (or right after) reading it: on Node
 * readSourceFile (nodeHost.ts), in the browser the adapter's and the language server's web hosts,
 * whose files come from the editor. Pure: no fs, no vscode.
 */

import { t } from './l10n';

/** The largest file read as a source: a bigger one is a disk image or a log, not a program. */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** Why a file of `bytes` bytes is not read as a source, or undefined when its size is fine. */
export function sizeProblem(bytes: number): string | undefined {
  return bytes > MAX_SOURCE_BYTES ? t('it is larger than {0} MiB ({1} MiB)', MAX_SOURCE_BYTES >> 20, Math.ceil(bytes / (1 << 20))) : undefined;
}

/** The same rule for a text already read (browser hosts): its UTF-8 size, counted only when it could be too big. */
export function textSizeProblem(text: string): string | undefined {
  // A UTF-16 unit is at most 3 UTF-8 bytes: a shorter text cannot be over the limit.
  if (text.length * 3 <= MAX_SOURCE_BYTES) return undefined;
  if (text.length > MAX_SOURCE_BYTES) return sizeProblem(text.length);
  return sizeProblem(new TextEncoder().encode(text).length);
}
