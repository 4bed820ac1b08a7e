/**
 * The analysis of one assembly unit (a root file and everything it includes),
 * over the documents' cached line digests. It gives the same diagnostics as
 * the assembler (test/lsp/differential.test.ts holds it to that) but keeps
 * no bytes, listing or source map, so re-running it after every keystroke on a
 * 10,000-line file costs a millisecond or two. It also records what the editor
 * features need: scopes and rings per line, include sites, symbol values.
 */
import type { InstructionDef } from '../../emulator/isa/table';
import { EvalProblem, Expr, evaluate } from '../expr';
import { fullName, noValueReason, undefinedMessage } from '../layout';
import type { DirectiveNode, InstructionNode, LabelNode, Span, StatementNode } from '../parser';
import type { SourceDocument } from './document';
import { Kind, LineInfo, Severity } from './lineInfo';
import { scopedName } from './names';
import { checkOverlaps } from './overlaps';
import { evalLine } from './passTwo';
import { ringCheck } from './ringChecks';
import { runDirective } from './unitDirectives';
import { FileFacts, Related, Segment, UnitAnalysis, UnitDiag, UnitSources, UnitSymbol } from './unitTypes';
import { t } from '../l10n';

export * from './unitTypes';

interface PassTwo {
  facts: FileFacts;
  /** Lines of `facts` that have operands to evaluate. */
  lines: number[];
}
interface Deferred {
  name: string;
  expr: Expr;
  scope: string;
  uri: string;
  line: number;
}
interface Late extends EvalProblem {
  uri: string;
  scope: string;
  at: number;
}

/** The pass itself; mirrors language/layout.ts (pass 1) and language/emit.ts (pass 2). */
export class UnitBuilder {
  readonly a: UnitAnalysis;
  seg!: Segment;
  scope = '';
  ring = -1;
  private pending: UnitSymbol[] = [];
  private deferred: Deferred[] = [];
  private late: Late[] = [];
  private pass2: PassTwo[] = [];
  private cur?: PassTwo;
  /** One resolver for every evaluation: symbols seen from `evalScope`. */
  private evalScope = '';
  private readonly resolver = (name: string): number | undefined => {
    const sym = this.a.symbols.get(scopedName(name, this.evalScope));
    if (sym === undefined || sym.kind === 'label' || sym.gen !== this.gen) this.a.layoutUsesLabels = true;
    return sym !== undefined && sym.bound && sym.gen === this.gen ? sym.v : undefined;
  };
  private includeStack: string[] = [];

  private readonly gen: number;

  /** `recycle`: a previous analysis of the same root, re-filled in place (its symbol objects and arrays are reused). */
  constructor(
    root: string,
    readonly src: UnitSources,
    recycle?: UnitAnalysis,
  ) {
    const a = (this.a = recycle && recycle.root === root ? recycle : new UnitAnalysis(root));
    this.gen = ++a.generation;
    a.diagnostics.length = 0;
    a.ringDiagnostics.length = 0;
    a.segments.length = 0;
    a.deps.clear();
    a.noValue.clear();
    a.byUri = undefined;
    a.patches = 0;
    a.shifts = 0;
    a.layoutUsesLabels = false;
    for (const f of a.files.values()) {
      f.visits = 0;
      f.includes.length = 0;
    }
  }

  run(): UnitAnalysis {
    const root = this.a.root;
    this.a.segments.push((this.seg = { load: 0, link: 0, size: 0, uri: root, span: { line: 0, start: 0, end: 0 } }));
    const doc = this.read(root);
    if (!doc) {
      this.diag(root, 0, 0, 0, 'error', t("cannot read file '{0}'", root), 'missing-file');
      return this.a;
    }
    this.processFile(doc);
    this.dropStale();
    this.resolveDeferred();
    this.reportLate();
    checkOverlaps(this.a);
    for (const p of this.pass2) {
      const doc = p.facts.doc;
      for (const line of p.lines) evalLine(this.a, p.facts.uri, line, doc.info(line), p.facts.scopeAt[line]);
    }
    return this.a;
  }

