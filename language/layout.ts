/**
 * Pass 1: read the files (following .include), parse every line, give every
 * label an address and every statement a size. Sizes depend only on syntax
 * (design choice (c) in docs/isa-choices.md), so one walk suffices.
 */
import { Form, InstructionDef, allMnemonics, instructionByName } from '../emulator/isa/table';
import { SysReg } from '../emulator/isa/registers';
import { AsmDiagnostic, ListingLine, RelatedLocation, SourceHost, SymbolInfo, RingMark } from './asmTypes';
import { EvalProblem, Expr, evaluate } from './expr';
import { chooseForm, suggest } from './forms';
import { clip } from './lexer';
import { parseLine, Span, StatementNode } from './parser';
import { runDirective } from './directives';
import { t } from './l10n';
import { hexDigits } from '../emulator/isa/hex';

export interface SegBuilder {
  load: number;
  link: number;
  size: number;
  /** Where the `.org` that opened it is (the default segment: the entry file's line 0). */
  file: string;
  span: Span;
  bytes?: Uint8Array;
}

export interface Item {
  kind: 'insn' | 'data';
  seg: SegBuilder;
  offset: number;
  size: number;
  file: string;
  scope: string;
  stmt: StatementNode;
  def?: InstructionDef;
  form?: Form;
  listing: ListingRow;
}

interface PendingLabel {
  name: string;
  listing: ListingRow;
}

interface DeferredEqu {
  name: string;
  expr: Expr;
  scope: string;
  file: string;
}

interface LateProblem extends EvalProblem {
  file: string;
  scope: string;
}

const EMPTY = new Uint8Array(0);

/** A listing line whose bytes are a view created on demand (most listings are never printed). */
export class ListingRow implements ListingLine {
  address: number | undefined = undefined;
  load: number | undefined = undefined;
  instruction = false;
  item: Item | undefined = undefined;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly source: string,
  ) {}
  get bytes(): Uint8Array {
    const it = this.item;
    return it && it.seg.bytes ? it.seg.bytes.subarray(it.offset, it.offset + it.size) : EMPTY;
  }
}
const MNEMONICS = allMnemonics();
/** Diagnostics kept per file. */
const MAX_FILE_DIAGNOSTICS = 1000;

export function fullName(name: string, scope: string): string {
  return name.startsWith('.') ? scope + name : name;
}

export class Layout {
  readonly diagnostics: AsmDiagnostic[] = [];
  readonly files: string[] = [];
  readonly symbols = new Map<string, SymbolInfo>();
  /** Values known so far: bound labels and evaluated .equ constants. */
  readonly values = new Map<string, number>();
  readonly segments: SegBuilder[] = [];
  readonly items: Item[] = [];
  readonly listing: ListingRow[] = [];
  readonly rings: RingMark[] = [];
  seg!: SegBuilder;
  /** Global label that `.local` names hang off, in the current file. */
  scope = '';
  private pending: PendingLabel[] = [];
  private deferred: DeferredEqu[] = [];
  private late: LateProblem[] = [];
  private includeStack: string[] = [];
  currentFile = '';
  private perFile = new Map<string, number>();

  constructor(readonly host: SourceHost) {}

  run(entry: string): void {
    this.segments.push((this.seg = { load: 0, link: 0, size: 0, file: entry, span: { line: 0, start: 0, end: 0 } }));
    const text = this.host.readFile(entry);
    if (text === undefined) {
      const why = this.host.readProblem?.(entry);
      this.diag(entry, { line: 0, start: 0, end: 0 }, 'error', t("cannot read file '{0}'", entry) + (why ? `: ${why}` : ''), 'missing-file');
      return;
    }
    this.processFile(entry, text);
    this.resolveDeferred();
    this.reportLate();
    this.checkOverlaps();
  }

  diag(file: string, span: Span, severity: AsmDiagnostic['severity'], message: string, code: string, related?: RelatedLocation[]): void {
    // A binary file opened by mistake must not produce a million diagnostics.
    const n = (this.perFile.get(file) ?? 0) + 1;
    this.perFile.set(file, n);
    if (n > MAX_FILE_DIAGNOSTICS) return;
    if (n === MAX_FILE_DIAGNOSTICS) {
      severity = 'error';
      message = `too many problems in this file; the rest are not shown`;
      code = 'too-many-problems';
      related = undefined;
    }
    const d: AsmDiagnostic = { file, line: span.line, col: span.start, endLine: span.line, endCol: span.end, severity, message, code };
    if (related) d.related = related;
    this.diagnostics.push(d);
  }

