/** Directives in the language service's unit pass: the assembler's own checks, with the unit's effects. */
import { directive } from '../directives';
import type { DirectiveNode, Span } from '../parser';
import type { FileFacts, UnitBuilder } from './unit';

/** The unit pass for a directive: the assembler's checks (language/directives.ts), the unit's effects. */
export function runDirective(B: UnitBuilder, uri: string, line: number, s: DirectiveNode, facts: FileFacts): void {
  const stmtSpan: Span = { line, start: s.start, end: s.end };
  directive(
    {
      error: (span, message, code, data) => B.diag(uri, line, span.start, span.end, 'error', message, code, undefined, data),
      evalNow: (e) => B.evalNow(uri, line, e),
      org: (load, link) => {
        B.bindPending();
        B.a.segments.push((B.seg = { load, link, size: 0, uri, span: stmtSpan }));
      },
      data: (size) => B.addItem(line, s, size),
      align: (n) => {
        B.bindPending();
        B.padTo(n);
      },
      equ: (nameOp, name, value) => B.equ(uri, line, { line, start: nameOp.start, end: nameOp.end }, name, value),
      include: (path, str) => B.include(uri, line, stmtSpan, path, facts, { line, start: str.start, end: str.end }),
      ring: (n) => {
        B.ring = n;
      },
    },
    s,
  );
}
