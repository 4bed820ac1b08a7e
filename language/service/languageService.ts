/**
 * The R32 assembly language service: a pure library (text in, results out),
 * shaped like vscode-css-languageservice. language/server only wires it to an
 * LSP connection. Documents are identified by opaque ids (the server uses file
 * paths, tests use plain names); the host reads and resolves them.
 */
import type {
  CodeAction,
  CodeActionContext,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentHighlight,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  FormattingOptions,
  Hover,
  InlayHint,
  InlineValue,
  InlineValueContext,
  Location,
  Position,
  Range,
  SignatureHelp,
  TextEdit,
  WorkspaceEdit,
  WorkspaceSymbol,
} from 'vscode-languageserver-types';
import { doCodeActions } from './codeActions';
import { doComplete, resolveCompletion } from './completion';
import { documentDiagnostics } from './diagnostics';
import type { SourceDocument, TextChange } from './document';
import { foldingRanges } from './folding';
import { formatDocument } from './format';
import { doHover } from './hover';
import { inlayHints } from './inlayHints';
import { inlineValues } from './inlineValues';
import { documentHighlights, documentLinks, doRename, findDefinition, findReferences, prepareRename, refAt } from './navigation';
import { semanticTokens, SEMANTIC_LEGEND } from './semanticTokens';
import { doSignatureHelp } from './signature';
import { documentSymbols, workspaceSymbols } from './symbols';
import type { UnitAnalysis } from './unit';
import { ServiceHost, Workspace, WorkspaceOptions } from './workspace';

export { RenameError } from './navigation';
export { SEMANTIC_LEGEND } from './semanticTokens';
export type { ServiceHost } from './workspace';
export type { TextChange } from './document';

export interface LanguageServiceOptions extends WorkspaceOptions {
  host: ServiceHost;
}

export class LanguageService {
  readonly workspace: Workspace;
  private readonly display: (id: string) => string;

  constructor(readonly options: LanguageServiceOptions) {
    this.workspace = new Workspace(options.host, options);
    this.display = this.workspace.display;
  }

  openDocument(id: string, text: string, version = 0): void {
    this.workspace.openDocument(id, text, version);
  }
  changeDocument(id: string, changes: readonly TextChange[], version?: number): void {
    this.workspace.changeDocument(id, changes, version);
  }
  closeDocument(id: string): void {
    this.workspace.closeDocument(id);
  }

  /** The document (open, else read through the host) and its unit's analysis. */
  private get(id: string): { doc: SourceDocument; a: UnitAnalysis } | undefined {
    const doc = this.workspace.document(id);
    return doc && { doc, a: this.workspace.analysis(id) };
  }

  /** Ids of the open documents whose diagnostics depend on `id` (including itself when open). */
  dependents(id: string): string[] {
    return this.workspace.openUris().filter((u) => u === id || this.workspace.analysis(u).files.has(id));
  }

  doValidation(id: string): Diagnostic[] {
    const x = this.get(id);
    return x ? documentDiagnostics(x.a, x.doc, this.display) : [];
  }
  doHover(id: string, pos: Position): Hover | null {
    const x = this.get(id);
    return x ? doHover(x.a, x.doc, pos, this.display) : null;
  }
  doComplete(id: string, pos: Position): CompletionList {
    const x = this.get(id);
    return x ? doComplete(x.a, x.doc, pos, this.options.host) : { isIncomplete: false, items: [] };
  }
  doResolveCompletion(item: CompletionItem): CompletionItem {
    return resolveCompletion(item);
  }
  doSignatureHelp(id: string, pos: Position): SignatureHelp | null {
    const doc = this.workspace.document(id);
    return doc ? doSignatureHelp(doc, pos) : null;
  }
  findDefinition(id: string, pos: Position): Location[] {
    const x = this.get(id);
    return x ? findDefinition(x.a, x.doc, pos) : [];
  }
  findReferences(id: string, pos: Position, includeDeclaration = true): Location[] {
    const x = this.get(id);
    if (!x) return [];
    // A symbol several programs share (a file they include, or one defined there): its references in each, once.
    const out = new Map<string, Location>();
    for (const u of this.unitsOf(id, x, pos)) for (const l of findReferences(u.a, u.doc, u.pos, includeDeclaration)) out.set(`${l.uri}:${l.range.start.line}:${l.range.start.character}`, l);
    return [...out.values()];
  }

