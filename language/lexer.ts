/**
 * Line lexer for R32 assembly. Works on one line at a time so the language
 * server can re-lex only the lines that changed. Never throws: anything it
 * cannot make sense of becomes an `error` token plus a diagnostic.
 */
import { t as tr } from './l10n';

export type TokenKind = 'ident' | 'number' | 'char' | 'string' | 'punct' | 'comment' | 'error';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for `punct`: the operator itself). */
  text: string;
  /** 0-based line and columns: [start, end). */
  line: number;
  start: number;
  end: number;
  /** `number`/`char`: the value (0..0xFFFFFFFF). */
  value?: number;
  /** `string`: the decoded characters as byte values. */
  bytes?: number[];
}

/** A problem found while lexing or parsing one line (columns on that line). */
export interface LineDiagnostic {
  start: number;
  end: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  code: string;
}

/** Single-character operators, by character code (interned strings: no allocation per token). */
const PUNCT1: (string | undefined)[] = [];
for (const p of [',', ':', '[', ']', '(', ')', '+', '-', '*', '/', '%', '&', '|', '^', '~']) PUNCT1[p.charCodeAt(0)] = p;
function punct1(c: number): string | undefined {
  return c < 128 ? PUNCT1[c] : undefined;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46; // a-z A-Z _ .
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36; // 0-9 $
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, '0': 0, '\\': 92, '"': 34, "'": 39, r: 13 };

/**
 * Where the line being lexed puts its tokens: `out[0..count)`. The parser lexes into one pool
 * of token objects that it reuses line after line (parseLine keeps none of them), so a
 * 10,000-line parse does not leave 60,000 token objects for the garbage collector.
 */
let out: Token[] = [];
let count = 0;

/** Tokens are built in one place so that they all share one object shape (V8 keeps property access fast). */
function tok(line: number, kind: TokenKind, text: string, start: number, end: number, value?: number, bytes?: number[]): void {
  if (count < out.length) {
    const t = out[count++];
    t.kind = kind;
    t.text = text;
    t.line = line;
    t.start = start;
    t.end = end;
    t.value = value;
    t.bytes = bytes;
  } else {
    out.push({ kind, text, line, start, end, value, bytes });
    count++;
  }
}

/** Decode the escape at text[i] (just after the backslash). Returns the byte, or undefined if unknown. */
function escapeValue(ch: string): number | undefined {
  return ESCAPES[ch];
}

/** Parse the body of a number literal (decimal, 0x, 0b, 0o). */
function numberValue(text: string): number | undefined {
  let fast = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    fast = fast * 10 + (c - 48);
  }
  if (i === text.length) return fast;
  let m: RegExpExecArray | null;
  let v: number;
  if ((m = /^0[xX]([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/.exec(text))) v = parseInt(m[1].replace(/_/g, ''), 16);
  else if ((m = /^0[bB]([01]+(?:_[01]+)*)$/.exec(text))) v = parseInt(m[1].replace(/_/g, ''), 2);
  else if ((m = /^0[oO]([0-7]+(?:_[0-7]+)*)$/.exec(text))) v = parseInt(m[1].replace(/_/g, ''), 8);
  else if (/^[0-9]+(?:_[0-9]+)*$/.exec(text)) v = parseInt(text.replace(/_/g, ''), 10);
  else return undefined;
  return Number.isFinite(v) ? v : undefined;
}

export interface LexResult {
  tokens: Token[];
  diagnostics: LineDiagnostic[];
}

/**
 * The debugger's expressions (watches, conditions, the Debug Console) also compare and combine
 * truth values: `== != < <= > >= && || !`. Source lines never have them (the assembler reports
 * each as an unexpected character).
 */
const DEBUG_OPS2 = ['==', '!=', '<=', '>=', '&&', '||'];
const DEBUG_OPS1 = ['<', '>', '!'];

/** Tokenize one line (without its line terminator); `debugOps`: also the debugger's operators (DEBUG_OPS2/1). */
export function lexLine(text: string, line = 0, debugOps = false): LexResult {
  const tokens: Token[] = [];
  const diagnostics: LineDiagnostic[] = [];
  lexInto(text, line, tokens, diagnostics, debugOps);
  return { tokens, diagnostics };
}

/**
 * Tokenize one line into `tokens`, re-filling the token objects already there (the parser's
 * pool); entries past the returned count are left over from earlier lines and mean nothing.
 */
export function lexInto(text: string, line: number, tokens: Token[], diagnostics: LineDiagnostic[], debugOps = false): number {
  out = tokens;
  count = 0;
  const n = text.length;
  // A UTF-8 byte-order mark (an editor on Windows may save one) is not part of the first line.
  let i = line === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    const start = i;
    if (c === 59) {
      // ';' comment runs to the end of the line
      tok(line, 'comment', text.slice(i), start, n);
      break;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      tok(line, 'ident', text.slice(start, i), start, i);
      continue;
    }
    if (isDigit(c)) {
      i++;
      while (i < n && (isIdentPart(text.charCodeAt(i)) && text.charCodeAt(i) !== 46)) i++;
      const t = text.slice(start, i);
      const v = numberValue(t);
      if (v === undefined) {
        lexError(diagnostics, start, i, tr("bad number '{0}'", clip(t)), 'bad-number');
        tok(line, 'error', t, start, i);
      } else if (v > 0xffffffff) {
        lexError(diagnostics, start, i, tr('number {0} does not fit in 32 bits', clip(t)), 'number-too-large');
        tok(line, 'error', t, start, i);
      } else tok(line, 'number', t, start, i, v);
      continue;
    }
    if (c === 34 || c === 39) {
      i = lexQuoted(text, i, c, line, diagnostics);
      continue;
    }
    if ((c === 60 || c === 62) && i + 1 < n && text.charCodeAt(i + 1) === c) {
      tok(line, 'punct', c === 60 ? '<<' : '>>', start, i + 2);
      i += 2;
      continue;
    }
    if (debugOps) {
      const op = DEBUG_OPS2.find((o) => text.startsWith(o, i)) ?? DEBUG_OPS1.find((o) => text.startsWith(o, i));
      if (op) {
        tok(line, 'punct', op, start, i + op.length);
        i += op.length;
        continue;
      }
    }
    const ch = punct1(c);
    if (ch !== undefined) {
      tok(line, 'punct', ch, start, i + 1);
      i++;
      continue;
    }
    // Unknown character: swallow a run of them into one error token.
    i++;
    while (i < n && !isKnownStart(text.charCodeAt(i)) && !(debugOps && DEBUG_OPS1.some((o) => text.startsWith(o, i)))) i++;
    lexError(diagnostics, start, i, (i - start > 1 ? tr("unexpected characters '{0}'", clip(text.slice(start, i))) : tr("unexpected character '{0}'", clip(text.slice(start, i)))), 'bad-character');
    tok(line, 'error', text.slice(start, i), start, i);
  }
  const n2 = count;
  out = [];
  count = 0;
  return n2;
}