  /** Symbols and files of the previous pass that this one did not see. */
  private dropStale(): void {
    const gen = this.gen;
    for (const [name, sym] of this.a.symbols) if (sym.gen !== gen) this.a.symbols.delete(name);
    for (const [uri, f] of this.a.files) if (f.visits === 0) this.a.files.delete(uri);
  }

  private read(uri: string): SourceDocument | undefined {
    const doc = this.src.document(uri);
    this.a.deps.set(uri, { doc, revision: doc ? doc.revision : 0 });
    return doc;
  }

  diag(uri: string, line: number, start: number, end: number, severity: Severity, message: string, code: string, related?: Related[], data?: unknown, own?: boolean): void {
    const d: UnitDiag = { uri, line, start, end, severity, message, code };
    if (own) d.own = true;
    if (related) d.related = related;
    if (data !== undefined) d.data = data;
    this.a.diagnostics.push(d);
  }

  private processFile(doc: SourceDocument): void {
    const uri = doc.uri;
    const n = doc.lineCount;
    let facts = this.a.files.get(uri);
    if (!facts) {
      facts = { uri, doc, visits: 0, scopeAt: new Array(n), ringAt: new Int8Array(n), locAt: new Float64Array(n), segAt: new Int32Array(n), includes: [] };
      this.a.files.set(uri, facts);
    } else if (facts.visits === 0) {
      facts.doc = doc;
      if (facts.scopeAt.length !== n) {
        facts.scopeAt = new Array(n);
        facts.ringAt = new Int8Array(n);
        facts.locAt = new Float64Array(n);
        facts.segAt = new Int32Array(n);
      }
    }
    facts.visits++;
    const savedScope = this.scope;
    const savedPass = this.cur;
    this.scope = '';
    this.includeStack.push(uri);
    this.pass2.push((this.cur = { facts, lines: [] }));
    for (let i = 0; i < n; i++) {
      this.processLine(doc, facts, i, doc.info(i));
      facts.scopeAt[i] = this.scope;
      facts.ringAt[i] = this.ring;
      facts.locAt[i] = this.seg.link + this.seg.size;
      facts.segAt[i] = this.a.segments.length - 1;
    }
    this.bindPending();
    this.includeStack.pop();
    this.scope = savedScope;
    // Lines after the include continue in a new pass-2 run, so that pass 2 keeps the assembler's order.
    if (savedPass) this.pass2.push((this.cur = { facts: savedPass.facts, lines: [] }));
  }

  private processLine(doc: SourceDocument, facts: FileFacts, line: number, info: LineInfo): void {
    const uri = doc.uri;
    const local = info.local;
    // Local problems: the parser's, then (for instructions) the form checks, as the assembler orders them.
    const parseCount = info.parseDiagCount;
    for (let k = 0; k < parseCount; k++) {
      const d = local[k];
      this.diag(uri, line, d.start, d.end, d.severity, d.message, d.code, undefined, d.data, true);
    }
    const labels = info.labels;
    if (labels.length) this.defineLabels(uri, line, labels);
    const kind = info.kind;
    if (kind === Kind.None) return;
    if (kind === Kind.Directive) {
      // `.word`/`.byte` whose arguments are all values (the common data line): no need for the general path.
      if (info.slots.length) this.addItem(line, info.stmt!, info.slots.length * (info.directive === '.word' ? 4 : 1));
      else runDirective(this, uri, line, info.stmt as DirectiveNode, facts);
      return;
    }
    for (let k = parseCount; k < local.length; k++) {
      const d = local[k];
      this.diag(uri, line, d.start, d.end, d.severity, d.message, d.code, undefined, d.data, true);
    }
    const def = info.def;
    if (def === undefined) return;
    if (this.ring > 0) {
      const rc = ringCheck(def, info.stmt as InstructionNode, this.ring);
      if (rc) this.a.ringDiagnostics.push({ uri, line, ...rc, own: true });
    }
    this.padTo(4);
    this.addItem(line, info.stmt!, info.form!.words * 4, info.formOk ? def : undefined);
  }

