/** Pass 2: evaluate operands with every symbol known, encode, and fill the segments' bytes. */
import { encode, Operand } from '../emulator/isa/codec';
import { OperandKind } from '../emulator/isa/table';
import { EvalProblem, Expr, evaluate } from './expr';
import { asExpr } from './directives';
import { fullName, Item, Layout, undefinedMessage } from './layout';
import { OperandNode } from './parser';
import { MapEntry } from './sourcemap';
import { k, t } from './l10n';
import { hex, hexDigits } from '../emulator/isa/hex';

const RANGES: Partial<Record<OperandKind, [number, number, string]>> = {
  port: [0, 0xffff, k('port')],
  vector: [0, 255, k('vector')],
};

export function emit(L: Layout): MapEntry[] {
  for (const seg of L.segments) seg.bytes = new Uint8Array(seg.size);
  const entries: MapEntry[] = [];
  for (const item of L.items) {
    const seg = item.seg;
    const bytes = seg.bytes!;
    const ok = item.kind === 'insn' ? emitInstruction(L, item, bytes) : emitData(L, item, bytes);
    if (ok) {
      entries.push({ pa: seg.load + item.offset, la: seg.link + item.offset, size: item.size, file: item.file, line: item.stmt.line, instruction: item.kind === 'insn' });
    }
  }
  return entries;
}

/** Evaluate in pass 2; problems become diagnostics. */
function value(L: Layout, item: Item, e: Expr): number | undefined {
  const problems: EvalProblem[] = [];
  const v = evaluate(e, (name) => L.values.get(fullName(name, item.scope)), problems);
  for (const p of problems) {
    const full = fullName(p.name ?? '', item.scope);
    // A constant that exists but has no value: say what its definition is missing.
    const msg = p.code !== 'undefined-symbol' ? p.message : L.symbols.has(full) ? L.whyNoValue(full).message : undefinedMessage(p.name ?? '', full);
    L.diag(item.file, p, 'error', msg, p.code);
  }
  return v;
}

function writeWord(bytes: Uint8Array, at: number, w: number): void {
  bytes[at] = w & 0xff;
  bytes[at + 1] = (w >>> 8) & 0xff;
  bytes[at + 2] = (w >>> 16) & 0xff;
  bytes[at + 3] = (w >>> 24) & 0xff;
}

function emitInstruction(L: Layout, item: Item, bytes: Uint8Array): boolean {
  const { def, form } = item;
  if (!def || !form || item.stmt.kind !== 'instruction') return false;
  const ops = item.stmt.operands;
  const values: Operand[] = [];
  let ok = true;
  form.operands.forEach((kind, i) => {
    const o = operand(L, item, kind, ops[i]);
    if (o) values.push(o);
    else ok = false;
  });
  if (!ok) return false;
  const words = encode(form, values);
  writeWord(bytes, item.offset, words[0]);
  if (words.length > 1) writeWord(bytes, item.offset + 4, words[1]);
  return true;
}

function operand(L: Layout, item: Item, kind: OperandKind, op: OperandNode): Operand | undefined {
  switch (op.kind) {
    case 'reg':
      return { kind, reg: op.reg, imm: 0 };
    case 'mem': {
      const imm = op.disp ? value(L, item, op.disp) : 0;
      return imm === undefined ? undefined : { kind, reg: op.base ?? 0, imm };
    }
    case 'sreg':
    case 'field':
      if (kind === 'sreg' || kind === 'field') return { kind, reg: 0, imm: op.id };
      break;
  }
  const e = asExpr(op);
  if (!e) return undefined;
  const v = value(L, item, e);
  if (v === undefined) return undefined;
  const range = RANGES[kind];
  if (range && (v < range[0] || v > range[1])) {
    L.diag(item.file, op, 'error', t('{0} {1} is out of range 0..0x{2}', t(range[2]), v < 0 ? v : hex(v), hexDigits(range[1], 1)), 'value-out-of-range');
    return undefined;
  }
  return { kind, reg: 0, imm: v };
}

function emitData(L: Layout, item: Item, bytes: Uint8Array): boolean {
  const s = item.stmt;
  if (s.kind !== 'directive') return false;
  let at = item.offset;
  let ok = true;
  switch (s.name) {
    case '.word':
    case '.byte':
      for (const a of s.args) {
        const v = value(L, item, asExpr(a)!);
        if (v === undefined) ok = false;
        else if (s.name === '.word') writeWord(bytes, at, v);
        else if (v < -128 || v > 255) {
          L.diag(item.file, a, 'error', t('.byte value {0} is out of range -128..255', v), 'value-out-of-range');
          ok = false;
        } else bytes[at] = v & 0xff;
        at += s.name === '.word' ? 4 : 1;
      }
      return ok;
    case '.ascii':
    case '.asciz':
      for (const a of s.args) {
        if (a.kind !== 'string') continue;
        bytes.set(a.bytes, at);
        at += a.bytes.length + (s.name === '.asciz' ? 1 : 0);
      }
      return true;
    default:
      // .space: zeros are already there
      return true;
  }
}
