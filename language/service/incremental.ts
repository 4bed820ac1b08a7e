/**
 * Patching an analysis after an edit instead of redoing it. Most keystrokes
 * change one line without changing what it defines or how many bytes it
 * takes (an operand, a comment, a register). Then every address, symbol and
 * scope is unchanged, and only that line's own diagnostics (parse, form,
 * ring and operand checks) need to be made again. Anything else (a label,
 * a directive, a size, a line inserted) takes the full unit pass.
 */
import type { InstructionNode } from '../parser';
import type { SourceDocument } from './document';
import { checkOverlaps } from '../layoutChecks';
import { Kind, LineInfo } from '../lineInfo';
import { fullName } from '../names';
import { ringCheck, ringSensitive } from './ringChecks';
import { checkLineValues } from './unit';
import type { FileFacts, UnitAnalysis, UnitDiag, UnitSources } from './unitTypes';

const OVERLAP_CODES = new Set(['org-overlap', 'address-overflow']);

function sameLabels(a: LineInfo, b: LineInfo): boolean {
  if (a.labels.length !== b.labels.length) return false;
  for (let i = 0; i < a.labels.length; i++) {
    const x = a.labels[i];
    const y = b.labels[i];
    if (x.name !== y.name || x.start !== y.start || x.end !== y.end) return false;
  }
  return true;
}

/** Whether the two versions of a line lay out memory and define names identically. */
export function sameLayout(a: LineInfo, b: LineInfo): boolean {
  if (a.kind !== b.kind) return false;
  // `.word`/`.byte` keep their size while they keep their number of values (all values: see LineInfo.dataCount).
  if (a.kind === Kind.Directive && !(a.directive === b.directive && a.dataCount > 0 && a.dataCount === b.dataCount)) return false;
  if (!sameLabels(a, b)) return false;
  if (a.kind === Kind.Instruction) {
    if ((a.def === undefined) !== (b.def === undefined)) return false;
    if (a.def && a.form!.words !== b.form!.words) return false;
  }
  return true;
}

/** Bring `a` up to date in place when the change allows it; false when the full pass is needed. */
export function patchAnalysis(a: UnitAnalysis, src: UnitSources): boolean {
  let changed: { uri: string; dep: { revision: number } } | undefined;
  for (const [uri, dep] of a.deps) {
    const d = src.document(uri);
    if (d === dep.doc && (!d || d.revision === dep.revision)) continue;
    if (!d || d !== dep.doc || changed) return false;
    changed = { uri, dep };
  }
  if (!changed) return true;
  const doc = src.document(changed.uri)!;
  const facts = a.files.get(doc.uri);
  if (!facts || facts.visits !== 1 || facts.doc !== doc) return false;
  const edits = doc.changesSince(changed.dep.revision);
  if (!edits) return false;
  let shifted = false;
  for (const [line, old] of edits) {
    if (!old) return false;
    if (sameLayout(old, doc.info(line))) continue;
    if (!shiftLabels(a, doc, facts, edits, src)) return false;
    shifted = true;
    break;
  }

  const mine = (d: UnitDiag) => d.own === true && d.uri === doc.uri && edits.has(d.line);
  const keep = (list: UnitDiag[]) => {
    let n = 0;
    for (const d of list) if (!mine(d)) list[n++] = d;
    list.length = n;
  };
  keep(a.diagnostics);
  keep(a.ringDiagnostics);
  if (shifted) {
    reevaluate(a, doc, edits);
    a.shifts++;
  }
  for (const line of edits.keys()) {
    const info = doc.info(line);
    for (const d of info.local) {
      const x: UnitDiag = { uri: doc.uri, line, start: d.start, end: d.end, severity: d.severity, message: d.message, code: d.code, own: true };
      if (d.data !== undefined) x.data = d.data;
      a.diagnostics.push(x);
    }
    if (info.kind === Kind.Directive) {
      checkLineValues(a, doc.uri, line, info);
      continue;
    }
    if (info.kind !== Kind.Instruction || !info.def) continue;
    const ring = facts.ringAt[line];
    if (ring > 0 && ringSensitive(info.def)) {
      const rc = ringCheck(info.def, info.stmt as InstructionNode, ring);
      if (rc) a.ringDiagnostics.push({ uri: doc.uri, line, ...rc, own: true });
    }
    checkLineValues(a, doc.uri, line, info);
  }
  changed.dep.revision = doc.revision;
  a.byUri = undefined;
  a.patches++;
  return true;
}

/** Bytes an instruction line takes (a known mnemonic pads to 4 first). */
function size(i: LineInfo): number {
  return i.kind === Kind.Instruction && i.def ? i.form!.words * 4 : 0;
}
const pads = (i: LineInfo) => i.kind === Kind.Instruction && i.def !== undefined;

