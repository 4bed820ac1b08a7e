/** Pass 1 for directives: check the arguments, move the location counter, define constants. */
import { registerName } from '../emulator/isa/registers';
import type { Layout, ListingRow } from './layout';
import type { Expr } from './expr';
import { suggest } from './forms';
import { clip } from './lexer';
import type { DirectiveNode, OperandNode, Span } from './parser';

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

export function runDirective(L: Layout, file: string, s: DirectiveNode, listing: ListingRow): void {
  const args = s.args;
  const stmtSpan: Span = { line: s.line, start: s.start, end: s.end };
  const argsSpan: Span = args.length ? { line: s.line, start: args[0].start, end: args[args.length - 1].end } : s.nameSpan;
  const bad = (span: Span, message: string, code = 'bad-directive') => L.diag(file, span, 'error', message, code);
  if (!(DIRECTIVES as readonly string[]).includes(s.name)) {
    const did = suggest(s.name, DIRECTIVES);
    bad(s.nameSpan, `unknown directive '${clip(s.name)}'${did.length ? `; did you mean ${did.map((d) => `'${d}'`).join(' or ')}?` : ''}`, 'unknown-directive');
    return;
  }
  // Operands that did not parse were reported already.
  if (args.some((a) => a.kind === 'bad')) return;

  /** Exactly `n` value arguments (or between min and max). */
  const values = (min: number, max: number, what: string): Expr[] | undefined => {
    if (args.length < min || args.length > max) {
      bad(args.length ? argsSpan : s.nameSpan, `${s.name} takes ${what}`);
      return undefined;
    }
    const out: Expr[] = [];
    for (const a of args) {
      const e = asExpr(a);
      if (!e) {
        bad(a, `${s.name} takes ${what}; found ${a.kind === 'string' ? 'a string' : a.kind === 'mem' ? 'a memory operand' : 'a register'}`);
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
      const load = L.evalNow(file, es[0]);
      const link = es.length > 1 ? L.evalNow(file, es[1]) : load;
      if (load === undefined || link === undefined) return;
      L.bindPending();
      L.segments.push((L.seg = { load: load >>> 0, link: link >>> 0, size: 0, file, span: stmtSpan }));
      listing.address = link >>> 0;
      listing.load = load >>> 0;
      return;
    }
    case '.word':
    case '.byte': {
      const es = values(1, Infinity, 'one or more values');
      if (es) L.addItem('data', file, s, listing, es.length * (s.name === '.word' ? 4 : 1));
      return;
    }
    case '.ascii':
    case '.asciz': {
      if (args.length === 0) return bad(s.nameSpan, `${s.name} takes one or more strings`);
      let size = 0;
      for (const a of args) {
        if (a.kind !== 'string') return bad(a, `${s.name} takes strings ("..."); use .byte for numbers`);
        size += a.bytes.length + (s.name === '.asciz' ? 1 : 0);
      }
      L.addItem('data', file, s, listing, size);
      return;
    }
    case '.space': {
      const es = values(1, 1, 'a byte count');
      const n = es && L.evalNow(file, es[0]);
      if (n === undefined) return;
      if (n < 0 || n > MAX_SPACE) return bad(args[0], `.space ${n} is out of range 0..${MAX_SPACE}`, 'value-out-of-range');
      L.addItem('data', file, s, listing, n);
      return;
    }
    case '.align': {
      const es = values(1, 1, 'a power of two');
      const n = es && L.evalNow(file, es[0]);
      if (n === undefined) return;
      if (n <= 0 || n > MAX_SPACE || (n & (n - 1)) !== 0) return bad(args[0], `.align ${n}: the alignment must be a power of two from 1 to ${MAX_SPACE}`, 'value-out-of-range');
      // Labels just before .align keep the unaligned address (as in GNU as).
      L.bindPending();
      listing.address = (L.seg.link + L.seg.size) >>> 0;
      listing.load = (L.seg.load + L.seg.size) >>> 0;
      L.padTo(n);
      return;
    }
    case '.equ': {
      if (args.length !== 2) return bad(argsSpan, '.equ takes a name and a value: .equ NAME, expr');
      const [nameOp, valueOp] = args;
      const nameExpr = asExpr(nameOp);
      if (!nameExpr || nameExpr.kind !== 'sym') {
        const why = nameOp.kind === 'reg' ? `'${registerName(nameOp.reg)}' is a register name` : 'expected a name';
        return bad(nameOp, `.equ: ${why}`);
      }
      const value = asExpr(valueOp);
      if (!value) return bad(valueOp, '.equ: the value must be an expression');
      L.equ(file, nameOp, nameExpr.name, value);
      return;
    }
    case '.include': {
      if (args.length !== 1 || args[0].kind !== 'string') return bad(argsSpan, '.include takes one quoted path: .include "file.rasm"');
      L.include(file, stmtSpan, decodeString(args[0].bytes));
      return;
    }
    case '.ring': {
      const es = values(1, 1, 'a privilege level 0..3');
      const n = es && L.evalNow(file, es[0]);
      if (n === undefined) return;
      if (n < 0 || n > 3) return bad(args[0], `.ring ${n}: the privilege level must be 0..3`, 'value-out-of-range');
      L.rings.push({ file, line: s.line, ring: n });
      return;
    }
  }
}
