/**
 * Formatting: labels at column 0, mnemonics at column 8, operands (and the
 * values of `.equ` constants) aligned and trailing comments aligned within
 * each block of lines (blocks end at
 * blank lines, as gofmt aligns comments). Directives written at column 0
 * stay there. Lines the parser had trouble with are left as they are.
 * Idempotent: formatting the result changes nothing. The editor's options decide whether
 * indentation is spaces or tabs.
 */
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver-types';
import type { SourceDocument } from './document';
import type { LineInfo } from '../lineInfo';

export const MNEMONIC_COLUMN = 8;

interface Parts {
  labels: string;
  head: string;
  operands: string;
  /** `.equ NAME, value`: the two operands, so that values line up in a block of constants. */
  equ?: [string, string];
  comment: string;
  /** A directive written at column 0 (top-level `.equ`, `.org`...) keeps its place. */
  flush: boolean;
}

function parts(info: LineInfo): Parts | undefined {
  if (info.local.length || info.tokens.some((t) => t.kind === 'error')) return undefined;
  const text = info.text;
  const s = info.stmt;
  const ops = s ? (s.kind === 'instruction' ? s.operands : s.args) : [];
  const isEqu = s?.kind === 'directive' && s.name === '.equ' && ops.length === 2;
  return {
    equ: isEqu ? [text.slice(ops[0].start, ops[0].end), text.slice(ops[1].start, ops[1].end)] : undefined,
    labels: info.labels.map((l) => l.name + ':').join(' '),
    head: s ? text.slice(s.nameSpan.start, s.nameSpan.end) : '',
    operands: ops.map((o) => text.slice(o.start, o.end)).join(', '),
    comment: info.comment ? text.slice(info.comment.start).trimEnd() : '',
    flush: !!s && s.kind === 'directive' && info.labels.length === 0 && s.start === 0,
  };
}

function pad(s: string, col: number): string {
  return s.length >= col ? s + ' ' : s + ' '.repeat(col - s.length);
}

/** Code part of a line (everything before the comment), given the block's operand offset and `.equ` name width. */
function code(x: Parts, opOffset: number, equWidth: number): string {
  let out = '';
  if (x.labels) out = x.head ? pad(x.labels, MNEMONIC_COLUMN) : x.labels;
  else if (x.head && !x.flush) out = ' '.repeat(MNEMONIC_COLUMN);
  if (!x.head) return out;
  if (x.equ) return out + pad(x.head, 0) + pad(x.equ[0] + ',', equWidth) + x.equ[1];
  return out + (x.operands ? pad(x.head, x.flush ? 0 : opOffset) + x.operands : x.head);
}

export function formatLines(doc: SourceDocument): string[] {
  const n = doc.lineCount;
  const out: string[] = new Array(n);
  let i = 0;
  while (i < n) {
    // A block: consecutive non-blank lines.
    let j = i;
    while (j < n && doc.lines[j].trim() !== '') j++;
    if (j === i) {
      out[i] = '';
      i++;
      continue;
    }
    const ps: (Parts | undefined)[] = [];
    let opOffset = 0;
    let equWidth = 0;
    for (let k = i; k < j; k++) {
      const x = parts(doc.info(k));
      ps.push(x);
      if (x && x.equ) equWidth = Math.max(equWidth, x.equ[0].length + 2);
      else if (x && x.head && x.operands && !x.flush) opOffset = Math.max(opOffset, x.head.length + 1);
    }
    let commentCol = 0;
    for (const x of ps) if (x && x.comment && (x.head || x.labels)) commentCol = Math.max(commentCol, code(x, opOffset, equWidth).length + 1);
    for (let k = i; k < j; k++) {
      const x = ps[k - i];
      if (!x) {
        out[k] = doc.lines[k];
        continue;
      }
      const c = code(x, opOffset, equWidth);
      if (!c) {
        // A comment on its own: at column 0 if it was there, else with the code.
        out[k] = (doc.lines[k].startsWith(';') ? '' : ' '.repeat(MNEMONIC_COLUMN)) + x.comment;
      } else out[k] = x.comment ? pad(c, commentCol) + x.comment : c;
    }
    i = j;
  }
  return out;
}

/**
 * With the editor's `insertSpaces` off, a line's indentation is written with tabs of `tabSize`
 * (the alignment after a label or mnemonic stays spaces, which line up whatever the tab width).
 */
function indentWithTabs(line: string, tabSize: number): string {
  const n = line.length - line.trimStart().length;
  if (n === 0 || line.trim() === '') return line;
  return '\t'.repeat(Math.floor(n / tabSize)) + ' '.repeat(n % tabSize) + line.slice(n);
}

export function formatDocument(doc: SourceDocument, range?: Range, options?: FormattingOptions): TextEdit[] {
  const tabSize = Math.max(1, Math.floor(options?.tabSize ?? 8));
  const lines = options?.insertSpaces === false ? formatLines(doc).map((l) => indentWithTabs(l, tabSize)) : formatLines(doc);
  const first = range ? Math.max(0, range.start.line) : 0;
  // A range that ends at a line's first character (whole lines selected) does not take that line.
  const end = range && range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range?.end.line;
  const last = end === undefined ? doc.lineCount - 1 : Math.min(doc.lineCount - 1, end);
  const edits: TextEdit[] = [];
  for (let k = first; k <= last; k++) {
    if (lines[k] === doc.lines[k]) continue;
    edits.push({ range: { start: { line: k, character: 0 }, end: { line: k, character: doc.lines[k].length } }, newText: lines[k] });
  }
  return edits;
}
