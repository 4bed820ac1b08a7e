/** Semantic tokens: what the TextMate grammar cannot know (a name is a label, a constant or undefined; an instruction is privileged). */
import { namesRegister } from './at';
import { registerNumber } from '../../emulator/isa/registers';
import { fullName } from '../names';
import type { Range } from 'vscode-languageserver-types';
import type { SourceDocument } from './document';
import { isPopekGoldbergHole, isPrivilegedUse } from './ringChecks';
import type { UnitAnalysis } from './unit';

export const SEMANTIC_LEGEND = {
  tokenTypes: ['keyword', 'macro', 'label', 'function', 'variable', 'property', 'enumMember', 'number', 'string', 'comment'],
  tokenModifiers: ['declaration', 'readonly', 'defaultLibrary', 'privileged', 'sensitive'],
};
const T = Object.fromEntries(SEMANTIC_LEGEND.tokenTypes.map((t, i) => [t, i])) as Record<string, number>;
const M = Object.fromEntries(SEMANTIC_LEGEND.tokenModifiers.map((t, i) => [t, 1 << i])) as Record<string, number>;

/** Directives that place data: a label just before one names data, not code. */
const DATA = new Set(['.word', '.byte', '.ascii', '.asciz', '.space']);

/**
 * Whether the label defined at `line` of `lines` marks data: the first statement from there on
 * (past `.align` and `.equ`, which place nothing of their own) is not an instruction. A label
 * at the end of a region (`kstack_top:` before `.org`, `message_end:` at the end) marks data too:
 * no code follows it.
 */
function marksData(lines: SourceDocument, line: number): boolean {
  for (let i = line; i < lines.lineCount && i < line + 64; i++) {
    const info = lines.info(i);
    if (info.def) return false;
    const d = info.directive;
    if (DATA.has(d)) return true;
    if (d && d !== '.align' && d !== '.equ') return true;
    if (info.stmt?.kind === 'instruction') return false;
  }
  return true;
}

export function semanticTokens(a: UnitAnalysis, doc: SourceDocument, range?: Range): { data: number[] } {
  const data: number[] = [];
  // Data labels are variables, code labels functions (local ones labels); decided once per defining line.
  const dataAt = new Map<string, boolean>();
  const labelType = (file: string, line: number, local: boolean): number => {
    const key = `${line}:${file}`;
    let isData = dataAt.get(key);
    if (isData === undefined) {
      const src = a.files.get(file)?.doc;
      dataAt.set(key, (isData = src !== undefined && marksData(src, line)));
    }
    return isData ? T.variable : local ? T.label : T.function;
  };
  let prevLine = 0;
  let prevStart = 0;
  const emit = (line: number, start: number, length: number, type: number, mods: number) => {
    if (length <= 0) return;
    data.push(line - prevLine, line === prevLine ? start - prevStart : start, length, type, mods);
    prevLine = line;
    prevStart = start;
  };
  const first = range ? Math.max(0, range.start.line) : 0;
  const last = range ? Math.min(doc.lineCount - 1, range.end.line) : doc.lineCount - 1;
  const facts = a.files.get(doc.uri);
  for (let line = first; line <= last; line++) {
    const info = doc.info(line);
    const s = info.stmt;
    const scope = facts?.scopeAt[line] ?? '';
    // Operand starts that are system registers or VMCS fields.
    const special = new Map<number, number>();
    // (A system-register or field name where a value goes is a label, as the assembler reads it: coloured as one.)
    if (s) (s.kind === 'instruction' ? s.operands : s.args).forEach((op, k) => {
      if ((op.kind === 'sreg' || op.kind === 'field') && namesRegister(info, s, k, op.kind)) special.set(op.start, op.kind === 'sreg' ? T.property : T.enumMember);
    });
    const labelStarts = new Set(info.labels.map((l) => l.start));
    for (const t of info.tokens) {
      switch (t.kind) {
        case 'comment':
          emit(line, t.start, t.end - t.start, T.comment, 0);
          break;
        case 'string':
          emit(line, t.start, t.end - t.start, T.string, 0);
          break;
        case 'number':
        case 'char':
          emit(line, t.start, t.end - t.start, T.number, 0);
          break;
        case 'ident': {
          if (labelStarts.has(t.start)) {
            emit(line, t.start, t.end - t.start, labelType(doc.uri, line, t.text.startsWith('.')), M.declaration);
          } else if (s && t.start === s.nameSpan.start) {
            if (s.kind === 'directive') emit(line, t.start, t.end - t.start, T.macro, 0);
            // An unknown mnemonic is no keyword: its diagnostic says so, the colour should not contradict it.
            else if (info.def) {
              const def = info.def;
              const mods = (isPrivilegedUse(def, s) ? M.privileged : 0) | (isPopekGoldbergHole(def, s) ? M.sensitive : 0);
              emit(line, t.start, t.end - t.start, T.keyword, mods);
            }
          } else if (registerNumber(t.text) !== undefined) emit(line, t.start, t.end - t.start, T.variable, M.defaultLibrary);
          else if (special.has(t.start)) emit(line, t.start, t.end - t.start, special.get(t.start)!, M.defaultLibrary);
          else {
            const sym = a.symbols.get(fullName(t.text, scope));
            if (sym) emit(line, t.start, t.end - t.start, sym.kind === 'equ' ? T.variable : labelType(sym.file, sym.line, t.text.startsWith('.')), sym.kind === 'equ' ? M.readonly : 0);
          }
          break;
        }
      }
    }
  }
  return { data };
}

/** One edit of a semantic-tokens delta: replace `deleteCount` numbers at `start` with `data`. */
export interface TokenEdit {
  start: number;
  deleteCount: number;
  data: number[];
}

/**
 * The edits that turn the last token array sent into the new one: the part between their
 * common start and common end, whole tokens of five numbers at a time. A typed character
 * changes a few tokens; the client then gets those, not the whole file's tokens again.
 */
export function tokenEdits(prev: readonly number[], next: readonly number[]): TokenEdit[] {
  const TOKEN = 5;
  let head = 0;
  const most = Math.min(prev.length, next.length);
  while (head < most && prev[head] === next[head]) head++;
  head -= head % TOKEN;
  let tail = 0;
  while (tail < most - head && prev[prev.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
  tail -= tail % TOKEN;
  if (head === prev.length && head === next.length) return [];
  return [{ start: head, deleteCount: prev.length - head - tail, data: next.slice(head, next.length - tail) }];
}