  processFile(file: string, text: string): void {
    if (!this.files.includes(file)) this.files.push(file);
    const savedScope = this.scope;
    const savedFile = this.currentFile;
    this.scope = '';
    this.currentFile = file;
    this.includeStack.push(file);
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) this.processLine(file, i, lines[i]);
    this.bindPending();
    this.includeStack.pop();
    this.scope = savedScope;
    this.currentFile = savedFile;
  }

  /** Follow an `.include`: the path is relative to the including file. */
  include(file: string, span: Span, rel: string): void {
    this.bindPending();
    const path = this.host.resolve(file, rel);
    if (this.includeStack.includes(path)) {
      const chain = [...this.includeStack.slice(this.includeStack.indexOf(path)), path].join(' → ');
      this.diag(file, span, 'error', t('include cycle: {0}', chain), 'include-cycle');
      return;
    }
    if (this.includeStack.length > 64) {
      this.diag(file, span, 'error', t('includes nested more than 64 deep'), 'include-cycle');
      return;
    }
    const text = this.host.readFile(path);
    if (text === undefined) {
      const why = this.host.readProblem?.(path);
      this.diag(file, span, 'error', t("cannot read included file '{0}' ({1})", rel, path) + (why ? `: ${why}` : ''), 'missing-include');
      return;
    }
    this.processFile(path, text);
  }

  private processLine(file: string, line: number, text: string): void {
    const parsed = parseLine(text, line);
    for (const d of parsed.diagnostics) this.diag(file, { line, start: d.start, end: d.end }, d.severity, d.message, d.code);
    const listing = new ListingRow(file, line, text);
    this.listing.push(listing);
    for (const l of parsed.labels) {
      const name = l.local ? this.scope + l.name : l.name;
      if (!l.local) this.scope = l.name;
      if (this.define(name, 'label', file, l)) this.pending.push({ name, listing });
    }
    const s = parsed.statement;
    if (!s) return;
    if (s.kind === 'instruction') this.instruction(file, s, listing);
    else runDirective(this, file, s, listing);
  }

  /** Record a symbol; false (with diagnostics at both places) if the name is taken. */
  define(name: string, kind: SymbolInfo['kind'], file: string, span: Span): boolean {
    const prev = this.symbols.get(name);
    if (prev) {
      const here = `${file}:${span.line + 1}`;
      const there = `${prev.file}:${prev.line + 1}`;
      this.diag(file, span, 'error', (kind === 'label' ? t("duplicate label '{0}' (first defined at {1})", name, there) : t("duplicate symbol '{0}' (first defined at {1})", name, there)), 'duplicate-label', [
        { file: prev.file, line: prev.line, col: prev.col, endCol: prev.endCol, message: t('first definition') },
      ]);
      this.diag(prev.file, { line: prev.line, start: prev.col, end: prev.endCol }, 'error', t("'{0}' is defined again at {1}", name, here), 'duplicate-label', [
        { file, line: span.line, col: span.start, endCol: span.end, message: t('second definition') },
      ]);
      return false;
    }
    this.symbols.set(name, { name, value: 0, kind, file, line: span.line, col: span.start, endCol: span.end });
    return true;
  }

  /** Give labels seen since the last statement the current address. */
  bindPending(): void {
    if (this.pending.length === 0) return;
    const link = (this.seg.link + this.seg.size) >>> 0;
    const load = (this.seg.load + this.seg.size) >>> 0;
    for (const p of this.pending) {
      const sym = this.symbols.get(p.name)!;
      sym.value = link;
      sym.load = load;
      this.values.set(p.name, link);
      if (p.listing.address === undefined) {
        p.listing.address = link;
        p.listing.load = load;
      }
    }
    this.pending = [];
  }

  /** Reserve `size` bytes at the location counter for a statement. */
  addItem(kind: Item['kind'], file: string, stmt: StatementNode, listing: ListingRow, size: number, def?: InstructionDef, form?: Form): Item {
    this.bindPending();
    const item: Item = { kind, seg: this.seg, offset: this.seg.size, size, file, scope: this.scope, stmt, def, form, listing };
    listing.address = (this.seg.link + this.seg.size) >>> 0;
    listing.load = (this.seg.load + this.seg.size) >>> 0;
    listing.instruction = kind === 'insn';
    listing.item = item;
    this.seg.size += size;
    this.items.push(item);
    return item;
  }

  /** Zero-pad so that the link address is a multiple of n (a power of two). */
  padTo(n: number): void {
    const pad = -(this.seg.link + this.seg.size) & (n - 1);
    this.seg.size += pad;
  }

  private instruction(file: string, s: StatementNode & { kind: 'instruction' }, listing: ListingRow): void {
    const def = instructionByName(s.mnemonic);
    if (!def) {
      const did = suggest(s.mnemonic, MNEMONICS);
      const hint = did.length ? t('; did you mean {0}?', did.map((d) => `'${d}'`).join(t(' or '))) : '';
      this.diag(file, s.nameSpan, 'error', t("unknown instruction '{0}'", clip(s.mnemonic)) + hint, 'unknown-mnemonic');
      return;
    }
    const choice = chooseForm(def, s.operands);
    if (!choice.ok && choice.message) {
      const span = choice.operand !== undefined ? s.operands[choice.operand] : s.operands.length ? { line: s.line, start: s.operands[0].start, end: s.operands[s.operands.length - 1].end } : s.nameSpan;
      this.diag(file, span, 'error', choice.message, choice.code!);
    }
    if (choice.ok && def.mnemonic === 'wrsr') {
      const sr = s.operands[0];
      if (sr.kind === 'sreg' && sr.id === SysReg.STATUS) {
        this.diag(file, sr, 'error', t('status cannot be written whole; use popf or iret'), 'status-not-writable');
      }
    }
    // Instruction words are 32-bit: keep them aligned (choice (b)). Labels bind after the padding.
    this.padTo(4);
    this.addItem('insn', file, s, listing, choice.form.words * 4, choice.ok ? def : undefined, choice.form);
  }

  /** Evaluate during pass 1 (layout needs the value now): only symbols defined above are known. */
  evalNow(file: string, e: Expr): number | undefined {
    const problems: EvalProblem[] = [];
    const scope = this.scope;
    const v = evaluate(e, (name) => this.values.get(fullName(name, scope)), problems);
    for (const p of problems) {
      if (p.code === 'undefined-symbol') this.late.push({ ...p, file, scope });
      else this.diag(file, p, 'error', p.message, p.code);
    }
    return v;
  }

  /** `.equ NAME, expr`: evaluated now if it can be, else once all labels are known. */
  equ(file: string, nameSpan: Span, name: string, e: Expr): void {
    const full = fullName(name, this.scope);
    if (!this.define(full, 'equ', file, nameSpan)) return;
    const problems: EvalProblem[] = [];
    const scope = this.scope;
    const v = evaluate(e, (n) => this.values.get(fullName(n, scope)), problems);
    if (v !== undefined) return this.setEqu(full, v);
    const hard = problems.filter((p) => p.code !== 'undefined-symbol');
    for (const p of hard) this.diag(file, p, 'error', p.message, p.code);
    if (hard.length === 0) this.deferred.push({ name: full, expr: e, scope, file });
  }

  private setEqu(name: string, v: number): void {
    this.values.set(name, v | 0);
    this.symbols.get(name)!.value = v >>> 0;
  }

  /** Constants that referred to later labels or constants: evaluate until nothing changes. */
  private resolveDeferred(): void {
    let progress = true;
    while (progress && this.deferred.length) {
      progress = false;
      this.deferred = this.deferred.filter((d) => {
        const problems: EvalProblem[] = [];
        const v = evaluate(d.expr, (n) => this.values.get(fullName(n, d.scope)), problems);
        if (v === undefined) return true;
        this.setEqu(d.name, v);
        progress = true;
        return false;
      });
    }
    for (const d of this.deferred) {
      const problems: EvalProblem[] = [];
      evaluate(d.expr, (n) => this.values.get(fullName(n, d.scope)), problems);
      for (const p of problems) {
        const full = fullName(p.name ?? '', d.scope);
        if (!this.symbols.has(full)) this.diag(d.file, p, 'error', undefinedMessage(p.name ?? '', full), 'undefined-symbol');
        else {
          const why = this.whyNoValue(full);
          this.diag(d.file, p, 'error', why.message, why.circular ? 'circular-equ' : 'undefined-symbol');
        }
      }
    }
  }

  /** Why a constant has no value after layout: the undefined name its .equ chain ends in, or its cycle. */
  whyNoValue(full: string): { message: string; circular: boolean } {
    const byName = new Map(this.deferred.map((d) => [d.name, d]));
    return noValueReason(full, (n) => {
      const d = byName.get(n);
      if (!d) return undefined;
      const problems: EvalProblem[] = [];
      evaluate(d.expr, (x) => this.values.get(fullName(x, d.scope)), problems);
      return problems.filter((q) => q.name !== undefined).map((q) => fullName(q.name!, d.scope));
    });
  }

  private reportLate(): void {
    for (const p of this.late) {
      const full = fullName(p.name ?? '', p.scope);
      const later = this.symbols.has(full);
      const msg = later
        ? t("'{0}' is defined later: values that decide the layout (.org, .space, .align, .ring) may only use symbols defined above", p.name ?? '')
        : undefinedMessage(p.name ?? '', full);
      this.diag(p.file, p, 'error', msg, later ? 'forward-reference' : 'undefined-symbol');
    }
  }

  /** Physical load ranges of two regions must not overlap. */
  private checkOverlaps(): void {
    const segs = this.segments.map((s, order) => ({ s, order })).filter((x) => x.s.size > 0);
    for (const { s } of segs) {
      if (s.load + s.size > 0x100000000) this.diag(s.file, s.span, 'error', t('region at 0x{0} runs past the end of the 32-bit address space', hex(s.load)), 'address-overflow');
    }
    const sorted = [...segs].sort((a, b) => a.s.load - b.s.load || a.order - b.order);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length && sorted[j].s.load < sorted[i].s.load + sorted[i].s.size; j++) {
        const [first, second] = sorted[i].order < sorted[j].order ? [sorted[i].s, sorted[j].s] : [sorted[j].s, sorted[i].s];
        const r = (s: SegBuilder) => `0x${hex(s.load)}-0x${hex(s.load + s.size - 1)}`;
        this.diag(second.file, second.span, 'error', t('region {0} overlaps region {1} (from {2})', r(second), r(first), `${first.file}:${first.span.line + 1}`), 'org-overlap', [
          { file: first.file, line: first.span.line, col: first.span.start, endCol: first.span.end, message: t('the other region starts here') },
        ]);
      }
    }
  }
}

