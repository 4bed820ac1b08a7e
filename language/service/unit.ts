/**
 * The analysis of one assembly unit (a root file and everything it includes):
 * the assembler's own passes (language/layout.ts, language/operands.ts) run
 * over the documents' cached line parses, with this sink keeping what the
 * editor features need instead of an image: diagnostics with their origin
 * (incremental.ts replaces a line's own ones after an edit), scopes, rings
 * and addresses per line, include sites, and the ring checks. The analysis
 * object is re-filled in place on the next full pass (few allocations per
 * keystroke, so little GC).
 */
import type { InstructionNode } from '../parser';
import { Layout } from '../layout';
import { Kind, LineInfo, Severity } from '../lineInfo';
import { lineValues, ValueContext } from '../operands';
import { Item, LineSource, Origin, PassSink, PassSources, Related } from '../passTypes';
import type { SourceDocument } from './document';
import { ringCheck, ringSensitive } from './ringChecks';
import { FileFacts, UnitAnalysis, UnitDiag, UnitSources } from './unitTypes';

export * from './unitTypes';

class UnitBuilder implements PassSink, PassSources {
  readonly a: UnitAnalysis;
  private readonly gen: number;
  private L!: Layout;
  private facts!: FileFacts;
  private readonly stack: FileFacts[] = [];
  /** Includes refused without reading (Restricted Mode). */
  private refused?: Set<string>;

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
    a.deps.clear();
    a.byUri = undefined;
    a.patches = 0;
    a.shifts = 0;
    for (const f of a.files.values()) {
      f.visits = 0;
      f.includes.length = 0;
    }
  }

  run(): UnitAnalysis {
    const a = this.a;
    a.valueLines.count = 0;
    // No items kept: placed() records what pass 2 needs.
    const L = (this.L = new Layout(this, this, a.symbols, this.gen, null));
    L.run(a.root);
    a.segments = L.segments;
    a.noValue = L.noValue;
    a.layoutUsesLabels = L.layoutUsesLabels;
    for (const [uri, f] of a.files) if (f.visits === 0) a.files.delete(uri);
    const v = a.valueLines;
    v.files.length = v.lines.length = v.scopes.length = v.infos.length = v.count;
    passTwo(a);
    return a;
  }

  // Where the passes get files: the workspace's documents.
  open(uri: string, included: boolean): LineSource | undefined {
    if (included && this.src.includeProblem?.(uri)) {
      (this.refused ??= new Set()).add(uri);
      return undefined;
    }
    const doc = this.src.document(uri);
    this.a.deps.set(uri, { doc, revision: doc ? doc.revision : 0 });
    return doc;
  }
  readProblem(uri: string): string | undefined {
    return this.refused?.has(uri) ? this.src.includeProblem?.(uri) : undefined;
  }
  resolve(fromUri: string, rel: string): string {
    return this.src.resolve(fromUri, rel);
  }
  display(uri: string): string {
    return this.src.display?.(uri) ?? uri;
  }

  // What the passes report.
  diag(uri: string, line: number, start: number, end: number, severity: Severity, message: string, code: string, origin: Origin, related?: Related[], data?: unknown): void {
    const d: UnitDiag = { uri, line, start, end, severity, message, code };
    if (origin !== Origin.Unit) d.own = true;
    if (related) d.related = related;
    if (data !== undefined) d.data = data;
    this.a.diagnostics.push(d);
  }

  enterFile(uri: string, lines: LineSource): void {
    const doc = lines as SourceDocument;
    const n = doc.lineCount;
    let facts = this.a.files.get(uri);
    if (!facts) {
      facts = { uri, doc, visits: 0, scopeAt: new Array(n), ringAt: new Int8Array(n), locAt: new Float64Array(n), segAt: new Int32Array(n), addrAt: new Float64Array(n), includes: [] };
      this.a.files.set(uri, facts);
    } else if (facts.visits === 0) {
      facts.doc = doc;
      if (facts.scopeAt.length !== n) {
        facts.scopeAt = new Array(n);
        facts.ringAt = new Int8Array(n);
        facts.locAt = new Float64Array(n);
        facts.segAt = new Int32Array(n);
        facts.addrAt = new Float64Array(n);
      }
    }
    if (facts.visits++ === 0) facts.addrAt.fill(NaN);
    this.stack.push((this.facts = facts));
  }

  leaveFile(): void {
    this.stack.pop();
    this.facts = this.stack[this.stack.length - 1];
  }

  lineEnd(uri: string, line: number, info: LineInfo): void {
    const L = this.L;
    const f = this.facts;
    f.scopeAt[line] = L.scope;
    f.ringAt[line] = L.ring;
    f.locAt[line] = L.seg.link + L.seg.size;
    f.segAt[line] = L.segments.length - 1;
    if (L.ring > 0 && info.kind === Kind.Instruction && info.def && ringSensitive(info.def)) {
      const rc = ringCheck(info.def, info.stmt as InstructionNode, L.ring);
      if (rc) this.a.ringDiagnostics.push({ uri, line, ...rc, own: true });
    }
  }

  placed(uri: string, line: number, link: number, _load: number, item: Item | undefined, label: boolean): void {
    // A label at the end of an included file is placed once the includer's next item lands: its own file's facts.
    const facts = uri === this.facts.uri ? this.facts : this.a.files.get(uri);
    if (!facts) return;
    const at = facts.addrAt;
    if (!label || Number.isNaN(at[line])) at[line] = link;
    if (item !== undefined && item.info.evaluates) {
      const v = this.a.valueLines;
      const n = v.count++;
      v.files[n] = item.file;
      v.lines[n] = item.line;
      v.scopes[n] = item.scope;
      v.infos[n] = item.info;
    }
  }

  include(_uri: string, line: number, start: number, end: number, rel: string, target: string): void {
    this.facts.includes.push({ line, start, end, rel, target });
  }
}

/** Pass 2 over the unit's statements with values, for its diagnostics only. */
function passTwo(a: UnitAnalysis): void {
  const at = { uri: '', line: 0 };
  const cx = valueContext(a, at);
  const v = a.valueLines;
  for (let i = 0; i < v.count; i++) {
    at.uri = v.files[i];
    at.line = v.lines[i];
    lineValues(cx, v.infos[i], v.scopes[i]);
  }
}

/** Pass 2's context for the service: what it reports becomes a diagnostic of the analysis, at the line `at` names then. */
function valueContext(a: UnitAnalysis, at: { uri: string; line: number }): ValueContext {
  return {
    symbols: a.symbols,
    noValue: a.noValue,
    report: (start, end, message, code, data) => {
      const d: UnitDiag = { uri: at.uri, line: at.line, start, end, severity: 'error', message, code, own: true, pass2: true };
      if (data !== undefined) d.data = data;
      a.diagnostics.push(d);
    },
  };
}

/** Pass 2 for one line of the unit (an edited one, or one whose labels moved): its value diagnostics, added to the analysis. */
export function checkLineValues(a: UnitAnalysis, uri: string, line: number, info: LineInfo): void {
  if (!info.evaluates) return;
  const scope = a.files.get(uri)?.scopeAt[line] ?? '';
  lineValues(
    valueContext(a, { uri, line }),
    info,
    scope,
  );
}

export function analyzeUnit(root: string, src: UnitSources, recycle?: UnitAnalysis): UnitAnalysis {
  return new UnitBuilder(root, src, recycle).run();
}
