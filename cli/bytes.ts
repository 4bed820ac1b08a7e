/** The console's bytes on the command line: --stdin's escapes in, the guest's output out. */
import * as fs from 'fs';
import { FileError, fsReason, UsageError } from './args';

const SIMPLE: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, '\\': 0x5c, '0': 0x00 };

/** --stdin TEXT as bytes: UTF-8, with the escapes \n \r \t \\ \0 and \xNN (any byte). */
export function stdinBytes(text: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      // A whole character (a surrogate pair too) as its UTF-8 bytes.
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      out.push(...enc.encode(ch));
      i += ch.length - 1;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && e in SIMPLE) {
      out.push(SIMPLE[e]);
      i++;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      throw new UsageError(`--stdin: '\\${e ?? ''}' is not an escape (use \\n, \\r, \\t, \\\\, \\0 or \\xNN with two hex digits)`);
    }
  }
  return Uint8Array.from(out);
}

/** Console input larger than this is a mistake (a disk image given by accident). */
const MAX_STDIN_FILE = 64 * 1024 * 1024;

/** --stdin-file FILE: its bytes, unchanged. Only a regular file: a device or a pipe could be read without end. */
export function stdinFileBytes(file: string): Uint8Array {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new FileError(`cannot read '${file}': ${fsReason(e)}`);
  }
  if (st.isDirectory()) throw new FileError(`cannot read '${file}': it is a directory`);
  if (!st.isFile()) throw new FileError(`cannot read '${file}': it is not a regular file (a device, a pipe or a socket)`);
  if (st.size > MAX_STDIN_FILE) throw new FileError(`cannot read '${file}': it is larger than ${MAX_STDIN_FILE >> 20} MiB`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new FileError(`cannot read '${file}': ${fsReason(e)}`);
  }
}

/**
 * How many bytes at the end of `b` begin a UTF-8 character whose other bytes have not come yet.
 * The CLI writes the guest's bytes unchanged but holds these back until the next piece, so a
 * --trace or --events line never falls inside a character.
 */
export function incompleteTail(b: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const x = b[b.length - k];
    if ((x & 0xc0) === 0x80) continue;
    const need = x >= 0xf0 && x <= 0xf7 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
    return x >= 0xc0 && x <= 0xf7 && need > k ? k : 0;
  }
  return 0;
}