/**
 * Why `name`, a constant, has no value: follow the names its expression is missing (`unresolved`
 * gives them for a constant still without value, undefined for a name that is not one) to the
 * first one that is not defined at all; only when every path comes back to a constant on it is
 * it a circular definition. `.equ A, B + 1` / `.equ B, C + 1` with C undefined: C, not a cycle.
 */
export function noValueReason(name: string, unresolved: (full: string) => string[] | undefined): { message: string; circular: boolean } {
  const stack: string[] = [];
  const seen = new Set<string>();
  let cycle: string[] | undefined;
  const walk = (n: string): string[] | undefined => {
    const i = stack.indexOf(n);
    if (i >= 0) {
      cycle ??= [...stack.slice(i), n];
      return undefined;
    }
    if (seen.has(n)) return undefined;
    seen.add(n);
    const refs = unresolved(n);
    if (refs === undefined) return [n];
    stack.push(n);
    for (const r of refs) {
      const found = walk(r);
      if (found) return [n, ...found];
    }
    stack.pop();
    return undefined;
  };
  const chain = walk(name);
  if (chain?.length === 1) return { message: t("'{0}' has no value: its definition has an error", name), circular: false };
  if (chain) {
    const root = chain[chain.length - 1];
    return { message: t("'{0}' has no value: '{1}' is undefined", name, root) + (chain.length > 2 ? ` (${chain.join(' → ')})` : ''), circular: false };
  }
  return { message: t("'{0}' cannot be evaluated: circular definition", name) + (cycle ? ` (${cycle.join(' → ')})` : ''), circular: true };
}

export function undefinedMessage(name: string, full: string): string {
  return name.startsWith('.') ? t("undefined local label '{0}' ({1})", name, full) : t("undefined label or constant '{0}'", name);
}

/** The digits of an address, 8 of them (messages put `0x` before). */
export const hex = (v: number): string => hexDigits(v, 8);
