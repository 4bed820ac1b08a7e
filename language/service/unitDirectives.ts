/** Directives in the unit pass; mirrors language/directives.ts (same checks, same messages). */
import { registerName } from '../../emulator/isa/registers';
import { asExpr, decodeString, DIRECTIVES } from '../directives';
import type { Expr } from '../expr';
import { suggest } from '../forms';
import { clip } from '../lexer';
import type { DirectiveNode, Span } from '../parser';
import type { FileFacts, UnitBuilder } from './unit';

/** Largest .space / .align (the assembler's limit). */
const MAX_SPACE = 0x1000000;

export function runDirective(B: UnitBuilder, uri: string, line: number, s: DirectiveNode, facts: FileFacts): void {
  const args = s.args;
  const stmtSpan: Span = { line, start: s.start, end: s.end };
  const argsSpan = args.length ? { start: args[0].start, end: args[args.length - 1].end } : s.nameSpan;
  const bad = (span: { start: number; end: number }, message: string, code = 'bad-directive', data?: unknown) =>
    B.diag(uri, line, span.start, span.end, 'error', message, code, undefined, data);
  if (!(DIRECTIVES as readonly string[]).includes(s.name)) {
    const did = suggest(s.name, DIRECTIVES);
    bad(s.nameSpan, `unknown directive '${clip(s.name)}'${did.length ? `; did you mean ${did.map((d) => `'${d}'`).join(' or ')}?` : ''}`, 'unknown-directive', { suggestions: did });
    return;
  }
  if (args.some((a) => a.kind === 'bad')) return;

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
      const load = B.evalNow(uri, line, es[0]);
      const link = es.length > 1 ? B.evalNow(uri, line, es[1]) : load;
      if (load === undefined || link === undefined) return;
      B.bindPending();
      B.a.segments.push((B.seg = { load: load >>> 0, link: link >>> 0, size: 0, uri, span: stmtSpan }));
      return;
    }
    case '.word':
    case '.byte': {
      const es = values(1, Infinity, 'one or more values');
      if (es) B.addItem(line, s, es.length * (s.name === '.word' ? 4 : 1));
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
      B.addItem(line, s, size);
      return;
    }
    case '.space': {
      const es = values(1, 1, 'a byte count');
      const n = es && B.evalNow(uri, line, es[0]);
      if (n === undefined) return;
      if (n < 0 || n > MAX_SPACE) return bad(args[0], `.space ${n} is out of range 0..${MAX_SPACE}`, 'value-out-of-range');
      B.addItem(line, s, n);
      return;
    }
    case '.align': {
      const es = values(1, 1, 'a power of two');
      const n = es && B.evalNow(uri, line, es[0]);
      if (n === undefined) return;
      if (n <= 0 || n > MAX_SPACE || (n & (n - 1)) !== 0) return bad(args[0], `.align ${n}: the alignment must be a power of two from 1 to ${MAX_SPACE}`, 'value-out-of-range');
      B.bindPending();
      B.padTo(n);
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
      B.equ(uri, line, { line, start: nameOp.start, end: nameOp.end }, nameExpr.name, value);
      return;
    }
    case '.include': {
      if (args.length !== 1 || args[0].kind !== 'string') return bad(argsSpan, '.include takes one quoted path: .include "file.rasm"');
      const str = args[0];
      B.include(uri, line, stmtSpan, decodeString(str.bytes), facts, { line, start: str.start, end: str.end });
      return;
    }
    case '.ring': {
      const es = values(1, 1, 'a privilege level 0..3');
      const n = es && B.evalNow(uri, line, es[0]);
      if (n === undefined) return;
      if (n < 0 || n > 3) return bad(args[0], `.ring ${n}: the privilege level must be 0..3`, 'value-out-of-range');
      B.ring = n;
      return;
    }
  }
}
