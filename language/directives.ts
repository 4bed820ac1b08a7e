/** Directives: check the arguments, move the location counter, define constants (pass 1). */
import { registerName } from '../emulator/isa/registers';
import type { Layout } from './layout';
import type { LineInfo } from './lineInfo';
import type { Expr } from './expr';
import { didYouMean, suggest } from './forms';
import { clip } from './lexer';
import type { DirectiveNode, OperandNode, Span } from './parser';
import { t } from './l10n';

export const DIRECTIVES = ['.org', '.word', '.byte', '.ascii', '.asciz', '.space', '.align', '.equ', '.include', '.ring'] as const;

/** Largest .space / .align, so a typo cannot ask for gigabytes. */
const MAX_SPACE = 0x1000000;

/** An operand used as a value: a system-register or field name may also be a label. */
export function asExpr(op: OperandNode): Expr | undefined {
  if (op.kind === 'expr') return op.expr;
  if (op.kind === 'sreg' || op.kind === 'field') return { kind: 'sym', name: op.text, line: op.line, start: op.start, end: op.end };
  return undefined;
}

export function decodeString(bytes: number[]): string {
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

/**
 * What a directive does to the layout pass (layout.ts): the checks and their messages are
 * `directive`'s, the effects the host's.
 */
export interface DirectiveHost {
  /** An error on the directive's line. */
  error(span: { start: number; end: number }, message: string, code: string, data?: unknown): void;
  /** A value needed now (pass 1): undefined after reporting why it cannot be had. */
  evalNow(e: Expr): number | undefined;
  org(load: number, link: number): void;
  /** `size` bytes of data (.word, .byte, .ascii, .asciz, .space). */
  data(size: number): void;
  align(n: number): void;
  equ(nameOp: OperandNode, name: string, value: Expr): void;
  include(path: string, pathSpan: { start: number; end: number }): void;
  ring(n: number): void;
}

/** Check a directive's arguments (reporting what is wrong) and apply it through `h`. */
export function directive(h: DirectiveHost, s: DirectiveNode): void {
  const args = s.args;
  const argsSpan = args.length ? { start: args[0].start, end: args[args.length - 1].end } : s.nameSpan;
  const bad = (span: { start: number; end: number }, message: string, code = 'bad-directive', data?: unknown) => h.error(span, message, code, data);
  if (!(DIRECTIVES as readonly string[]).includes(s.name)) {
    const did = suggest(s.name, DIRECTIVES);
    bad(s.nameSpan, t("unknown directive '{0}'", clip(s.name)) + didYouMean(did), 'unknown-directive', { suggestions: did });
    return;
  }
  // Operands that did not parse were reported already.
  if (args.some((a) => a.kind === 'bad')) return;

  /** Between `min` and `max` value arguments. */
  const values = (min: number, max: number, what: string): Expr[] | undefined => {
    if (args.length < min || args.length > max) {
      bad(args.length ? argsSpan : s.nameSpan, t('{0} takes {1}', s.name, what));
      return undefined;
    }
    const out: Expr[] = [];
    for (const a of args) {
      const e = asExpr(a);
      if (!e) {
        bad(a, t('{0} takes {1}; found {2}', s.name, what, a.kind === 'string' ? t('a string') : a.kind === 'mem' ? t('a memory operand') : t('a register')));
        return undefined;
      }
      out.push(e);
    }
    return out;
  };

  switch (s.name) {
    case '.org': {
      const es = values(1, 2, 'a load address and optionally a link address: .org LOAD[, LINK]');
      if (!es) return;
      const load = h.evalNow(es[0]);
      const link = es.length > 1 ? h.evalNow(es[1]) : load;
      if (load === undefined || link === undefined) return;
      h.org(load >>> 0, link >>> 0);
      return;
    }
    case '.word':
    case '.byte': {
      const es = values(1, Infinity, 'one or more values');
      if (es) h.data(es.length * (s.name === '.word' ? 4 : 1));
      return;
    }
    case '.ascii':
    case '.asciz': {
      if (args.length === 0) return bad(s.nameSpan, t('{0} takes one or more strings', s.name));
      let size = 0;
      for (const a of args) {
        if (a.kind !== 'string') return bad(a, t('{0} takes strings ("..."); use .byte for numbers', s.name));
        size += a.bytes.length + (s.name === '.asciz' ? 1 : 0);
      }
      h.data(size);
      return;
    }
    case '.space': {
      const es = values(1, 1, 'a byte count');
      const n = es && h.evalNow(es[0]);
      if (n === undefined) return;
      if (n < 0 || n > MAX_SPACE) return bad(args[0], t('.space {0} is out of range 0..{1}', n, MAX_SPACE), 'value-out-of-range');
      h.data(n);
      return;
    }
    case '.align': {
      const es = values(1, 1, 'a power of two');
      const n = es && h.evalNow(es[0]);
      if (n === undefined) return;
      if (n <= 0 || n > MAX_SPACE || (n & (n - 1)) !== 0) return bad(args[0], t('.align {0}: the alignment must be a power of two from 1 to {1}', n, MAX_SPACE), 'value-out-of-range');
      h.align(n);
      return;
    }
    case '.equ': {
      if (args.length !== 2) return bad(argsSpan, t('.equ takes a name and a value: .equ NAME, expr'));
      const [nameOp, valueOp] = args;
      const nameExpr = asExpr(nameOp);
      if (!nameExpr || nameExpr.kind !== 'sym') {
        const why = nameOp.kind === 'reg' ? t("'{0}' is a register name", registerName(nameOp.reg)) : t('expected a name');
        return bad(nameOp, `.equ: ${why}`);
      }
      const value = asExpr(valueOp);
      if (!value) return bad(valueOp, t('.equ: the value must be an expression'));
      h.equ(nameOp, nameExpr.name, value);
      return;
    }
    case '.include': {
      if (args.length !== 1 || args[0].kind !== 'string') return bad(argsSpan, t('.include takes one quoted path: .include "file.rasm"'));
      h.include(decodeString(args[0].bytes), args[0]);
      return;
    }
    case '.ring': {
      const es = values(1, 1, 'a privilege level 0..3');
      const n = es && h.evalNow(es[0]);
      if (n === undefined) return;
      if (n < 0 || n > 3) return bad(args[0], t('.ring {0}: the privilege level must be 0..3', n), 'value-out-of-range');
      h.ring(n);
      return;
    }
  }
}

/** Pass 1 for a directive: the checks above, with the layout's effects. */
export function runDirective(L: Layout, file: string, line: number, info: LineInfo, s: DirectiveNode): void {
  const stmtSpan: Span = { line, start: s.start, end: s.end };
  directive(
    {
      error: (span, message, code, data) => L.error(file, line, span, message, code, undefined, data),
      evalNow: (e) => L.evalNow(file, line, e),
      org: (load, link) => L.org(file, stmtSpan, load, link),
      data: (size) => L.addItem('data', file, line, info, size),
      align: (n) => L.align(file, line, n),
      equ: (nameOp, name, value) => L.equ(file, line, nameOp, name, value),
      include: (path, pathSpan) => L.include(file, stmtSpan, path, pathSpan),
      ring: (n) => {
        L.ring = n;
        L.rings.push({ file, line, ring: n });
      },
    },
    s,
  );
}
