/** Where the cursor is within a statement, from the text before it: for completion and signature help. */
import { lexLine, Token } from '../lexer';

export interface LineContext {
  /** The cursor is in a comment. */
  comment: boolean;
  /** The statement's head (mnemonic or directive) when the cursor is past it. */
  head?: Token;
  /** 0-based operand index at the cursor (commas before it, outside brackets). */
  index: number;
  /** Inside `[...]`. */
  inBracket: boolean;
  /** Inside an unterminated string: its start column. */
  stringStart?: number;
  /** The word being typed: its start column (== cursor when none). */
  wordStart: number;
  word: string;
}

/**
 * What may go at the cursor in an operand: nothing after a finished operand (`mov r4, r2 |`) or
 * inside a number or character (`0x|`, `'a|`); after an operator only a value (`end - |`: no
 * register); else anything the slot takes.
 */
export function operandPlace(text: string, ctx: LineContext): 'none' | 'value' | 'any' {
  if (!ctx.head) return 'any';
  if (/^[0-9]/.test(ctx.word)) return 'none';
  const before = text.slice(0, ctx.wordStart);
  const { tokens } = lexLine(before);
  const last = tokens[tokens.length - 1];
  if (!last || last.start <= ctx.head.start) return 'any';
  if (last.kind === 'error' && last.text.startsWith("'")) return 'none';
  if (last.kind !== 'punct') return 'none';
  if (last.text === ',' || last.text === '[' || last.text === '(') return 'any';
  return last.text === ']' || last.text === ')' ? 'none' : 'value';
}

export function lineContext(text: string, col: number): LineContext {
  const prefix = text.slice(0, col);
  const { tokens } = lexLine(prefix);
  const ctx: LineContext = { comment: false, index: 0, inBracket: false, wordStart: col, word: '' };
  const last: Token | undefined = tokens[tokens.length - 1];
  if (last && last.kind === 'comment') {
    ctx.comment = true;
    return ctx;
  }
  if (last && last.end === col && (last.kind === 'ident' || last.kind === 'number')) {
    ctx.wordStart = last.start;
    ctx.word = last.text;
  }
  if (last && last.kind === 'error' && last.text.startsWith('"')) ctx.stringStart = last.start;
  let i = 0;
  while (i + 1 < tokens.length && tokens[i].kind === 'ident' && tokens[i + 1].kind === 'punct' && tokens[i + 1].text === ':') i += 2;
  const head = tokens[i];
  // Still typing the head (or nothing yet): statement position.
  if (!head || head.kind !== 'ident' || i === tokens.length - 1 && head.end === col) return ctx;
  ctx.head = head;
  let depth = 0;
  for (let j = i + 1; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.kind !== 'punct') continue;
    if (t.text === '[' || t.text === '(') depth++;
    else if (t.text === ']' || t.text === ')') depth = Math.max(0, depth - 1);
    else if (t.text === ',' && depth === 0) ctx.index++;
  }
  let open = 0;
  for (let j = tokens.length - 1; j > i; j--) {
    const t = tokens[j];
    if (t.kind === 'punct' && t.text === ']') break;
    if (t.kind === 'punct' && t.text === '[') open = 1;
    if (t.kind === 'punct' && t.text === ',' ) break;
  }
  ctx.inBracket = open === 1;
  return ctx;
}