  private defineLabels(uri: string, line: number, labels: LabelNode[]): void {
    for (let k = 0; k < labels.length; k++) {
      const l = labels[k];
      const name = l.local ? scopedName(l.name, this.scope) : l.name;
      if (!l.local) this.scope = l.name;
      const sym = this.define(name, 'label', uri, line, l);
      if (sym) this.pending.push(sym);
    }
  }

  define(name: string, kind: UnitSymbol['kind'], uri: string, line: number, span: { start: number; end: number }): UnitSymbol | undefined {
    const found = this.a.symbols.get(name);
    const prev = found !== undefined && found.gen === this.gen ? found : undefined;
    if (prev) {
      const here = `${uri}:${line + 1}`;
      const there = `${prev.uri}:${prev.line + 1}`;
      this.diag(uri, line, span.start, span.end, 'error', (kind === 'label' ? t("duplicate label '{0}' (first defined at {1})", name, there) : t("duplicate symbol '{0}' (first defined at {1})", name, there)), 'duplicate-label', [
        { uri: prev.uri, line: prev.line, start: prev.start, end: prev.end, message: t('first definition') },
      ]);
      this.diag(prev.uri, prev.line, prev.start, prev.end, 'error', t("'{0}' is defined again at {1}", name, here), 'duplicate-label', [
        { uri, line, start: span.start, end: span.end, message: t('second definition') },
      ]);
      return undefined;
    }
    if (found !== undefined) {
      // Left over from the previous pass: reuse the object (and the map entry).
      found.kind = kind;
      found.uri = uri;
      found.line = line;
      found.start = span.start;
      found.end = span.end;
      found.value = 0;
      found.load = undefined;
      found.resolved = kind === 'label';
      found.bound = false;
      found.v = 0;
      found.gen = this.gen;
      return found;
    }
    const sym: UnitSymbol = { name, kind, uri, line, start: span.start, end: span.end, value: 0, load: undefined, resolved: kind === 'label', bound: false, v: 0, gen: this.gen };
    this.a.symbols.set(name, sym);
    return sym;
  }

  bindPending(): void {
    if (this.pending.length === 0) return;
    const link = (this.seg.link + this.seg.size) >>> 0;
    const load = (this.seg.load + this.seg.size) >>> 0;
    for (const sym of this.pending) {
      sym.value = link;
      sym.load = load;
      sym.bound = true;
      sym.v = link;
    }
    this.pending.length = 0;
  }

  addItem(line: number, stmt: StatementNode, size: number, def?: InstructionDef): void {
    this.bindPending();
    this.seg.size += size;
    if (stmt.kind === 'directive' ? stmt.name === '.word' || stmt.name === '.byte' : def !== undefined) this.cur!.lines.push(line);
  }

  padTo(n: number): void {
    const pad = -(this.seg.link + this.seg.size) & (n - 1);
    this.seg.size += pad;
  }

  /** Evaluate now (layout needs the value): only symbols defined above are known. */
  evalNow(uri: string, line: number, e: Expr): number | undefined {
    const problems: EvalProblem[] = [];
    const scope = this.scope;
    this.evalScope = scope;
    const v = evaluate(e, this.resolver, problems);
    for (const p of problems) {
      if (p.code === 'undefined-symbol') this.late.push({ ...p, uri, scope, at: line });
      else this.diag(uri, line, p.start, p.end, 'error', p.message, p.code);
    }
    return v;
  }

  equ(uri: string, line: number, nameSpan: Span, name: string, e: Expr): void {
    const full = fullName(name, this.scope);
    const sym = this.define(full, 'equ', uri, line, nameSpan);
    if (!sym) return;
    const problems: EvalProblem[] = [];
    const scope = this.scope;
    this.evalScope = scope;
    const v = evaluate(e, this.resolver, problems);
    if (v !== undefined) return this.setEqu(sym, v);
    const hard = problems.filter((p) => p.code !== 'undefined-symbol');
    for (const p of hard) this.diag(uri, line, p.start, p.end, 'error', p.message, p.code);
    if (hard.length === 0) this.deferred.push({ name: full, expr: e, scope, uri, line });
  }

