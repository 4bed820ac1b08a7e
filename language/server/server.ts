/**
 * The LSP glue: wires language/service to a connection. Documents are
 * synchronised incrementally; diagnostics are published for every open
 * document a change affects, once per burst of changes. Every handler is
 * guarded: a bug in a feature answers "nothing" and is logged, never kills
 * the server.
 */
import {
  CodeActionKind,
  Connection,
  ErrorCodes,
  Diagnostic,
  DocumentLink,
  InitializeResult,
  Location,
  ResponseError,
  SemanticTokens,
  SemanticTokensDelta,
  TextDocumentSyncKind,
  WorkspaceEdit,
  WorkspaceSymbol,
} from 'vscode-languageserver';
import { getLanguageService, LanguageService, RenameError, ServiceHost } from '../service/languageService';
import { tokenEdits } from '../service/semanticTokens';
import { Paths } from './paths';
import { setLocale } from '../l10n';
import { confine } from './confine';
import { TRUSTED_NOTIFICATION } from './trustNotification';
import { ClientFit } from './clientFit';

export interface ServerOptions {
  /**
   * The service's files: Node's host reads the disk, the browser's asks the editor. A host that
   * learns a file's text later (asynchronously) calls `changed` with its id.
   */
  host: (folders: () => string[], changed: (id: string) => void) => ServiceHost;
  /** How document URIs become the service's ids (Node: file URIs become paths). */
  paths?: Paths;
  diskTtlMs?: number;
  /** The id a file resolves to with symbolic links followed (Node), for Restricted Mode's confinement. */
  realPath?: (id: string) => string | undefined;
  /** Collect the young generation now, where the runtime allows it (Node started with --expose-gc: nodeFlags.ts). */
  collectYoung?: () => void;
}

/**
 * A document this long (in characters) is collected for before it is opened (ServerOptions.collectYoung):
 * about 3,000 lines, whose parse allocates a few megabytes.
 */
const COLLECT_BEFORE_CHARS = 100_000;