function lexError(diagnostics: LineDiagnostic[], start: number, end: number, message: string, code: string): void {
  diagnostics.push({ start, end, severity: 'error', message, code });
}

function isKnownStart(c: number): boolean {
  return c === 32 || c === 9 || c === 59 || c === 34 || c === 39 || c === 60 || c === 62 || isIdentStart(c) || isDigit(c) || punct1(c) !== undefined;
}

/** Lex a string ("...") or character ('.') literal starting at text[i]. Returns the index after it. */
function lexQuoted(text: string, i: number, quote: number, line: number, diagnostics: LineDiagnostic[]): number {
  const n = text.length;
  const start = i;
  const bytes: number[] = [];
  let ok = true;
  i++;
  let closed = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      closed = true;
      i++;
      break;
    }
    if (c === 92) {
      const e = i + 1 < n ? escapeValue(text[i + 1]) : undefined;
      if (e === undefined) {
        const end = Math.min(i + 2, n);
        diagnostics.push({ start: i, end, severity: 'error', message: tr("bad escape '{0}' (use \\n \\t \\0 \\\\ \\\" or \\')", clip(text.slice(i, end))), code: 'bad-escape' });
        ok = false;
        i = end;
        continue;
      }
      bytes.push(e);
      i += 2;
      continue;
    }
    if (c > 0x7f) {
      // Non-ASCII characters are stored as UTF-8.
      const cp = text.codePointAt(i)!;
      const step = cp > 0xffff ? 2 : 1;
      for (const b of utf8(cp)) bytes.push(b);
      i += step;
      continue;
    }
    bytes.push(c);
    i++;
  }
  const tokText = text.slice(start, i);
  if (!closed) {
    diagnostics.push({ start, end: i, severity: 'error', message: quote === 34 ? tr('unterminated string') : tr('unterminated character literal'), code: 'unterminated-string' });
    tok(line, 'error', tokText, start, i);
    return i;
  }
  if (quote === 34) {
    if (ok) tok(line, 'string', tokText, start, i, undefined, bytes);
    else tok(line, 'error', tokText, start, i);
    return i;
  }
  if (ok && bytes.length !== 1) {
    diagnostics.push({ start, end: i, severity: 'error', message: tr('a character literal holds exactly one byte'), code: 'bad-char' });
    ok = false;
  }
  if (ok) tok(line, 'char', tokText, start, i, bytes[0]);
  else tok(line, 'error', tokText, start, i);
  return i;
}

function utf8(cp: number): number[] {
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/** Shorten text quoted in a message (lines may be megabytes long). */
export function clip(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
