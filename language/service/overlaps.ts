/** Physical load ranges of two regions must not overlap (as language/layout.ts checks them). */
import { hex } from '../layout';
import type { Segment, UnitAnalysis } from './unitTypes';
import { t } from '../l10n';

export const OVERLAP_CODES = new Set(['org-overlap', 'address-overflow']);

export function checkOverlaps(a: UnitAnalysis): void {
  const diag = a.diagnostics;
  const segs = a.segments.map((s, order) => ({ s, order })).filter((x) => x.s.size > 0);
  for (const { s } of segs) {
    if (s.load + s.size > 0x100000000) {
      diag.push({ uri: s.uri, line: s.span.line, start: s.span.start, end: s.span.end, severity: 'error', message: t('region at 0x{0} runs past the end of the 32-bit address space', hex(s.load)), code: 'address-overflow' });
    }
  }
  const sorted = [...segs].sort((x, y) => x.s.load - y.s.load || x.order - y.order);
  const r = (s: Segment) => `0x${hex(s.load)}-0x${hex(s.load + s.size - 1)}`;
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].s.load < sorted[i].s.load + sorted[i].s.size; j++) {
      const [first, second] = sorted[i].order < sorted[j].order ? [sorted[i].s, sorted[j].s] : [sorted[j].s, sorted[i].s];
      diag.push({
        uri: second.uri,
        line: second.span.line,
        start: second.span.start,
        end: second.span.end,
        severity: 'error',
        message: t('region {0} overlaps region {1} (from {2})', r(second), r(first), `${first.uri}:${first.span.line + 1}`),
        code: 'org-overlap',
        related: [{ uri: first.uri, line: first.span.line, start: first.span.start, end: first.span.end, message: t('the other region starts here') }],
      });
    }
  }
}
