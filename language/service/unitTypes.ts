/** What a unit analysis holds: symbols, diagnostics, per-file facts (see unit.ts for how it is made). */
import { fullName } from '../layout';
import type { Severity } from '../lineInfo';
import type { LineInfo } from '../lineInfo';
import type { PassSymbol, Related, SegBuilder } from '../passTypes';
import type { SourceDocument } from './document';

export type { Related } from '../passTypes';
/** A symbol as the assembler's passes keep it (value, where it is defined, whether it has a value). */
export type UnitSymbol = PassSymbol;

export interface UnitDiag {
  uri: string;
  line: number;
  start: number;
  end: number;
  severity: Severity;
  message: string;
  code: string;
  related?: Related[];
  data?: unknown;
  /** Made by its own line alone (parse, form, ring and operand checks): an edit of that line can replace it. */
  own?: boolean;
  /** Made by pass 2 (operand values): depends on symbol values. */
  pass2?: boolean;
}

export interface IncludeSite {
  line: number;
  /** The quoted path's range. */
  start: number;
  end: number;
  rel: string;
  target: string;
}

export interface FileFacts {
  uri: string;
  doc: SourceDocument;
  /** Times the unit pass went through this file (an edit is patched in place only when it is 1). */
  visits: number;
  /** Global label that local names hang off, after each line's labels. */
  scopeAt: string[];
  /** Declared ring (`.ring`) in force at each line, -1 where none was declared. */
  ringAt: Int8Array;
  /** Location counter (link address) after each line, and the index of its region in `segments`. */
  locAt: Float64Array;
  segAt: Int32Array;
  /** The address the line's statement starts at (or its labels', an `.org`'s, an `.align`'s); NaN where none (a comment). */
  addrAt: Float64Array;
  includes: IncludeSite[];
}

/** Where pass 2 evaluates values: entry i is line `lines[i]` of `files[i]`, seen from `scopes[i]`. */
export interface ValueLines {
  count: number;
  files: string[];
  lines: number[];
  scopes: string[];
  infos: LineInfo[];
}

/** What the unit pass reads: documents (open or on disk) and include resolution. */
export interface UnitSources {
  document(uri: string): SourceDocument | undefined;
  resolve(fromUri: string, rel: string): string;
  /** Why an include of `uri` is refused without reading it (Restricted Mode), else undefined. */
  includeProblem?(uri: string): string | undefined;
  /** How a file is named inside a message: as hovers name it. */
  display?(uri: string): string;
}

export class UnitAnalysis {
  readonly files = new Map<string, FileFacts>();
  readonly symbols = new Map<string, UnitSymbol>();
  /** Exactly what the assembler reports. */
  readonly diagnostics: UnitDiag[] = [];
  /** The ring-aware checks (warnings and information). */
  readonly ringDiagnostics: UnitDiag[] = [];
  /**
   * What pass 2 evaluates: the statements with values (instructions with operands, `.word`/`.byte`),
   * in layout order, as parallel lists (no object per statement; re-filled by the next full pass).
   */
  readonly valueLines: ValueLines = { count: 0, files: [], lines: [], scopes: [], infos: [] };
  /** Regions, as the layout pass made them. */
  segments: SegBuilder[] = [];
  /** Every document read (or found missing) and its revision, to know when this is stale. */
  readonly deps = new Map<string, { doc?: SourceDocument; revision: number }>();
  byUri?: Map<string, UnitDiag[]>;
  /** Constants left without a value, with why (the undefined name their chain ends in, or their cycle). */
  noValue = new Map<string, string>();
  /** Edits patched in place since the full pass (incremental.ts), and how many of them moved labels. */
  patches = 0;
  shifts = 0;
  /** Full passes made into this object (unit.ts recycles it: few allocations per keystroke, so little GC). */
  generation = 0;
  /** A layout value (.org, .space, .align, .ring, .equ) used a label or a name not known yet: moving labels may change the layout. */
  layoutUsesLabels = false;

  constructor(readonly root: string) {}

  isCurrent(src: UnitSources): boolean {
    for (const [uri, dep] of this.deps) {
      const d = src.document(uri);
      if (d !== dep.doc || (d && d.revision !== dep.revision)) return false;
    }
    return true;
  }

  /** Both kinds of diagnostics for one file of the unit. */
  diagnosticsFor(uri: string): UnitDiag[] {
    if (!this.byUri) {
      this.byUri = new Map();
      for (const d of this.diagnostics.concat(this.ringDiagnostics)) {
        let list = this.byUri.get(d.uri);
        if (!list) this.byUri.set(d.uri, (list = []));
        list.push(d);
      }
    }
    return this.byUri.get(uri) ?? [];
  }

  /** Full name of `name` as written on `line` of `uri`. */
  fullNameAt(uri: string, line: number, name: string): string {
    const f = this.files.get(uri);
    return fullName(name, f?.scopeAt[line] ?? '');
  }
}