  private setEqu(sym: UnitSymbol, v: number): void {
    sym.v = v | 0;
    sym.bound = true;
    sym.value = v >>> 0;
    sym.resolved = true;
  }

  include(uri: string, line: number, span: Span, rel: string, facts: FileFacts, strSpan: Span): void {
    this.bindPending();
    const target = this.src.resolve(uri, rel);
    facts.includes.push({ line, start: strSpan.start, end: strSpan.end, rel, target });
    if (this.includeStack.includes(target)) {
      const chain = [...this.includeStack.slice(this.includeStack.indexOf(target)), target].join(' → ');
      this.diag(uri, line, span.start, span.end, 'error', t('include cycle: {0}', chain), 'include-cycle');
      return;
    }
    if (this.includeStack.length > 64) {
      this.diag(uri, line, span.start, span.end, 'error', t('includes nested more than 64 deep'), 'include-cycle');
      return;
    }
    const refused = this.src.includeProblem?.(target);
    if (refused) {
      this.diag(uri, line, span.start, span.end, 'error', `cannot read included file '${rel}' (${target}): ${refused}`, 'missing-include');
      return;
    }
    const doc = this.read(target);
    if (!doc) {
      this.diag(uri, line, span.start, span.end, 'error', t("cannot read included file '{0}' ({1})", rel, target), 'missing-include');
      return;
    }
    this.processFile(doc);
  }

  private resolveDeferred(): void {
    let progress = true;
    while (progress && this.deferred.length) {
      progress = false;
      this.deferred = this.deferred.filter((d) => {
        this.evalScope = d.scope;
        const v = evaluate(d.expr, this.resolver, []);
        if (v === undefined) return true;
        this.setEqu(this.a.symbols.get(d.name)!, v);
        progress = true;
        return false;
      });
    }
    // What each constant left without a value is missing, for its uses' messages (the assembler's noValueReason).
    const missing = new Map<string, string[]>();
    for (const d of this.deferred) {
      const problems: EvalProblem[] = [];
      this.evalScope = d.scope;
      evaluate(d.expr, this.resolver, problems);
      missing.set(d.name, problems.filter((q) => q.name !== undefined).map((q) => fullName(q.name!, d.scope)));
    }
    const why = (full: string) => noValueReason(full, (n) => missing.get(n));
    for (const d of this.deferred) this.a.noValue.set(d.name, why(d.name).message);
    for (const d of this.deferred) {
      const problems: EvalProblem[] = [];
      this.evalScope = d.scope;
      evaluate(d.expr, this.resolver, problems);
      for (const p of problems) {
        const full = fullName(p.name ?? '', d.scope);
        if (!this.a.symbols.has(full)) {
          this.diag(d.uri, d.line, p.start, p.end, 'error', undefinedMessage(p.name ?? '', full), 'undefined-symbol', undefined, { name: p.name });
          continue;
        }
        const w = why(full);
        this.diag(d.uri, d.line, p.start, p.end, 'error', w.message, w.circular ? 'circular-equ' : 'undefined-symbol');
      }
    }
  }

  private reportLate(): void {
    for (const p of this.late) {
      const full = fullName(p.name ?? '', p.scope);
      const later = this.a.symbols.has(full);
      const msg = later
        ? t("'{0}' is defined later: values that decide the layout (.org, .space, .align, .ring) may only use symbols defined above", p.name ?? '')
        : undefinedMessage(p.name ?? '', full);
      this.diag(p.uri, p.at, p.start, p.end, 'error', msg, later ? 'forward-reference' : 'undefined-symbol', undefined, later ? undefined : { name: p.name });
    }
  }
}

export function analyzeUnit(root: string, src: UnitSources, recycle?: UnitAnalysis): UnitAnalysis {
  return new UnitBuilder(root, src, recycle).run();
}