  /**
   * Every program the symbol at `pos` is shared by, each with where to ask about it there: its own
   * unit first, then the other top files that include `id` or the file defining the symbol (a library
   * symbol is the same symbol in every program that includes the library, wherever it is used).
   */
  private unitsOf(id: string, own: { doc: SourceDocument; a: UnitAnalysis }, pos: Position): { a: UnitAnalysis; doc: SourceDocument; pos: Position }[] {
    const out = [{ ...own, pos }];
    const r = refAt(own.a, own.doc, pos);
    const sym = r && own.a.symbols.get(r.full);
    const def = sym && sym.file !== id ? this.workspace.document(sym.file) : undefined;
    const roots = new Set([...this.workspace.allRoots(id), ...(sym && def ? this.workspace.allRoots(sym.file) : [])]);
    for (const root of roots) {
      if (root === own.a.root) continue;
      const a = this.workspace.analysis(root);
      // A program without `id` reaches the symbol through its definition (the full name of a local label depends on the unit).
      if (a.files.has(id)) out.push({ a, doc: own.doc, pos });
      else if (sym && def && a.files.has(sym.file)) out.push({ a, doc: def, pos: { line: sym.line, character: sym.col } });
    }
    return out;
  }
  findDocumentHighlights(id: string, pos: Position): DocumentHighlight[] {
    const x = this.get(id);
    return x ? documentHighlights(x.a, x.doc, pos) : [];
  }
  prepareRename(id: string, pos: Position): { range: Range; placeholder: string } | null {
    const x = this.get(id);
    return x ? prepareRename(x.a, x.doc, pos) : null;
  }
  /** Throws RenameError when the new name is not acceptable. */
  doRename(id: string, pos: Position, newName: string): WorkspaceEdit | null {
    const x = this.get(id);
    if (!x) return null;
    // In a file several programs include, every program's uses are renamed (each checked for clashes).
    const changes: Record<string, TextEdit[]> = {};
    const seen = new Set<string>();
    let any = false;
    for (const u of this.unitsOf(id, x, pos)) {
      const e = doRename(u.a, u.doc, u.pos, newName);
      if (!e?.changes) continue;
      any = true;
      for (const [uri, edits] of Object.entries(e.changes)) {
        for (const t of edits) {
          const k = `${uri}:${t.range.start.line}:${t.range.start.character}`;
          if (seen.has(k)) continue;
          seen.add(k);
          (changes[uri] ??= []).push(t);
        }
      }
    }
    return any ? { changes } : null;
  }
  findDocumentLinks(id: string): DocumentLink[] {
    const x = this.get(id);
    return x ? documentLinks(x.a, x.doc) : [];
  }
  findDocumentSymbols(id: string): DocumentSymbol[] {
    const x = this.get(id);
    return x ? documentSymbols(x.a, x.doc) : [];
  }
  findWorkspaceSymbols(query: string): WorkspaceSymbol[] {
    return workspaceSymbols(this.workspace, query);
  }
  getSemanticTokens(id: string, range?: Range): { data: number[] } {
    const x = this.get(id);
    return x ? semanticTokens(x.a, x.doc, range) : { data: [] };
  }
  getFoldingRanges(id: string): FoldingRange[] {
    const doc = this.workspace.document(id);
    return doc ? foldingRanges(doc) : [];
  }
  format(id: string, range: Range | undefined, options?: FormattingOptions): TextEdit[] {
    const doc = this.workspace.document(id);
    return doc ? formatDocument(doc, range, options) : [];
  }
  getCodeActions(id: string, range: Range, context: CodeActionContext): CodeAction[] {
    const x = this.get(id);
    return x ? doCodeActions(x.a, x.doc, range, context) : [];
  }
  getInlayHints(id: string, range: Range): InlayHint[] {
    const x = this.get(id);
    return x ? inlayHints(x.a, x.doc, range) : [];
  }
  /** Registers to show at the end of lines while the debugger is stopped in this file. */
  getInlineValues(id: string, range: Range, ctx: InlineValueContext): InlineValue[] {
    const x = this.get(id);
    return x ? inlineValues(x.doc, range, ctx) : [];
  }
  get semanticLegend() {
    return SEMANTIC_LEGEND;
  }
}

export function getLanguageService(options: LanguageServiceOptions): LanguageService {
  return new LanguageService(options);
}
