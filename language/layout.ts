/**
 * Pass 1: read the files (following .include), give every label an address
 * and every statement a size, evaluate constants, check what depends on the
 * whole program (duplicate names, late references, overlapping regions).
 * Sizes depend only on syntax (design choice (c) in docs/isa-choices.md), so
 * one walk suffices. It runs over parsed lines (lineInfo.ts) and reports to a
 * sink (passTypes.ts): the assembler and the language service run this same
 * code, each keeping what it needs.
 */
import { EvalProblem, Expr, evaluate, symbolsOf } from './expr';
import { checkOverlaps, noValueReasons, undefinedMessage } from './layoutChecks';
import { fullName } from './names';
import { runDirective } from './directives';
import { Kind, LineInfo, Severity } from './lineInfo';
import { Item, LineSource, Origin, PassSink, PassSources, PassSymbol, Related, SegBuilder } from './passTypes';
import type { DirectiveNode, Span } from './parser';
import { t } from './l10n';
import type { RingMark } from './asmTypes';

export { hex, undefinedMessage } from './layoutChecks';
export { fullName } from './names';

interface DeferredEqu {
  name: string;
  expr: Expr;
  scope: string;
  file: string;
  line: number;
}

interface LateProblem extends EvalProblem {
  file: string;
  scope: string;
  at: number;
}

/** The most includes one program goes through, and the most lines, includes expanded (a big course program has a few dozen files and some thousands of lines). */
const MAX_INCLUDES = 10_000;
const MAX_UNIT_LINES = 2_000_000;

export class Layout {
  /** Every file read, the entry file first. */
  readonly files: string[] = [];
  readonly segments: SegBuilder[] = [];
  readonly items: Item[];
  readonly rings: RingMark[] = [];
  /** Constants left without a value, with why (the undefined name their chain ends in, or their cycle). */
  readonly noValue = new Map<string, string>();
  /** A layout value (.org, .space, .align, .ring, .equ) used a label or a name not known yet: moving labels may change the layout. */
  layoutUsesLabels = false;
  seg!: SegBuilder;
  /** Global label that `.local` names hang off, in the current file. */
  scope = '';
  /** The `.ring` in force, -1 before any. */
  ring = -1;
  private pending: PassSymbol[] = [];
  private deferred: DeferredEqu[] = [];
  private late: LateProblem[] = [];
  private includeStack: string[] = [];
  /** Scope names are resolved against, for the one resolver all layout evaluations share. */
  private evalScope = '';
  private readonly resolver = (name: string): number | undefined => {
    const sym = this.symbols.get(fullName(name, this.evalScope));
    if (sym === undefined || sym.kind === 'label' || sym.gen !== this.gen) this.layoutUsesLabels = true;
    return sym !== undefined && sym.bound && sym.gen === this.gen ? sym.v : undefined;
  };

  /**
   * `symbols` may hold a previous pass's symbols (generation below `gen`): they are reused in
   * place when defined again and dropped otherwise (the service re-runs into one map per keystroke).
   */
  constructor(
    readonly src: PassSources,
    readonly sink: PassSink,
    readonly symbols = new Map<string, PassSymbol>(),
    readonly gen = 1,
    /**
     * A previous pass's items, re-filled in place (`symbols`' reason: a pass per keystroke); null:
     * keep none (the sink takes what it needs from `placed`; the items list stays empty).
     */
    items: Item[] | null = [],
  ) {
    this.items = items ?? [];
    this.keep = items !== null;
  }
  private readonly keep: boolean;
  /** The one item passed to `placed` when none are kept. */
  private scratch: Item | undefined;
  /** Items made by this pass (`items` may hold more, from the previous one, until the pass ends). */
  private count = 0;

  /** Lines and includes gone through by this pass: a program that includes files over and over (each twice, 30 deep) is refused, not expanded for hours. */
  private linesVisited = 0;
  private includesVisited = 0;

  run(entry: string): void {
    this.linesVisited = this.includesVisited = 0;
    this.segments.push((this.seg = { load: 0, link: 0, size: 0, file: entry, span: { line: 0, start: 0, end: 0 } }));
    const lines = this.src.open(entry, false);
    if (!lines) {
      this.items.length = 0;
      const why = this.src.readProblem?.(entry);
      this.sink.diag(entry, 0, 0, 0, 'error', t("cannot read file '{0}'", entry) + (why ? `: ${why}` : ''), 'missing-file', Origin.Unit);
      return;
    }
    this.visit(entry, lines);
    this.items.length = this.count;
    // By value (a symbol's key is its name): iterating entries would make a pair per symbol.
    for (const sym of this.symbols.values()) if (sym.gen !== this.gen) this.symbols.delete(sym.name);
    this.resolveDeferred();
    this.reportLate();
    checkOverlaps(this.segments, (file, span, message, code, related) => this.error(file, span.line, span, message, code, related), (f, l) => this.where(f, l));
  }