/**
 * Instruction sizes changed (a mnemonic typo, a line commented out) but no
 * name did: every later label of the same region moves by the same multiple
 * of 4. Done here only where that is certainly all that changes: one file,
 * no layout value computed from labels, no alignment above 4 that the move
 * could change, the location counter aligned where one version pads and the
 * other does not. Returns false (nothing touched) otherwise.
 */
function shiftLabels(a: UnitAnalysis, doc: SourceDocument, facts: FileFacts, edits: Map<number, LineInfo | undefined>, src: UnitSources): boolean {
  if (a.layoutUsesLabels || a.files.size !== 1 || facts.includes.length) return false;
  const moves: { line: number; seg: number; delta: number }[] = [];
  for (const [line, old] of edits) {
    const neu = doc.info(line);
    if (!old || !sameLabels(old, neu)) return false;
    if (old.kind === Kind.Directive || neu.kind === Kind.Directive) {
      if (!sameLayout(old, neu)) return false;
      continue;
    }
    if (pads(old) !== pads(neu) && (line === 0 ? 0 : facts.locAt[line - 1]) % 4 !== 0) return false;
    const delta = size(neu) - size(old);
    if (delta !== 0) moves.push({ line, seg: facts.segAt[line], delta });
  }
  // The rest of each region: no alignment the move could change, no label on the `.org` that ends it.
  const n = doc.lineCount;
  for (const m of moves) {
    let i = m.line + 1;
    for (; i < n && facts.segAt[i] === m.seg; i++) {
      const info = doc.info(i);
      if (info.directive === '.align') {
        const arg = info.stmt?.kind === 'directive' ? info.stmt.args[0] : undefined;
        if (!arg || arg.kind !== 'expr' || arg.expr.kind !== 'num' || arg.expr.value > 4) return false;
      }
    }
    if (i < n && doc.info(i).labels.length) return false;
  }
  for (const sym of a.symbols.values()) {
    if (sym.kind !== 'label' || sym.file !== doc.uri) continue;
    let delta = 0;
    for (const m of moves) if (m.line < sym.line && m.seg === facts.segAt[sym.line]) delta += m.delta;
    if (delta === 0) continue;
    sym.value = (sym.value + delta) >>> 0;
    sym.v = sym.value;
    if (sym.load !== undefined) sym.load = (sym.load + delta) >>> 0;
  }
  for (const m of moves) {
    a.segments[m.seg].size += m.delta;
    for (let i = m.line; i < n && facts.segAt[i] === m.seg; i++) {
      facts.locAt[i] += m.delta;
      if (i > m.line) facts.addrAt[i] += m.delta;
    }
    const neu = doc.info(m.line);
    facts.addrAt[m.line] = pads(neu) ? facts.locAt[m.line] - size(neu) : labelAddress(a, doc.uri, facts, m.line, neu);
  }
  let k = 0;
  for (const d of a.diagnostics) if (!OVERLAP_CODES.has(d.code)) a.diagnostics[k++] = d;
  a.diagnostics.length = k;
  checkOverlaps(a.segments, (uri, span, message, code, related) => {
    const d: UnitDiag = { uri, line: span.line, start: span.start, end: span.end, severity: 'error', message, code };
    if (related) d.related = related;
    a.diagnostics.push(d);
  }, (uri, line) => `${src.display?.(uri) ?? uri}:${line + 1}`);
  return true;
}

/** Where the labels defined on `line` are (they keep their address: see the padding condition above), NaN for none (a duplicate is not bound). */
function labelAddress(a: UnitAnalysis, uri: string, facts: FileFacts, line: number, info: LineInfo): number {
  let scope = line > 0 ? facts.scopeAt[line - 1] : '';
  for (const l of info.labels) {
    const sym = a.symbols.get(l.local ? fullName(l.name, scope) : l.name);
    if (!l.local) scope = l.name;
    if (sym && sym.file === uri && sym.line === line && sym.col === l.start) return sym.value;
  }
  return NaN;
}

/** After labels moved: the values of other lines' operands that can make a diagnostic (ranges, divisions). */
function reevaluate(a: UnitAnalysis, doc: SourceDocument, edits: Map<number, LineInfo | undefined>): void {
  const lines = new Set<number>();
  for (let i = 0; i < doc.lineCount; i++) {
    if (!edits.has(i) && doc.info(i).valueChecks) lines.add(i);
  }
  if (!lines.size) return;
  let k = 0;
  for (const d of a.diagnostics) if (!(d.pass2 && d.uri === doc.uri && lines.has(d.line))) a.diagnostics[k++] = d;
  a.diagnostics.length = k;
  for (const i of lines) checkLineValues(a, doc.uri, i, doc.info(i));
}
