/**
 * Patching an analysis after an edit instead of redoing it. Most keystrokes
 * change one line without changing what it defines or how many bytes it
 * takes (an operand, a comment, a register). Then every address, symbol and
 * scope is unchanged, and only that line's own diagnostics (parse, form,
 * ring and operand checks) need to be made again. Anything else (a label,
 * a directive, a size, a line inserted) takes the full unit pass.
 */
import { Kind, LineInfo } from './lineInfo';
import { evalLine } from './passTwo';
import { ringCheck } from './ringChecks';
import type { InstructionNode } from '../parser';
import type { UnitAnalysis, UnitDiag, UnitSources } from './unitTypes';

/** Whether the two versions of a line lay out memory and define names identically. */
export function sameLayout(a: LineInfo, b: LineInfo): boolean {
  if (a.kind !== b.kind) return false;
  // `.word`/`.byte` keep their size while they keep their number of values (all values: see LineInfo.slots).
  if (a.kind === Kind.Directive && !(a.directive === b.directive && (a.directive === '.word' || a.directive === '.byte') && a.slots.length > 0 && a.slots.length === b.slots.length)) return false;
  if (a.labels.length !== b.labels.length) return false;
  for (let i = 0; i < a.labels.length; i++) {
    const x = a.labels[i];
    const y = b.labels[i];
    if (x.name !== y.name || x.start !== y.start || x.end !== y.end) return false;
  }
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
  for (const [line, old] of edits) if (!old || !sameLayout(old, doc.info(line))) return false;

  const mine = (d: UnitDiag) => d.own === true && d.uri === doc.uri && edits.has(d.line);
  const keep = (list: UnitDiag[]) => {
    let n = 0;
    for (const d of list) if (!mine(d)) list[n++] = d;
    list.length = n;
  };
  keep(a.diagnostics);
  keep(a.ringDiagnostics);
  for (const line of edits.keys()) {
    const info = doc.info(line);
    for (const d of info.local) {
      const x: UnitDiag = { uri: doc.uri, line, start: d.start, end: d.end, severity: d.severity, message: d.message, code: d.code, own: true };
      if (d.data !== undefined) x.data = d.data;
      a.diagnostics.push(x);
    }
    if (info.kind === Kind.Directive) {
      evalLine(a, doc.uri, line, info, facts.scopeAt[line]);
      continue;
    }
    if (info.kind !== Kind.Instruction || !info.def) continue;
    const ring = facts.ringAt[line];
    if (ring > 0) {
      const rc = ringCheck(info.def, info.stmt as InstructionNode, ring);
      if (rc) a.ringDiagnostics.push({ uri: doc.uri, line, ...rc, own: true });
    }
    if (info.formOk) evalLine(a, doc.uri, line, info, facts.scopeAt[line]);
  }
  changed.dep.revision = doc.revision;
  a.byUri = undefined;
  a.patches++;
  return true;
}