  error(file: string, line: number, span: { start: number; end: number }, message: string, code: string, related?: Related[], data?: unknown): void {
    this.sink.diag(file, line, span.start, span.end, 'error', message, code, Origin.Unit, related, data);
  }

  private visit(file: string, lines: LineSource): void {
    this.linesVisited += lines.lineCount;
    if (!this.files.includes(file)) this.files.push(file);
    const sink = this.sink;
    sink.enterFile?.(file, lines);
    const savedScope = this.scope;
    this.scope = '';
    this.includeStack.push(file);
    const n = lines.lineCount;
    for (let i = 0; i < n; i++) {
      const info = lines.info(i);
      sink.lineStart?.(file, i, info);
      this.line(file, i, info);
      sink.lineEnd?.(file, i, info);
    }
    // Labels left at the end of an included file bind where the includer's next item lands (after
    // its padding, as any label before an instruction); at the end of the program, here.
    if (this.includeStack.length === 1) this.bindPending();
    this.includeStack.pop();
    this.scope = savedScope;
    sink.leaveFile?.(file);
  }

  private line(file: string, line: number, info: LineInfo): void {
    // The line's own problems: the parser's, then (for instructions, after the labels') the form checks.
    const local = info.local;
    const parseCount = info.parseDiagCount;
    for (let k = 0; k < parseCount; k++) this.own(file, line, local[k].severity, local[k]);
    const labels = info.labels;
    for (let k = 0; k < labels.length; k++) {
      const l = labels[k];
      const name = l.local ? fullName(l.name, this.scope) : l.name;
      if (!l.local) this.scope = l.name;
      const sym = this.define(name, 'label', file, line, l);
      if (sym) this.pending.push(sym);
    }
    const kind = info.kind;
    if (kind === Kind.None) return;
    if (kind === Kind.Directive) {
      // `.word`/`.byte` whose arguments are all values (the common data line): their size is all there is to do.
      if (info.dataCount) this.addItem('data', file, line, info, info.dataCount * (info.directive === '.word' ? 4 : 1));
      else runDirective(this, file, line, info, info.stmt as DirectiveNode);
      return;
    }
    for (let k = parseCount; k < local.length; k++) this.own(file, line, local[k].severity, local[k]);
    if (info.def === undefined) return;
    // Instruction words are 32-bit: keep them aligned (choice (b)). Labels bind after the padding.
    this.padTo(4);
    this.addItem('insn', file, line, info, info.form!.words * 4);
  }

  private own(file: string, line: number, severity: Severity, d: LineInfo['local'][number]): void {
    this.sink.diag(file, line, d.start, d.end, severity, d.message, d.code, Origin.Line, undefined, d.data);
  }

  /** `file:line` as the caller names files (the editor: relative to the workspace, as its hovers do). */
  where(file: string, line: number): string {
    return `${this.src.display?.(file) ?? file}:${line + 1}`;
  }

  /** Record a symbol; undefined (with diagnostics at both places) if the name is taken. */
  define(name: string, kind: PassSymbol['kind'], file: string, line: number, span: { start: number; end: number }): PassSymbol | undefined {
    const found = this.symbols.get(name);
    if (found !== undefined && found.gen === this.gen) {
      const prev = found;
      const here = this.where(file, line);
      const there = this.where(prev.file, prev.line);
      const message = kind === 'label' ? t("duplicate label '{0}' (first defined at {1})", name, there) : t("duplicate symbol '{0}' (first defined at {1})", name, there);
      this.error(file, line, span, message, 'duplicate-label', [{ file: prev.file, line: prev.line, start: prev.col, end: prev.endCol, message: t('first definition') }]);
      const second = [{ file, line, start: span.start, end: span.end, message: t('second definition') }];
      this.sink.diag(prev.file, prev.line, prev.col, prev.endCol, 'error', t("'{0}' is defined again at {1}", name, here), 'duplicate-label', Origin.Unit, second, undefined, true);
      return undefined;
    }
    if (!found) {
      const sym: PassSymbol = { name, kind, file, line, col: span.start, endCol: span.end, value: 0, load: undefined, resolved: kind === 'label', bound: false, v: 0, gen: this.gen };
      this.symbols.set(name, sym);
      return sym;
    }
    // A previous pass's symbol of that name: reuse the object (and the map entry).
    const sym = found;
    sym.name = name;
    sym.kind = kind;
    sym.file = file;
    sym.line = line;
    sym.col = span.start;
    sym.endCol = span.end;
    sym.value = 0;
    sym.load = undefined;
    sym.resolved = kind === 'label';
    sym.bound = false;
    sym.v = 0;
    sym.gen = this.gen;
    return sym;
  }

