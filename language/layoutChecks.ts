/** Messages and checks of the layout pass that need no pass state: unresolved names, overlapping regions. */
import { hexDigits } from '../emulator/isa/hex';
import { GPR_COUNT, sysRegByName, vmcsFieldByName } from '../emulator/isa/registers';
import { registerLike } from './forms';
import type { Related, SegBuilder } from './passTypes';
import type { Span } from './parser';
import { t } from './l10n';

/** The digits of an address, 8 of them (messages put `0x` before). */
export const hex = (v: number): string => hexDigits(v, 8);

export function undefinedMessage(name: string, full: string): string {
  if (name.startsWith('.')) return t("undefined local label '{0}' ({1})", name, full);
  if (registerLike(name)) return t("undefined label or constant '{0}': R32 has no such register (r0 to r{1}; sp is r15, fp is r14)", name, GPR_COUNT - 1);
  // `mov r1, cr2`, `mov r1, guest_pc` (x86's mov reads control registers): a name, but not one an expression can use.
  if (sysRegByName(name)) return t("undefined label or constant '{0}': {0} is a system register, read with rdsr and written with wrsr", name);
  if (vmcsFieldByName(name)) return t("undefined label or constant '{0}': {0} is a VMCS field, read with vmread and written with vmwrite", name);
  return t("undefined label or constant '{0}'", name);
}

/** Names a chain or cycle shows before it is cut short: a chain 100,000 long must not make each message that long. */
const SHOWN = 6;

/** `a → b → … → z`, at most SHOWN names and the last. */
function path(names: readonly string[], last: string): string {
  const shown = names.length > SHOWN ? [...names.slice(0, SHOWN - 1), '…'] : names;
  return [...shown, last].join(' → ');
}

export interface NoValue {
  message: string;
  circular: boolean;
}

/**
 * Why constants have no value. `missing` gives, for each constant still without value, the names
 * its expression lacks. Follow them to the nearest name that is not such a constant (undefined, or
 * a constant whose definition has an error); only when none can be reached is it a circular
 * definition. `.equ A, B + 1` / `.equ B, C + 1` with C undefined: C, not a cycle. Every constant's
 * answer together takes time linear in the constants (a breadth-first walk back from the ends).
 */
export function noValueReasons(missing: ReadonlyMap<string, readonly string[]>): (name: string) => NoValue {
  // Toward the nearest end: the next name on the way, and the end.
  const next = new Map<string, string>();
  const end = new Map<string, string>();
  const users = new Map<string, string[]>();
  const queue: string[] = [];
  for (const [n, refs] of missing) {
    // Lacking no name (a division by zero): its own definition has the error.
    if (refs.length === 0) end.set(n, n);
    for (const r of refs) {
      if (!missing.has(r) && !end.has(n)) {
        next.set(n, r);
        end.set(n, r);
      }
      let u = users.get(r);
      if (!u) users.set(r, (u = []));
      u.push(n);
    }
    if (end.has(n)) queue.push(n);
  }
  for (let i = 0; i < queue.length; i++) {
    for (const u of users.get(queue[i]) ?? []) {
      if (end.has(u)) continue;
      next.set(u, queue[i]);
      end.set(u, end.get(queue[i])!);
      queue.push(u);
    }
  }
  const cycles = cyclesOf(missing, end);
  return (name) => {
    const root = end.get(name);
    if (root === name || (root === undefined && !missing.has(name))) return { message: t("'{0}' has no value: its definition has an error", name), circular: false };
    if (root !== undefined) {
      const chain = [name];
      for (let n = next.get(name)!; n !== root && chain.length <= SHOWN; n = next.get(n)!) chain.push(n);
      const why = missing.has(root) ? t("'{0}' has no value: the definition of '{1}' has an error", name, root) : t("'{0}' has no value: '{1}' is undefined", name, root);
      return { message: why + (chain.length > 1 ? ` (${path(chain, root)})` : ''), circular: false };
    }
    const cycle = cycles.get(name);
    return { message: t("'{0}' cannot be evaluated: circular definition", name) + (cycle ? ` (${cycle})` : ''), circular: true };
  };
}

/** For each constant that reaches no end: the cycle its first-named uses lead into, as text (`A → B → A`), each walked once. */
function cyclesOf(missing: ReadonlyMap<string, readonly string[]>, end: ReadonlyMap<string, string>): Map<string, string> {
  const text = new Map<string, string>();
  for (const start of missing.keys()) {
    if (end.has(start) || text.has(start)) continue;
    const walk: string[] = [];
    const at = new Map<string, number>();
    let n = start;
    // Each such constant lacks only such constants: follow the first until a cycle or a walked one.
    while (!text.has(n) && !at.has(n)) {
      at.set(n, walk.length);
      walk.push(n);
      n = missing.get(n)![0];
    }
    const first = at.get(n);
    if (first !== undefined) {
      // A new cycle: each of its constants tells it from itself round to itself.
      const cycle = walk.slice(first);
      for (let k = 0; k < cycle.length; k++) {
        const names: string[] = [];
        for (let j = 0; j < Math.min(cycle.length, SHOWN + 1); j++) names.push(cycle[(k + j) % cycle.length]);
        text.set(cycle[k], path(names, cycle[k]));
      }
    }
    // The rest lead into it: told as the cycle from where they enter.
    for (const w of walk) if (!text.has(w)) text.set(w, text.get(n)!);
  }
  return text;
}

/** A region whose bytes run past the 32-bit address space: reported here, and given no image (emit.ts). */
export const runsPastEnd = (s: SegBuilder): boolean => s.load + s.size > 0x100000000;

export type OverlapReport = (file: string, span: Span, message: string, code: 'org-overlap' | 'address-overflow', related?: Related[]) => void;

/** Physical load ranges of two regions must not overlap, nor run past 4 GiB. */
export function checkOverlaps(segments: readonly SegBuilder[], report: OverlapReport, where = (file: string, line: number) => `${file}:${line + 1}`): void {
  const segs = segments.map((s, order) => ({ s, order })).filter((x) => x.s.size > 0);
  for (const { s } of segs) {
    if (runsPastEnd(s)) report(s.file, s.span, t('region at 0x{0} runs past the end of the 32-bit address space', hex(s.load)), 'address-overflow');
  }
  const sorted = [...segs].sort((a, b) => a.s.load - b.s.load || a.order - b.order);
  const r = (s: SegBuilder) => `0x${hex(s.load)}-0x${hex(s.load + s.size - 1)}`;
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].s.load < sorted[i].s.load + sorted[i].s.size; j++) {
      const [first, second] = sorted[i].order < sorted[j].order ? [sorted[i].s, sorted[j].s] : [sorted[j].s, sorted[i].s];
      report(second.file, second.span, t('region {0} overlaps region {1} (from {2})', r(second), r(first), where(first.file, first.span.line)), 'org-overlap', [
        { file: first.file, line: first.span.line, start: first.span.start, end: first.span.end, message: t('the other region starts here') },
      ]);
    }
  }
}
