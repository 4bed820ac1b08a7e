/**
 * What the assembler's passes (layout.ts, operands.ts) work on and report to.
 * The passes run over parsed lines (lineInfo.ts) and tell a sink what they
 * find; the assembler's sink builds an image and a listing (assembler.ts),
 * the language service's keeps per-line facts for the editor
 * (service/unit.ts). One set of rules, two uses.
 */
import type { LineInfo, Severity } from './lineInfo';
import type { Span } from './parser';

/** Lines of one file, parsed (the service's SourceDocument is one: its parses are cached). */
export interface LineSource {
  readonly lineCount: number;
  info(i: number): LineInfo;
}

/** Where the passes get files. */
export interface PassSources {
  /** The lines of `file`, or undefined when it cannot be read (`included`: reached through an `.include`). */
  open(file: string, included: boolean): LineSource | undefined;
  /** Why `open` gave undefined, for the message, when known. */
  readProblem?(file: string): string | undefined;
  /** Path of `rel` as written in an `.include` of `fromFile`. */
  resolve(fromFile: string, rel: string): string;
  /** How a file is named inside a message (`'a' is defined again at lib.rasm:3`), as the caller shows files; else as given. */
  display?(file: string): string;
}

export interface Related {
  file: string;
  line: number;
  start: number;
  end: number;
  message: string;
}

/** Which pass made a diagnostic: the service replaces a line's `Line` and `Value` ones when only that line changes. */
export const enum Origin {
  /** Made from other lines too (symbols, layout, includes). */
  Unit = 0,
  /** The line's own parse and form checks. */
  Line = 1,
  /** Pass 2: an operand's value (depends on symbol values). */
  Value = 2,
}

/** Symbols as the passes keep them; the assembler's result exposes them as SymbolInfo (asmTypes.ts). */
export interface PassSymbol {
  /** Full name: local labels are `global.local`. */
  name: string;
  kind: 'label' | 'equ';
  file: string;
  line: number;
  col: number;
  endCol: number;
  /** Labels: link address; `.equ`: value (unsigned). */
  value: number;
  /** Labels: physical load address. */
  load?: number;
  /** False for an `.equ` that could not be evaluated. */
  resolved: boolean;
  /** Whether expressions can use it yet (labels once bound, `.equ` once evaluated), and the signed value they see. */
  bound: boolean;
  v: number;
  /** The pass that defined it (the service re-runs the passes into the same map, reusing its symbols). */
  gen: number;
}

export interface SegBuilder {
  load: number;
  link: number;
  size: number;
  /** Where the `.org` that opened it is (the default region: the entry file's line 0). */
  file: string;
  span: Span;
  bytes?: Uint8Array;
}

/** A statement that takes memory: pass 2 evaluates its operands (operands.ts). */
export interface Item {
  kind: 'insn' | 'data';
  seg: SegBuilder;
  offset: number;
  size: number;
  file: string;
  line: number;
  scope: string;
  info: LineInfo;
}

/** What the passes report. Only `diag` is required. */
export interface PassSink {
  /** `echo`: the same problem said again at its other place (a duplicate's first definition), for an editor that marks both. */
  diag(file: string, line: number, start: number, end: number, severity: Severity, message: string, code: string, origin: Origin, related?: Related[], data?: unknown, echo?: boolean): void;
  /** A file is about to be read line by line (once per visit: a file included twice is visited twice). */
  enterFile?(file: string, lines: LineSource): void;
  leaveFile?(file: string): void;
  /** Line `line` of the current file is about to be laid out. */
  lineStart?(file: string, line: number, info: LineInfo): void;
  /** Line `line` is laid out: the pass's scope, ring, region and location counter are those after it. */
  lineEnd?(file: string, line: number, info: LineInfo): void;
  /**
   * An address for a line: its statement's (with its item), an `.org`'s, an `.align`'s before
   * padding, or (`label`) where its labels were bound, which does not replace one already given.
   */
  placed?(file: string, line: number, link: number, load: number, item: Item | undefined, label: boolean): void;
  /** An `.include` of `target`, written as `rel` at `start..end` (the quoted path) of `line`. */
  include?(file: string, line: number, start: number, end: number, rel: string, target: string): void;
}
