/** Go to definition, find references, highlights, rename (labels, local labels, `.equ`), document links. */
import type { DocumentHighlight, DocumentLink, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { registerNumber } from '../../emulator/isa/registers';
import { fullName } from '../layout';
import { nodeAt } from './at';
import type { SourceDocument } from './document';
import { lineRefs, SymRef, unitRefs } from './refs';
import type { UnitAnalysis, UnitSymbol } from './unit';
import { t } from '../l10n';

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

/** The name as written at the cursor (`.loop`, or `g1.loop` elsewhere): doRename takes a new name in either form. */
export function prepareRename(a: UnitAnalysis, doc: SourceDocument, pos: Position): { range: Range; placeholder: string } | null {
  const r = refAt(a, doc, pos);
  if (!r || !a.symbols.has(r.full)) return null;
  return { range: rangeOf(r.line, r.start, r.end), placeholder: r.text };
}

/** A global name (the assembler takes dots inside one: `x.y:`), and a local label's name as written in its scope. */
const GLOBAL = /^[A-Za-z_][A-Za-z0-9_$.]*$/;
const LOCAL = /^\.[A-Za-z_][A-Za-z0-9_$]*$/;

/** Whether the symbol was defined as a local label (`.loop:`, full name `scope.loop`); `x.y:` is a global label with a dot. */
function isLocal(a: UnitAnalysis, sym: UnitSymbol): boolean {
  const lines = a.files.get(sym.file)?.doc.lines;
  return sym.kind === 'label' && lines?.[sym.line]?.charCodeAt(sym.col) === 46;
}

/**
 * Rename the symbol under the cursor in every file of the unit. The new name is used as given
 * (LSP): a local label takes `.name` (or `scope.name`, its full name), anything else a global
 * name; a name of another kind is refused with a reason (RenameError), never rewritten.
 */
export function doRename(a: UnitAnalysis, doc: SourceDocument, pos: Position, newName: string): WorkspaceEdit | null {
  const r = refAt(a, doc, pos);
  const sym = r && a.symbols.get(r.full);
  if (!r || !sym) return null;
  const local = isLocal(a, sym);
  const scope = local ? r.full.slice(0, r.full.lastIndexOf('.')) : '';
  // `.loop` in its scope, `g1.loop` elsewhere: both name the same label.
  const short = local && newName.startsWith(scope + '.') && scope ? newName.slice(scope.length) : newName;
  if (local && !LOCAL.test(short)) throw new RenameError(t("'{0}' is not a local label name: write '.name' (or '{1}.name')", newName, scope));
  if (!local && newName.startsWith('.')) throw new RenameError(t("'{0}' would make '{1}' a local label", newName, r.text));
  if (!local && !GLOBAL.test(newName)) throw new RenameError(t("'{0}' is not a valid name", newName));
  if (registerNumber(newName) !== undefined) throw new RenameError(t("'{0}' is a register name", newName));
  const newFull = local ? scope + short : newName;
  if (newFull !== r.full && a.symbols.has(newFull)) throw new RenameError(t("'{0}' is already defined", newFull));
  const changes: Record<string, TextEdit[]> = {};
  const add = (uri: string, range: Range, text: string) => (changes[uri] ??= []).push({ range, newText: text });
  for (const x of unitRefs(a, r.full)) {
    // Each use keeps the form it was written in.
    add(x.uri, rangeOf(x.line, x.start, x.end), local && x.text.startsWith('.') ? short : newFull);
  }
  if (!local && sym.kind === 'label') {
    // The global label's locals written by full name elsewhere: `old.x` → `new.x`.
    for (const x of unitRefs(a)) {
      if (!x.text.startsWith(r.full + '.') || x.full === r.full) continue;
      // `old.y` may be a global label of its own (`old.y:`): that one keeps its name.
      const target = a.symbols.get(x.full);
      if (target && !isLocal(a, target)) continue;
      add(x.uri, rangeOf(x.line, x.start, x.start + r.full.length), newName);
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