  /** Give labels seen since the last statement the current address. */
  bindPending(): void {
    if (this.pending.length === 0) return;
    const link = (this.seg.link + this.seg.size) >>> 0;
    const load = (this.seg.load + this.seg.size) >>> 0;
    for (const sym of this.pending) {
      sym.value = link;
      sym.load = load;
      sym.bound = true;
      sym.v = link | 0;
      this.sink.placed?.(sym.file, sym.line, link, load, undefined, true);
    }
    this.pending.length = 0;
  }

  /** Reserve `size` bytes at the location counter for a statement. */
  addItem(kind: Item['kind'], file: string, line: number, info: LineInfo, size: number): void {
    this.bindPending();
    const seg = this.seg;
    const items = this.items;
    // Re-filled in place: the previous pass's item at this index, or the one scratch item when none are kept.
    let item = !this.keep ? this.scratch : this.count < items.length ? items[this.count] : undefined;
    if (this.keep) this.count++;
    if (item === undefined) {
      item = { kind, seg, offset: seg.size, size, file, line, scope: this.scope, info };
      if (this.keep) items.push(item);
      else this.scratch = item;
    } else {
      item.kind = kind;
      item.seg = seg;
      item.offset = seg.size;
      item.size = size;
      item.file = file;
      item.line = line;
      item.scope = this.scope;
      item.info = info;
    }
    this.sink.placed?.(file, line, (seg.link + seg.size) >>> 0, (seg.load + seg.size) >>> 0, item, false);
    seg.size += size;
  }

  /** Zero-pad so that the link address is a multiple of n (a power of two). */
  padTo(n: number): void {
    const pad = -(this.seg.link + this.seg.size) & (n - 1);
    this.seg.size += pad;
  }

  /** `.org LOAD, LINK`: a new region. */
  org(file: string, span: Span, load: number, link: number): void {
    this.bindPending();
    this.segments.push((this.seg = { load, link, size: 0, file, span }));
    this.sink.placed?.(file, span.line, link, load, undefined, false);
  }

  /** `.align n`: labels just before it keep the unaligned address (as in GNU as). */
  align(file: string, line: number, n: number): void {
    this.bindPending();
    this.sink.placed?.(file, line, (this.seg.link + this.seg.size) >>> 0, (this.seg.load + this.seg.size) >>> 0, undefined, false);
    this.padTo(n);
  }

  /** Evaluate during pass 1 (layout needs the value now): only symbols defined above are known. */
  evalNow(file: string, line: number, e: Expr): number | undefined {
    const problems: EvalProblem[] = [];
    this.evalScope = this.scope;
    const v = evaluate(e, this.resolver, problems);
    for (const p of problems) {
      if (p.code === 'undefined-symbol') this.late.push({ ...p, file, scope: this.scope, at: line });
      else this.error(file, line, p, p.message, p.code);
    }
    return v;
  }

  /** `.equ NAME, expr`: evaluated now if it can be, else once all labels are known. */
  equ(file: string, line: number, nameSpan: { start: number; end: number }, name: string, e: Expr): void {
    const full = fullName(name, this.scope);
    const sym = this.define(full, 'equ', file, line, nameSpan);
    if (!sym) return;
    const problems: EvalProblem[] = [];
    this.evalScope = this.scope;
    const v = evaluate(e, this.resolver, problems);
    if (v !== undefined) return setEqu(sym, v);
    const hard = problems.filter((p) => p.code !== 'undefined-symbol');
    for (const p of hard) this.error(file, line, p, p.message, p.code);
    if (hard.length === 0) this.deferred.push({ name: full, expr: e, scope: this.scope, file, line });
  }

