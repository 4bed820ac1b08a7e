/** Every definition and use of a symbol in a unit, with full names: for references, rename, highlights and tokens. */
import { fullName } from '../layout';
import type { LineInfo } from '../lineInfo';
import { definesName, leaves, operandsOf } from './at';
import type { UnitAnalysis } from './unit';

export interface SymRef {
  uri: string;
  line: number;
  start: number;
  end: number;
  /** As written. */
  text: string;
  /** Full name (`global.local` for local labels). */
  full: string;
  def: boolean;
}

/** Symbol definitions and uses on one line (scope from the unit pass). */
export function lineRefs(a: UnitAnalysis, uri: string, line: number, info: LineInfo, out: SymRef[]): void {
  const facts = a.files.get(uri);
  if (!facts) return;
  let scope = line > 0 ? facts.scopeAt[line - 1] ?? '' : '';
  for (const l of info.labels) {
    const full = l.local ? scope + l.name : l.name;
    if (!l.local) scope = l.name;
    out.push({ uri, line, start: l.start, end: l.end, text: l.name, full, def: true });
  }
  const s = info.stmt;
  if (!s) return;
  scope = facts.scopeAt[line] ?? scope;
  const ops = operandsOf(s);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const e = op.kind === 'expr' ? op.expr : op.kind === 'mem' ? op.disp : undefined;
    if (e) {
      const def = definesName(s, i);
      for (const leaf of leaves(e)) {
        if (leaf.kind === 'sym') out.push({ uri, line, start: leaf.start, end: leaf.end, text: leaf.name, full: fullName(leaf.name, scope), def });
      }
    } else if (op.kind === 'sreg' || op.kind === 'field') {
      // A system-register or field name where a value goes refers to a label of that name.
      const slot = s.kind === 'instruction' ? info.form?.operands[i] : 'imm';
      if (slot !== 'sreg' && slot !== 'field' && a.symbols.has(op.text)) out.push({ uri, line, start: op.start, end: op.end, text: op.text, full: op.text, def: definesName(s, i) });
    }
  }
}

/** All references to `full` (or every reference, when undefined) in the unit. */
export function unitRefs(a: UnitAnalysis, full?: string): SymRef[] {
  const out: SymRef[] = [];
  const tmp: SymRef[] = [];
  // Cheap pre-filter: a reference to `g.l` is written `.l` or `g.l`, so the line contains `.l`.
  const dot = full === undefined ? -1 : full.indexOf('.', 1);
  const needle = full === undefined ? '' : dot > 0 ? full.slice(dot) : full;
  for (const facts of a.files.values()) {
    const doc = facts.doc;
    for (let i = 0; i < doc.lineCount; i++) {
      const info = doc.info(i);
      if (!info.labels.length && !info.stmt) continue;
      if (needle && !info.text.includes(needle)) continue;
      tmp.length = 0;
      lineRefs(a, facts.uri, i, info, tmp);
      for (const r of tmp) if (full === undefined || r.full === full) out.push(r);
    }
  }
  return out;
}
