/** Go to definition, find references, highlights, rename (labels, local labels, `.equ`), document links. */
import type { DocumentHighlight, DocumentLink, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { registerNumber } from '../../emulator/isa/registers';
import { fullName } from '../layout';
import { nodeAt } from './at';
import type { SourceDocument } from './document';
import { lineRefs, SymRef, unitRefs } from './refs';
import type { UnitAnalysis } from './unit';

const rangeOf = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });

/** The symbol reference (or definition) under the cursor. */
export function refAt(a: UnitAnalysis, doc: SourceDocument, pos: Position): SymRef | undefined {
  if (pos.line < 0 || pos.line >= doc.lineCount) return undefined;
  const refs: SymRef[] = [];
  lineRefs(a, doc.uri, pos.line, doc.info(pos.line), refs);
  return refs.find((r) => pos.character >= r.start && pos.character <= r.end);
}

export function findDefinition(a: UnitAnalysis, doc: SourceDocument, pos: Position): Location[] {
  const inc = includeAt(a, doc, pos);
  if (inc) return [{ uri: inc, range: rangeOf(0, 0, 0) }];
  const r = refAt(a, doc, pos);
  const sym = r && a.symbols.get(r.full);
  return sym ? [{ uri: sym.file, range: rangeOf(sym.line, sym.col, sym.endCol) }] : [];
}

function includeAt(a: UnitAnalysis, doc: SourceDocument, pos: Position): string | undefined {
  const at = pos.line < doc.lineCount ? nodeAt(doc.info(pos.line), pos.character) : undefined;
  if (!at || at.kind !== 'string') return undefined;
  return a.files.get(doc.uri)?.includes.find((i) => i.line === pos.line)?.target;
}

export function findReferences(a: UnitAnalysis, doc: SourceDocument, pos: Position, includeDeclaration: boolean): Location[] {
  const r = refAt(a, doc, pos);
  if (!r) return [];
  return unitRefs(a, r.full)
    .filter((x) => includeDeclaration || !x.def)
    .map((x) => ({ uri: x.uri, range: rangeOf(x.line, x.start, x.end) }));
}

export function documentHighlights(a: UnitAnalysis, doc: SourceDocument, pos: Position): DocumentHighlight[] {
  const r = refAt(a, doc, pos);
  if (!r) return [];
  return unitRefs(a, r.full)
    .filter((x) => x.uri === doc.uri)
    .map((x) => ({ range: rangeOf(x.line, x.start, x.end), kind: x.def ? 3 : 2 }));
}

export class RenameError extends Error {}

export function prepareRename(a: UnitAnalysis, doc: SourceDocument, pos: Position): { range: Range; placeholder: string } | null {
  const r = refAt(a, doc, pos);
  if (!r || !a.symbols.has(r.full)) return null;
  return { range: rangeOf(r.line, r.start, r.end), placeholder: r.text };
}

const NAME = /^\.?[A-Za-z_][A-Za-z0-9_$]*$/;

/** Rename the symbol under the cursor in every file of the unit. Throws RenameError with a reason. */
export function doRename(a: UnitAnalysis, doc: SourceDocument, pos: Position, newName: string): WorkspaceEdit | null {
  const r = refAt(a, doc, pos);
  const sym = r && a.symbols.get(r.full);
  if (!r || !sym) return null;
  // A local label, written `.loop` in its scope or `g1.loop` (its full name) elsewhere.
  const local = r.full.indexOf('.') > 0;
  // A local label may be renamed with or without its dot; a global one never takes a dot.
  const name = local && !newName.startsWith('.') ? '.' + newName : newName;
  if (!NAME.test(name)) throw new RenameError(`'${newName}' is not a valid ${local ? 'local label' : 'name'}`);
  if (!local && name.startsWith('.')) throw new RenameError(`'${newName}' would make '${r.text}' a local label`);
  if (registerNumber(name) !== undefined) throw new RenameError(`'${newName}' is a register name`);
  const scope = local ? r.full.slice(0, r.full.lastIndexOf('.')) : '';
  const newFull = local ? scope + name : name;
  if (newFull !== r.full && a.symbols.has(newFull)) throw new RenameError(`'${newFull}' is already defined`);
  const changes: Record<string, TextEdit[]> = {};
  const add = (uri: string, range: Range, text: string) => (changes[uri] ??= []).push({ range, newText: text });
  for (const x of unitRefs(a, r.full)) {
    // `.loop` is written in its scope; `kmain.loop` (full name) elsewhere.
    add(x.uri, rangeOf(x.line, x.start, x.end), x.text.startsWith('.') ? name : newFull);
  }
  if (!local && sym.kind === 'label') {
    // The global label's locals written by full name elsewhere: `old.x` → `new.x`.
    for (const x of unitRefs(a)) {
      if (!x.text.startsWith(r.full + '.') || x.full === r.full) continue;
      add(x.uri, rangeOf(x.line, x.start, x.start + r.full.length), name);
    }
  }
  return { changes };
}

export function documentLinks(a: UnitAnalysis, doc: SourceDocument): DocumentLink[] {
  const facts = a.files.get(doc.uri);
  if (!facts) return [];
  return facts.includes.map((i) => ({ range: rangeOf(i.line, i.start + 1, Math.max(i.start + 1, i.end - 1)), target: i.target, tooltip: 'Open the included file' }));
}

export { fullName };