export function startServer(connection: Connection, options: ServerOptions): LanguageService {
  const paths = options.paths ?? new Paths();
  let folders: string[] = [];
  // Restricted Mode (initializationOptions.restricted, until TRUSTED_NOTIFICATION): includes stay inside the folders.
  let restricted = false;
  const host = confine(
    options.host(
      () => folders,
      (id) => {
        ls.workspace.invalidate(id);
        schedule(id);
      },
    ),
    () => folders,
    () => restricted,
    options.realPath,
  );
  const ls = getLanguageService({ host, diskTtlMs: options.diskTtlMs, displayName: (id) => displayName(id, folders) });

  // The lifecycle (LSP 3.17 initialize, shutdown): requests before initialize are refused with
  // ServerNotInitialized, notifications then dropped; after shutdown, requests are InvalidRequest.
  let state: 'new' | 'running' | 'shutDown' = 'new';
  let fit = new ClientFit({}, false);
  const refusal = (): ResponseError<void> | undefined =>
    state === 'new'
      ? new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized yet: send initialize first')
      : state === 'shutDown'
        ? new ResponseError(ErrorCodes.InvalidRequest, 'the server is shut down: only exit is accepted now')
        : undefined;
  /** A request handler: refused outside the running state. */
  const guard =
    <P, R>(name: string, fallback: R, fn: (p: P) => R) =>
    (p: P): R => {
      const refused = refusal();
      if (refused) throw refused;
      return safe(name, fallback, fn)(p);
    };
  /** Any handler: a bug answers `fallback` and is logged. */
  const safe =
    <P, R>(name: string, fallback: R, fn: (p: P) => R) =>
    (p: P): R => {
      try {
        return fn(p);
      } catch (e) {
        if (e instanceof RenameError) throw new ResponseError(-32803, e.message);
        connection.console.error(`r32asm ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };

  // ---- diagnostics, coalesced: one analysis per burst of edits
  const dirty = new Set<string>();
  let scheduled = false;
  const schedule = (id: string) => {
    dirty.add(id);
    if (scheduled) return;
    scheduled = true;
    // After the messages already queued (the rest of a burst of edits): setImmediate on Node,
    // a zero timeout in a browser's worker (which has no setImmediate).
    if (typeof setImmediate === 'function') setImmediate(flush);
    else setTimeout(flush, 0);
  };
  const flush = safe('diagnostics', undefined, () => {
    scheduled = false;
    const targets = new Set<string>();
    for (const id of dirty) for (const d of ls.dependents(id)) targets.add(d);
    dirty.clear();
    for (const id of targets) {
      const doc = ls.workspace.document(id);
      if (!doc || !ls.workspace.isOpen(id)) continue;
      const diagnostics = ls.doValidation(id).map((d) => fixDiagnostic(d));
      void connection.sendDiagnostics({ uri: paths.toUri(id), version: doc.version, diagnostics });
    }
  });
  const fixDiagnostic = (d: Diagnostic): Diagnostic => {
    if (d.relatedInformation) d.relatedInformation = d.relatedInformation.map((r) => ({ ...r, location: loc(r.location) }));
    return fit.diagnostic(d);
  };
  /** A notification handler: dropped unless running (LSP: before initialize, only exit is taken). */
  const notified =
    <P>(name: string, fn: (p: P) => void) =>
    (p: P): void => {
      if (state === 'running') safe(name, undefined, fn)(p);
    };
  const loc = (l: Location): Location => ({ ...l, uri: paths.toUri(l.uri) });

  connection.onInitialize((params): InitializeResult => {
    if (state !== 'new') throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize may only be sent once');
    state = 'running';
    const init = params.initializationOptions as { restricted?: unknown; editorCommands?: unknown } | undefined;
    fit = new ClientFit(params.capabilities, init?.editorCommands === true);
    // The editor's display language (vscode-languageclient sends it): hovers and diagnostics use it.
    setLocale(params.locale);
    folders = (params.workspaceFolders ?? []).map((f) => paths.toId(f.uri));
    if (!folders.length && params.rootUri) folders = [paths.toId(params.rootUri)];
    restricted = init?.restricted === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', ',', '[', '.', '"', '/'], resolveProvider: true },
        signatureHelpProvider: { triggerCharacters: [' ', ','], retriggerCharacters: [','] },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        semanticTokensProvider: { legend: ls.semanticLegend, full: { delta: true }, range: true },
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        inlayHintProvider: true,
        inlineValueProvider: true,
      },
      serverInfo: { name: 'ringside-r32asm' },
    };
  });

  connection.onDidOpenTextDocument(
    notified('open', (p) => {
      const id = paths.remember(p.textDocument.uri);
      // A large file's parse allocates megabytes and keeps most of them: a collection that falls
      // inside it copies all that is live by then (10 to 20 ms for 20,000 lines). Collected first,
      // while what lives is only what the server keeps (about 1 ms), the parse runs in an empty
      // young generation (nodeFlags.ts: the figures, and the flags that go with it).
      if (p.textDocument.text.length >= COLLECT_BEFORE_CHARS) options.collectYoung?.();
      ls.openDocument(id, p.textDocument.text, p.textDocument.version);
      schedule(id);
    }),
  );
  connection.onDidChangeTextDocument(
    notified('change', (p) => {
      const id = paths.toId(p.textDocument.uri);
      ls.changeDocument(id, p.contentChanges, p.textDocument.version);
      schedule(id);
    }),
  );
  connection.onDidCloseTextDocument(
    notified('close', (p) => {
      const id = paths.toId(p.textDocument.uri);
      const affected = ls.dependents(id).filter((d) => d !== id);
      ls.closeDocument(id);
      sentTokens.delete(id);
      void connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
      paths.forget(id);
      // Files that included it now read it from disk (or find it gone).
      for (const d of affected) schedule(d);
    }),
  );
  connection.onNotification(
    TRUSTED_NOTIFICATION,
    notified('trusted', () => {
      if (!restricted) return;
      restricted = false;
      // Includes refused so far may be read now: every analysis anew.
      ls.workspace.reset();
      for (const id of ls.workspace.openUris()) schedule(id);
    }),
  );
  connection.onDidChangeWatchedFiles(
    notified('watch', (p) => {
      for (const c of p.changes) ls.workspace.invalidate(paths.toId(c.uri));
      for (const id of ls.workspace.openUris()) schedule(id);
    }),
  );

  const id = (p: { textDocument: { uri: string } }) => paths.toId(p.textDocument.uri);
  connection.onShutdown(() => {
    const refused = refusal();
    if (refused) throw refused;
    state = 'shutDown';
  });
  connection.onHover(guard('hover', null, (p) => fit.hover(ls.doHover(id(p), p.position))));
  connection.onCompletion(guard('completion', null, (p) => fit.completionList(ls.doComplete(id(p), p.position))));
  connection.onCompletionResolve((item) => guard('completionResolve', item, () => fit.completionItem(ls.doResolveCompletion(item)))(undefined));
  connection.onSignatureHelp(guard('signatureHelp', null, (p) => fit.signatureHelp(ls.doSignatureHelp(id(p), p.position))));
  connection.onDefinition(guard('definition', null, (p) => ls.findDefinition(id(p), p.position).map(loc)));
  connection.onReferences(guard('references', null, (p) => ls.findReferences(id(p), p.position, p.context.includeDeclaration).map(loc)));
  connection.onDocumentHighlight(guard('highlight', null, (p) => ls.findDocumentHighlights(id(p), p.position)));
  connection.onPrepareRename(guard('prepareRename', null, (p) => ls.prepareRename(id(p), p.position)));
  connection.onRenameRequest(guard('rename', null, (p) => edit(ls.doRename(id(p), p.position, p.newName))));
  connection.onDocumentSymbol(guard('documentSymbol', null, (p) => fit.documentSymbols(p.textDocument.uri, ls.findDocumentSymbols(id(p)))));
  connection.onWorkspaceSymbol(guard('workspaceSymbol', null, (p) => ls.findWorkspaceSymbols(p.query).map((s): WorkspaceSymbol => ({ ...s, location: loc(s.location as Location) }))));
  // Full results are numbered per document; a delta request names the one it has.
  const sentTokens = new Map<string, { resultId: string; data: number[] }>();
  let tokenResults = 0;
  const fullTokens = (doc: string) => {
    const r = { resultId: String(++tokenResults), data: ls.getSemanticTokens(doc).data };
    sentTokens.set(doc, r);
    return r;
  };
  connection.languages.semanticTokens.on(guard('semanticTokens', { data: [] } as SemanticTokens, (p): SemanticTokens => fullTokens(id(p))));
  connection.languages.semanticTokens.onDelta(
    guard('semanticTokensDelta', { data: [] } as SemanticTokens | SemanticTokensDelta, (p): SemanticTokens | SemanticTokensDelta => {
      const doc = id(p);
      const prev = sentTokens.get(doc);
      if (!prev || prev.resultId !== p.previousResultId) return fullTokens(doc);
      const next = fullTokens(doc);
      return { resultId: next.resultId, edits: tokenEdits(prev.data, next.data) };
    }),
  );
  connection.languages.semanticTokens.onRange(guard('semanticTokens', { data: [] }, (p) => ls.getSemanticTokens(id(p), p.range)));
  connection.onFoldingRanges(guard('folding', null, (p) => ls.getFoldingRanges(id(p))));
  connection.onDocumentLinks(guard('links', null, (p) => ls.findDocumentLinks(id(p)).map((l): DocumentLink => ({ ...l, target: l.target && paths.toUri(l.target) }))));
  connection.onDocumentFormatting(guard('format', null, (p) => ls.format(id(p), undefined, p.options)));
  connection.onDocumentRangeFormatting(guard('format', null, (p) => ls.format(id(p), p.range, p.options)));
  connection.onCodeAction(guard('codeAction', null, (p) => fit.codeActions(ls.getCodeActions(id(p), p.range, p.context).map((a) => ({ ...a, edit: (a.edit && edit(a.edit)) ?? undefined })))));
  connection.languages.inlayHint.on(guard('inlayHint', null, (p) => ls.getInlayHints(id(p), p.range)));
  connection.languages.inlineValue.on(guard('inlineValue', null, (p) => ls.getInlineValues(id(p), p.range, p.context)));

  const edit = (e: WorkspaceEdit | null): WorkspaceEdit | null => {
    if (!e?.changes) return e;
    return { changes: Object.fromEntries(Object.entries(e.changes).map(([k, v]) => [paths.toUri(k), v])) };
  };
  return ls;
}

/** A path relative to the workspace folder that holds it. */
function displayName(id: string, folders: string[]): string {
  for (const f of folders) {
    const prefix = f.endsWith('/') || f.endsWith('\\') ? f : f + (f.includes('\\') ? '\\' : '/');
    if (id.startsWith(prefix)) return id.slice(prefix.length);
  }
  return id;
}
