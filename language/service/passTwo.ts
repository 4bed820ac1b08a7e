/** Pass 2 for one line: evaluate its operands with every symbol known and report what the assembler's encoder would (language/emit.ts). */
import { EvalProblem, evaluate, Expr } from '../expr';
import { fullName, undefinedMessage } from '../layout';
import { Check, LineInfo } from './lineInfo';
import { scopedName } from './names';
import type { UnitAnalysis, UnitDiag } from './unitTypes';
import { t } from '../l10n';
import { hex, hexDigits } from '../../emulator/isa/hex';

/** Resolution as the assembler's pass 2 sees it; one function and one problem list for every evaluation (no garbage per operand). */
let curA: UnitAnalysis | undefined;
let curScope = '';
const resolve = (name: string): number | undefined => {
  const sym = curA!.symbols.get(scopedName(name, curScope));
  return sym !== undefined && sym.bound ? sym.v : undefined;
};
const problems: EvalProblem[] = [];

/** For a constant that exists but has no value, why (as the assembler's emit says it); else undefined. */
function noValue(a: UnitAnalysis, name: string, full: string): string | undefined {
  const why = a.noValue.get(full);
  if (why !== undefined) return why;
  const sym = a.symbols.get(full);
  return sym !== undefined && sym.kind === 'equ' && !sym.resolved ? `'${name}' has no value: its definition has an error` : undefined;
}

function push(a: UnitAnalysis, d: UnitDiag): void {
  d.own = true;
  d.pass2 = true;
  a.diagnostics.push(d);
}

function value(a: UnitAnalysis, uri: string, line: number, scope: string, e: Expr): number | undefined {
  curA = a;
  curScope = scope;
  problems.length = 0;
  const v = evaluate(e, resolve, problems);
  curA = undefined;
  if (problems.length === 0) return v;
  for (const q of problems.splice(0)) {
    const undef = q.code === 'undefined-symbol';
    const full = fullName(q.name ?? '', scope);
    const why = undef ? noValue(a, q.name ?? '', full) : undefined;
    const message = undef ? why ?? undefinedMessage(q.name ?? '', full) : q.message;
    const d: UnitDiag = { uri, line, start: q.start, end: q.end, severity: 'error', message, code: q.code };
    if (undef && why === undefined) d.data = { name: q.name };
    push(a, d);
  }
  return v;
}

export function evalLine(a: UnitAnalysis, uri: string, line: number, info: LineInfo, scope: string): void {
  const slots = info.slots;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    let v: number | undefined;
    if (slot.isNum) v = slot.num;
    else if (slot.sym !== null) {
      // A lone symbol (the common case): no tree walk.
      const full = scopedName(slot.sym, scope);
      const sym = a.symbols.get(full);
      if (sym !== undefined && sym.bound) v = sym.v;
      else {
        const e = slot.expr;
        const why = noValue(a, slot.sym, full);
        if (why) push(a, { uri, line, start: e.start, end: e.end, severity: 'error', message: why, code: 'undefined-symbol' });
        else push(a, { uri, line, start: e.start, end: e.end, severity: 'error', message: undefinedMessage(slot.sym, full), code: 'undefined-symbol', data: { name: slot.sym } });
        continue;
      }
    } else v = value(a, uri, line, scope, slot.expr);
    if (v === undefined || slot.check === Check.None) continue;
    if (slot.check === Check.Byte) {
      if (v < -128 || v > 255) push(a, { uri, line, start: slot.start, end: slot.end, severity: 'error', message: t('.byte value {0} is out of range -128..255', v), code: 'value-out-of-range' });
      continue;
    }
    const max = slot.check === Check.Port ? 0xffff : 255;
    if (v < 0 || v > max) {
      const what = slot.check === Check.Port ? t('port') : t('vector');
      push(a, { uri, line, start: slot.start, end: slot.end, severity: 'error', message: t('{0} {1} is out of range 0..0x{2}', what, v < 0 ? v : hex(v), hexDigits(max, 1)), code: 'value-out-of-range' });
    }
  }
}
