/**
 * Memory ranges for VS Code's memory view: virtual ranges are read page by
 * page through the current translation and stop at the first unmapped page
 * (the rest is reported unreadable); physical ranges stop at the end of memory.
 */
import type { Machine } from '../../emulator';

// Buffer is Node's; btoa/atob exist on Node and in browsers alike.

/** Bytes as text, one character a byte (the console is 8-bit); in pieces, as apply takes only so many arguments. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 8192)));
  return s;
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(latin1(bytes));
}

/** Throws on text that is not base64. */
export function fromBase64(text: string): Uint8Array {
  let s: string;
  try {
    s = atob(text);
  } catch {
    throw new Error(`'data' is not base64 (A-Z, a-z, 0-9, + and /, padded with =): ${JSON.stringify(text.slice(0, 40))}`);
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A linear address's physical address in one address space (a frame's: its VM's, its process's), or -1. */
export type Translate = (va: number) => number;

/** The address space the CPU runs in now. */
export const cpuSpace = (m: Machine): Translate => (va) => m.translate(va);

export function readRange(m: Machine, address: number, physical: boolean, count: number, tr: Translate = cpuSpace(m)): { address: number; data: Uint8Array; unreadable: number } {
  const start = address >>> 0;
  if (physical) {
    const data = start < m.memorySize ? m.readPhysical(start, count) : new Uint8Array(0);
    return { address: start, data, unreadable: count - data.length };
  }
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < count && start + got <= 0xffffffff) {
    const va = start + got;
    const n = Math.min(count - got, 4096 - (va & 0xfff), 0x100000000 - va);
    const pa = tr(va | 0);
    if (pa < 0) break;
    parts.push(m.readPhysical(pa, n));
    got += n;
  }
  const data = new Uint8Array(got);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { address: start, data, unreadable: count - got };
}

/**
 * Write a range; returns bytes written (stops at the first unmapped page or the end of memory).
 * `dry`: write nothing, only count what would be written.
 */
export function writeRange(m: Machine, address: number, physical: boolean, bytes: Uint8Array, dry = false, tr: Translate = cpuSpace(m)): number {
  const start = address >>> 0;
  if (physical) return start >= m.memorySize ? 0 : dry ? Math.min(bytes.length, m.memorySize - start) : m.writePhysical(start, bytes);
  let done = 0;
  // The address space ends at 0xFFFFFFFF: a write that would run past it stops there (never wraps to 0).
  while (done < bytes.length && start + done <= 0xffffffff) {
    const va = start + done;
    const n = Math.min(bytes.length - done, 4096 - (va & 0xfff), 0x100000000 - va);
    const pa = tr(va | 0);
    if (pa < 0) break;
    const k = dry ? Math.max(0, Math.min(n, m.memorySize - pa)) : m.writePhysical(pa, bytes.subarray(done, done + n));
    done += k;
    if (k < n) break;
  }
  return done;
}

/** `0x00400000` (virtual) or `phys:0x00200000`. */
export function parseReference(ref: string): { address: number; physical: boolean } {
  const m = /^\s*(phys:)?\s*(0x[0-9a-f]+|\d+)\s*$/i.exec(ref);
  if (!m) throw new Error(`'${ref}' is not an address (write 0x... or phys:0x...)`);
  const address = Number(m[2]);
  if (address > 0xffffffff) throw new Error(`${ref} does not fit in 32 bits`);
  return { address, physical: m[1] !== undefined };
}
