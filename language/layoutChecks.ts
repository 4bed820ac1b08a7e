/** Messages and checks of the layout pass that need no pass state: unresolved names, overlapping regions. */
import { hexDigits } from '../emulator/isa/hex';
import type { Related, SegBuilder } from './passTypes';
import type { Span } from './parser';
import { t } from './l10n';

/** The digits of an address, 8 of them (messages put `0x` before). */
export const hex = (v: number): string => hexDigits(v, 8);

export function undefinedMessage(name: string, full: string): string {
  return name.startsWith('.') ? t("undefined local label '{0}' ({1})", name, full) : t("undefined label or constant '{0}'", name);
}

/**
 * Why `name`, a constant, has no value: follow the names its expression is missing (`unresolved`
 * gives them for a constant still without value, undefined for a name that is not one) to the
 * first one that is not defined at all; only when every path comes back to a constant on it is
 * it a circular definition. `.equ A, B + 1` / `.equ B, C + 1` with C undefined: C, not a cycle.
 */
export function noValueReason(name: string, unresolved: (full: string) => string[] | undefined): { message: string; circular: boolean } {
  const stack: string[] = [];
  const seen = new Set<string>();
  let cycle: string[] | undefined;
  const walk = (n: string): string[] | undefined => {
    const i = stack.indexOf(n);
    if (i >= 0) {
      cycle ??= [...stack.slice(i), n];
      return undefined;
    }
    if (seen.has(n)) return undefined;
    seen.add(n);
    const refs = unresolved(n);
    if (refs === undefined) return [n];
    stack.push(n);
    for (const r of refs) {
      const found = walk(r);
      if (found) return [n, ...found];
    }
    stack.pop();
    return undefined;
  };
  const chain = walk(name);
  if (chain?.length === 1) return { message: t("'{0}' has no value: its definition has an error", name), circular: false };
  if (chain) {
    const root = chain[chain.length - 1];
    return { message: t("'{0}' has no value: '{1}' is undefined", name, root) + (chain.length > 2 ? ` (${chain.join(' → ')})` : ''), circular: false };
  }
  return { message: t("'{0}' cannot be evaluated: circular definition", name) + (cycle ? ` (${cycle.join(' → ')})` : ''), circular: true };
}

export type OverlapReport = (file: string, span: Span, message: string, code: 'org-overlap' | 'address-overflow', related?: Related[]) => void;

/** Physical load ranges of two regions must not overlap, nor run past 4 GiB. */
export function checkOverlaps(segments: readonly SegBuilder[], report: OverlapReport, where = (file: string, line: number) => `${file}:${line + 1}`): void {
  const segs = segments.map((s, order) => ({ s, order })).filter((x) => x.s.size > 0);
  for (const { s } of segs) {
    if (s.load + s.size > 0x100000000) report(s.file, s.span, t('region at 0x{0} runs past the end of the 32-bit address space', hex(s.load)), 'address-overflow');
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
