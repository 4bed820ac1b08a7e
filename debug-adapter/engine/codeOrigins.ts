/**
 * Code a program made at run time, named after the code it came from: a binary translator's
 * output is shown at the guest instruction it translates. The machine cannot know where
 * generated code came from, so the generator publishes it, the way a JIT publishes its code to
 * gdb: a descriptor at the global label `__ringside_code_origins` (docs/debugger.md, "Translated
 * code"), three words:
 *
 *   .word table, count, end     physical address of the table, its number of entries, and the
 *                               linear address just past the generated code
 *   table: count × (start, origin)   linear addresses: a piece of generated code starts at
 *                               `start` (increasing) and does what the instruction at `origin` does
 *
 * A piece runs up to the next start (the last one up to `end`). Both addresses are in the address
 * space the generated code runs in.
 */
import type { Machine } from '../../emulator';

export const CODE_ORIGINS_SYMBOL = '__ringside_code_origins';

/**
 * A reader of the words a program publishes for the debugger (code origins, named transitions):
 * 0 outside memory, so a corrupt table can make a view wrong but never throw.
 */
export function publishedWords(m: Machine): (pa: number) => number {
  const size = m.memorySize;
  return (a) => (a >= 0 && a + 4 <= size ? m.readWordPhysical(a) >>> 0 : 0);
}
/** Tables longer than this are read only this far (a corrupt count must not hang a stop). */
const MAX_ENTRIES = 1 << 16;

/** The piece of generated code holding `pc`: where it starts and the linear address of the instruction it came from. */
export function originAt(m: Machine, descriptor: number | undefined, pc: number): { start: number; origin: number } | undefined {
  if (descriptor === undefined) return undefined;
  const size = m.memorySize;
  const rd = publishedWords(m);
  const table = rd(descriptor);
  const count = Math.min(rd(descriptor + 4), MAX_ENTRIES);
  const end = rd(descriptor + 8);
  const at = pc >>> 0;
  if (count === 0 || table + count * 8 > size || at >= end || at < rd(table)) return undefined;
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rd(table + mid * 8) <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? undefined : { start: rd(table + found * 8), origin: rd(table + found * 8 + 4) };
}

/** The linear address of the instruction that the generated code at `pc` came from, if the program published one. */
export function originOf(m: Machine, descriptor: number | undefined, pc: number): number | undefined {
  return originAt(m, descriptor, pc)?.origin;
}
