/** What sits at a column of a parsed line: the node the editor features act on. */
import type { Expr } from '../expr';
import type { DirectiveNode, InstructionNode, LabelNode, OperandNode, StatementNode } from '../parser';
import type { LineInfo } from '../lineInfo';

export type At =
  | { kind: 'label'; label: LabelNode }
  | { kind: 'mnemonic'; stmt: InstructionNode }
  | { kind: 'directive'; stmt: DirectiveNode }
  | { kind: 'reg'; reg: number; start: number; end: number; stmt: StatementNode }
  | { kind: 'sreg'; op: OperandNode & { kind: 'sreg' }; stmt: StatementNode; index: number }
  | { kind: 'field'; op: OperandNode & { kind: 'field' }; stmt: StatementNode; index: number }
  | { kind: 'sym'; name: string; start: number; end: number; stmt: StatementNode; index: number; def: boolean }
  | { kind: 'num'; value: number; start: number; end: number; stmt: StatementNode; index: number }
  | { kind: 'string'; op: OperandNode & { kind: 'string' }; stmt: StatementNode }
  | { kind: 'comment' };

const inside = (col: number, s: { start: number; end: number }) => col >= s.start && col <= s.end;

/** Symbol and number nodes of an expression, in source order. */
export function leaves(e: Expr, out: (Expr & { kind: 'sym' | 'num' })[] = []): (Expr & { kind: 'sym' | 'num' })[] {
  if (e.kind === 'sym' || e.kind === 'num') out.push(e);
  else if (e.kind === 'unary') leaves(e.arg, out);
  else if (e.kind === 'mem' || e.kind === 'phys') leaves(e.addr, out);
  else {
    leaves(e.left, out);
    leaves(e.right, out);
  }
  return out;
}

export function operandsOf(s: StatementNode): OperandNode[] {
  return s.kind === 'instruction' ? s.operands : s.args;
}

/** Whether operand `index` of this statement defines a name (`.equ NAME, ...`). */
export function definesName(s: StatementNode, index: number): boolean {
  return s.kind === 'directive' && s.name === '.equ' && index === 0;
}

export function nodeAt(info: LineInfo, col: number): At | undefined {
  if (info.comment && col > info.comment.start) return { kind: 'comment' };
  for (const l of info.labels) if (inside(col, l)) return { kind: 'label', label: l };
  const s = info.stmt;
  if (!s) return undefined;
  if (inside(col, s.nameSpan)) return s.kind === 'instruction' ? { kind: 'mnemonic', stmt: s } : { kind: 'directive', stmt: s };
  const ops = operandsOf(s);
  for (let index = 0; index < ops.length; index++) {
    const op = ops[index];
    if (!inside(col, op)) continue;
    switch (op.kind) {
      case 'reg':
        return { kind: 'reg', reg: op.reg, start: op.start, end: op.end, stmt: s };
      case 'sreg':
        return { kind: 'sreg', op, stmt: s, index };
      case 'field':
        return { kind: 'field', op, stmt: s, index };
      case 'string':
        return { kind: 'string', op, stmt: s };
      case 'mem':
        if (op.baseSpan && inside(col, op.baseSpan)) return { kind: 'reg', reg: op.base!, start: op.baseSpan.start, end: op.baseSpan.end, stmt: s };
        if (op.disp) return leafAt(op.disp, col, s, index);
        return undefined;
      case 'expr':
        return leafAt(op.expr, col, s, index);
      default:
        return undefined;
    }
  }
  return undefined;
}

function leafAt(e: Expr, col: number, stmt: StatementNode, index: number): At | undefined {
  for (const l of leaves(e)) {
    if (!inside(col, l)) continue;
    if (l.kind === 'sym') return { kind: 'sym', name: l.name, start: l.start, end: l.end, stmt, index, def: definesName(stmt, index) };
    return { kind: 'num', value: l.value, start: l.start, end: l.end, stmt, index };
  }
  return undefined;
}

/** Whether operand `index` of the statement is a system register / VMCS field for its instruction's form (else a name where a value goes: a label). */
export function namesRegister(info: { form?: { operands: readonly string[] } }, stmt: { kind: string }, index: number, kind: 'sreg' | 'field'): boolean {
  return stmt.kind === 'instruction' && info.form?.operands[index] === kind;
}
