/** Values of expressions and operands as the analysis knows them; the system call a `syscall` makes. */
import { syscallName } from '../../emulator/isa/abi';
import { fallsThrough } from '../../emulator/isa/table';
import { lineWords } from '../operands';
import { evaluate, Expr } from '../expr';
import { fullName } from '../layout';
import type { OperandNode } from '../parser';
import type { SourceDocument } from './document';
import { Kind, LineInfo } from '../lineInfo';
import type { UnitAnalysis } from './unit';

export function evalAt(a: UnitAnalysis, uri: string, line: number, e: Expr): number | undefined {
  const scope = a.files.get(uri)?.scopeAt[line] ?? '';
  return evaluate(
    e,
    (name) => {
      const s = a.symbols.get(fullName(name, scope));
      return s && s.bound ? s.v : undefined;
    },
    [],
  );
}

/** The instruction words this line assembles to, when every operand has a value: the assembler's own path (language/operands.ts). */
export function encodedWords(a: UnitAnalysis, uri: string, line: number, info: LineInfo): number[] | undefined {
  return lineWords({ symbols: a.symbols, noValue: a.noValue, report: () => undefined }, info, a.files.get(uri)?.scopeAt[line] ?? '');
}

const SCAN = 64;

function insn(doc: SourceDocument, i: number): { info: LineInfo; name: string } | undefined {
  const info = doc.info(i);
  return info.kind === Kind.Instruction && info.def ? { info, name: info.def.mnemonic } : undefined;
}

function movR0(info: LineInfo): OperandNode | undefined {
  const s = info.stmt;
  if (!s || s.kind !== 'instruction' || info.def?.mnemonic !== 'mov') return undefined;
  const [rd, src] = s.operands;
  return rd && rd.kind === 'reg' && rd.reg === 0 && src && src.kind === 'expr' ? src : undefined;
}

function writesR0(info: LineInfo): boolean {
  const s = info.stmt;
  if (!s || s.kind !== 'instruction' || !info.def || !info.def.writesFirst) return false;
  const rd = s.operands[0];
  return rd !== undefined && rd.kind === 'reg' && rd.reg === 0;
}

export interface SyscallInfo {
  number: number;
  name?: string;
  /** Line of the `mov r0, N`. */
  movLine: number;
  syscallLine: number;
}

/** For a `syscall` at `line`: the number the nearest `mov r0, N` above put in r0. */
export function syscallBefore(a: UnitAnalysis, doc: SourceDocument, line: number): SyscallInfo | undefined {
  for (let i = line - 1; i >= 0 && i >= line - SCAN; i--) {
    const x = insn(doc, i);
    if (!x) continue;
    const src = movR0(x.info);
    if (src && src.kind === 'expr') {
      const v = evalAt(a, doc.uri, i, src.expr);
      return v === undefined ? undefined : { number: v >>> 0, name: syscallName(v >>> 0), movLine: i, syscallLine: line };
    }
    if (writesR0(x.info) || !fallsThrough(x.info.def!)) return undefined;
  }
  return undefined;
}

/** For a `mov r0, N` at `line`: the syscall that uses it, if one follows before r0 changes. */
export function syscallAfter(a: UnitAnalysis, doc: SourceDocument, line: number): SyscallInfo | undefined {
  const src = movR0(doc.info(line));
  if (!src || src.kind !== 'expr') return undefined;
  for (let i = line + 1; i < doc.lineCount && i <= line + SCAN; i++) {
    const x = insn(doc, i);
    if (!x) continue;
    if (x.name === 'syscall') {
      const v = evalAt(a, doc.uri, line, src.expr);
      return v === undefined ? undefined : { number: v >>> 0, name: syscallName(v >>> 0), movLine: line, syscallLine: i };
    }
    if (writesR0(x.info) || !fallsThrough(x.info.def!)) return undefined;
  }
  return undefined;
}