  /** Follow an `.include`: the path is relative to the including file. */
  include(file: string, span: Span, rel: string, path: { start: number; end: number }): void {
    // Labels just before it bind at the included file's first item (after its padding), not here.
    const line = span.line;
    const target = this.src.resolve(file, rel);
    this.sink.include?.(file, line, path.start, path.end, rel, target);
    if (this.includeStack.includes(target)) {
      const chain = [...this.includeStack.slice(this.includeStack.indexOf(target)), target].join(' → ');
      return this.error(file, line, span, t('include cycle: {0}', chain), 'include-cycle');
    }
    if (this.includeStack.length > 64) return this.error(file, line, span, t('includes nested more than 64 deep'), 'include-cycle');
    const lines = this.src.open(target, true);
    if (!lines) {
      const why = this.src.readProblem?.(target);
      return this.error(file, line, span, t("cannot read included file '{0}' ({1})", rel, target) + (why ? `: ${why}` : ''), 'missing-include');
    }
    if (++this.includesVisited > MAX_INCLUDES || this.linesVisited + lines.lineCount > MAX_UNIT_LINES) {
      // Said once, at the first include over the limit; the rest are skipped quietly.
      if (this.includesVisited === Infinity) return;
      this.includesVisited = Infinity;
      return this.error(file, line, span, t('the program is too large: with this include it would go past {0} includes or {1} lines (is a file included over and over?)', MAX_INCLUDES, MAX_UNIT_LINES), 'program-too-large');
    }
    this.visit(target, lines);
  }

  /**
   * Constants that referred to later labels or constants: each is evaluated once, after the
   * constants it uses (depth first, without recursion: a chain may be 100,000 long). One met
   * again while its own uses are still open is in a cycle and stays without value.
   */
  private resolveDeferred(): void {
    const byName = new Map<string, DeferredEqu>();
    for (const d of this.deferred) byName.set(d.name, d);
    const done = new Set<DeferredEqu>();
    const open = new Set<DeferredEqu>();
    // A constant, then (`expanded`) again once what it uses is done.
    const stack: { d: DeferredEqu; expanded: boolean }[] = [];
    for (const root of this.deferred) {
      stack.push({ d: root, expanded: false });
      while (stack.length) {
        const { d, expanded } = stack.pop()!;
        if (expanded) {
          this.evalScope = d.scope;
          const v = evaluate(d.expr, this.resolver, []);
          if (v !== undefined) setEqu(this.symbols.get(d.name)!, v);
          open.delete(d);
          done.add(d);
          continue;
        }
        if (done.has(d) || open.has(d)) continue;
        open.add(d);
        stack.push({ d, expanded: true });
        for (const s of symbolsOf(d.expr)) {
          const used = byName.get(fullName(s.name, d.scope));
          if (used && !done.has(used) && !open.has(used)) stack.push({ d: used, expanded: false });
        }
      }
    }
    this.deferred = this.deferred.filter((d) => !this.symbols.get(d.name)!.bound);
    // What each constant left without a value is missing, for its uses' messages.
    const missing = new Map<string, string[]>();
    const problemsOf = (d: DeferredEqu) => {
      const problems: EvalProblem[] = [];
      this.evalScope = d.scope;
      evaluate(d.expr, this.resolver, problems);
      return problems;
    };
    for (const d of this.deferred) missing.set(d.name, problemsOf(d).filter((q) => q.name !== undefined).map((q) => fullName(q.name!, d.scope)));
    const why = noValueReasons(missing);
    for (const d of this.deferred) this.noValue.set(d.name, why(d.name).message);
    for (const d of this.deferred) {
      for (const p of problemsOf(d)) {
        // A division by zero, once the names it used had values.
        if (p.name === undefined) {
          this.error(d.file, d.line, p, p.message, p.code);
          continue;
        }
        const full = fullName(p.name, d.scope);
        if (!this.symbols.has(full)) {
          this.error(d.file, d.line, p, undefinedMessage(p.name, full), 'undefined-symbol', undefined, { name: p.name });
          continue;
        }
        const w = why(full);
        this.error(d.file, d.line, p, w.message, w.circular ? 'circular-equ' : 'undefined-symbol');
      }
    }
  }

  private reportLate(): void {
    for (const p of this.late) {
      const full = fullName(p.name ?? '', p.scope);
      const later = this.symbols.has(full);
      const msg = later
        ? t("'{0}' is defined later: values that decide the layout (.org, .space, .align, .ring) may only use symbols defined above", p.name ?? '')
        : undefinedMessage(p.name ?? '', full);
      this.error(p.file, p.at, p, msg, later ? 'forward-reference' : 'undefined-symbol', undefined, later ? undefined : { name: p.name });
    }
  }
}

function setEqu(sym: PassSymbol, v: number): void {
  sym.v = v | 0;
  sym.bound = true;
  sym.value = v >>> 0;
  sym.resolved = true;
}
