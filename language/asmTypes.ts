/** The assembler's public data types (re-exported by assembler.ts). */
import { SourceMap } from './sourcemap';

/** File access for the assembler: Node's fs in nodeHost.ts, a map in memoryHost.ts, open editors in the language server. */
export interface SourceHost {
  /** File contents, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** Why readFile gave undefined ('no such file', 'it is not a regular file ...'), for the error message. */
  readProblem?(path: string): string | undefined;
  /** Path of `rel` as written in an `.include` of `fromFile`. */
  resolve(fromFile: string, rel: string): string;
  /** How a file is named inside a message (the CLI: relative to the working directory); else as given. */
  display?(path: string): string;
}

export interface RelatedLocation {
  file: string;
  line: number;
  col: number;
  endCol: number;
  message: string;
}

/** Lines and columns are 0-based. */
export interface AsmDiagnostic {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Stable identifier, e.g. 'unknown-mnemonic'. */
  code: string;
  related?: RelatedLocation[];
  /** The same problem as another diagnostic, said at its other place (a duplicate's first definition): a one-line report (the CLI) leaves it out. */
  echo?: boolean;
}

/** Bytes to place at physical address `load`; `link` is the address they run at. */
export interface Segment {
  load: number;
  link: number;
  bytes: Uint8Array;
}

export interface SymbolInfo {
  /** Full name: local labels are `global.local`. */
  name: string;
  /** Labels: link address (unsigned). `.equ`: the value (unsigned 32-bit). */
  value: number;
  kind: 'label' | 'equ';
  file: string;
  line: number;
  col: number;
  endCol: number;
  /** Labels: physical load address. */
  load?: number;
}

/** One line of an assembly listing. */
export interface ListingLine {
  file: string;
  /** 0-based. */
  line: number;
  source: string;
  /** Link address of the first byte emitted by this line (or of the location counter for a label-only line). */
  address?: number;
  /** Physical load address matching `address`. */
  load?: number;
  /** Bytes emitted by this line. */
  bytes: Uint8Array;
  /** Emitted as instruction words (listed as 32-bit words) rather than data. */
  instruction: boolean;
}

/** A `.ring n` directive: the privilege level the code below it is meant to run at. */
export interface RingMark {
  file: string;
  line: number;
  ring: number;
}

export interface AssembleResult {
  /** No error diagnostics. */
  ok: boolean;
  diagnostics: AsmDiagnostic[];
  /** Non-empty segments, in source order. */
  segments: Segment[];
  /** Link address of `_start`, else of the first emitted byte. */
  entry: number;
  symbols: Map<string, SymbolInfo>;
  sourceMap: SourceMap;
  listing: ListingLine[];
  /** Every file read, the entry file first. */
  files: string[];
  rings: RingMark[];
}
