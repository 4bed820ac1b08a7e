/**
 * Pass 2 for one line: evaluate its operands with every symbol known, apply
 * the range rules, and give the values the encoder takes. The assembler
 * writes what it gets into its image (emit.ts); the language service runs it
 * for the diagnostics alone, and the hover for the words a line encodes to.
 */
import { encode, Operand } from '../emulator/isa/codec';
import { hex, hexDigits } from '../emulator/isa/hex';
import { EvalProblem, evaluate, Expr } from './expr';
import { undefinedMessage } from './layoutChecks';
import { fullName } from './names';
import { Check, Kind, LineInfo } from './lineInfo';
import type { PassSymbol } from './passTypes';
import { t } from './l10n';

/** What pass 2 reads and where its problems go. */
export interface ValueContext {
  readonly symbols: ReadonlyMap<string, PassSymbol>;
  /** Constants left without a value, and why (layout.ts). */
  readonly noValue: ReadonlyMap<string, string>;
  /** An error at columns start..end of the line; `data` names an undefined symbol for code actions. */
  report(start: number, end: number, message: string, code: string, data?: unknown): void;
}

/** One resolver and one problem list for every evaluation: no garbage per operand (the service runs this per keystroke). */
let cur: ValueContext | undefined;
let curScope = '';
const resolve = (name: string): number | undefined => {
  const sym = cur!.symbols.get(fullName(name, curScope));
  return sym !== undefined && sym.bound ? sym.v : undefined;
};
const problems: EvalProblem[] = [];

function value(cx: ValueContext, scope: string, e: Expr): number | undefined {
  if (e.kind === 'num') return e.value | 0;
  cur = cx;
  curScope = scope;
  problems.length = 0;
  const v = evaluate(e, resolve, problems);
  cur = undefined;
  if (problems.length === 0) return v;
  for (const q of problems.splice(0)) {
    if (q.code !== 'undefined-symbol') {
      cx.report(q.start, q.end, q.message, q.code);
      continue;
    }
    const name = q.name ?? '';
    const full = fullName(name, scope);
    // A constant that exists but has no value: say what its definition is missing.
    const why = cx.noValue.get(full) ?? (cx.symbols.has(full) ? t("'{0}' has no value: its definition has an error", full) : undefined);
    if (why !== undefined) cx.report(q.start, q.end, why, q.code);
    else cx.report(q.start, q.end, undefinedMessage(name, full), q.code, { name: q.name });
  }
  return v;
}

/**
 * Evaluate the values of `info` (an instruction with a fitting form, or a `.word`/`.byte` of
 * values: its slots) as seen from `scope`, reporting every problem. With `out`: the
 * instruction's operands for the encoder, or the data values, pushed in order. False when a
 * value is missing or out of range.
 */
export function lineValues(cx: ValueContext, info: LineInfo, scope: string, out?: (Operand | number)[]): boolean {
  const slots = info.slots;
  const data = info.kind === Kind.Directive;
  let ok = true;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    let v = 0;
    if (slot.isNum) v = slot.num;
    else if (slot.expr !== null) {
      const sym = slot.sym !== null ? cx.symbols.get(fullName(slot.sym, scope)) : undefined;
      // A lone symbol with a value (the common case): no tree walk.
      const got = sym !== undefined && sym.bound ? sym.v : value(cx, scope, slot.expr);
      if (got === undefined) {
        ok = false;
        continue;
      }
      v = got;
    }
    const check = slot.check;
    if (check === Check.Byte && (v < -128 || v > 255)) {
      cx.report(slot.start, slot.end, t('.byte value {0} is out of range -128..255', v), 'value-out-of-range');
      ok = false;
      continue;
    }
    if (check === Check.Port || check === Check.Vector) {
      const max = check === Check.Port ? 0xffff : 255;
      if (v < 0 || v > max) {
        cx.report(slot.start, slot.end, t('{0} {1} is out of range 0..0x{2}', check === Check.Port ? t('port') : t('vector'), v < 0 ? v : hex(v), hexDigits(max, 1)), 'value-out-of-range');
        ok = false;
        continue;
      }
    }
    if (out !== undefined) out.push(data ? v : { kind: slot.kind, reg: slot.reg, imm: v });
  }
  return ok;
}

/** The instruction words a line encodes to, when it is an instruction whose operands all have values (problems: `cx.report`). */
export function lineWords(cx: ValueContext, info: LineInfo, scope: string): number[] | undefined {
  if (info.kind !== Kind.Instruction || !info.formOk) return undefined;
  const ops: Operand[] = [];
  return lineValues(cx, info, scope, ops) ? encode(info.form!, ops) : undefined;
}
