/**
 * The service answers as VS Code reads best (markdown, snippets, nested symbols, code action
 * literals). Another editor (Neovim's client, Helix, a test's plain client) says in `initialize`
 * what it reads; this fits each answer to that, as the LSP 3.17 specification asks: markdown
 * becomes plain text, snippets plain insert text, offsets in signature labels become the label's
 * words, nested symbols a flat list, and features it did not declare are left out.
 */
import {
  ClientCapabilities,
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  InsertTextFormat,
  MarkupContent,
  MarkupKind,
  SignatureHelp,
  SymbolInformation,
} from 'vscode-languageserver';

/** Plain text for a client that reads no markdown: our hovers' subset (bold, code, fences, hard breaks, lists, links). */
export function markdownToPlain(md: string): string {
  return md
    .replace(/```[^\n]*\n([\s\S]*?)```/g, (_, code: string) => code.replace(/^(?=.)/gm, '    ').replace(/\n$/, ''))
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/ {2}\n/g, '\n')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
}

/** A snippet's text as plain text: each placeholder's default (a choice's first), tab stops and the final $0 dropped. */
export function snippetToPlain(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && '$}\\'.includes(s[i + 1])) out += s[++i];
    else if (c === '$' && s[i + 1] === '{') {
      const m = /^\$\{\d+(?::((?:[^}\\]|\\.)*)|\|([^,|]*)[^|]*\|)?\}/.exec(s.slice(i));
      if (!m) out += c;
      else {
        out += snippetToPlain(m[1] ?? m[2] ?? '');
        i += m[0].length - 1;
      }
    } else if (c === '$' && /\d/.test(s[i + 1] ?? '')) {
      while (/\d/.test(s[i + 1] ?? '')) i++;
    } else out += c;
  }
  return out;
}

export class ClientFit {
  private readonly markdownHover: boolean;
  private readonly markdownDocs: boolean;
  private readonly snippets: boolean;
  private readonly labelDetails: boolean;
  private readonly signatureMarkdown: boolean;
  private readonly labelOffsets: boolean;
  private readonly nestedSymbols: boolean;
  private readonly actionLiterals: boolean;
  private readonly related: boolean;

  /** `editorCommands`: the client runs VS Code's own commands (our extension's client says so). */
  constructor(
    caps: ClientCapabilities,
    private readonly editorCommands: boolean,
  ) {
    const td = caps.textDocument ?? {};
    // Absent lists mean the client did not say: markdown then, as VS Code reads it.
    const md = (kinds: MarkupKind[] | undefined) => kinds === undefined || kinds.includes(MarkupKind.Markdown);
    this.markdownHover = md(td.hover?.contentFormat);
    this.markdownDocs = md(td.completion?.completionItem?.documentationFormat);
    this.snippets = td.completion?.completionItem?.snippetSupport === true;
    this.labelDetails = td.completion?.completionItem?.labelDetailsSupport === true;
    this.signatureMarkdown = md(td.signatureHelp?.signatureInformation?.documentationFormat);
    this.labelOffsets = td.signatureHelp?.signatureInformation?.parameterInformation?.labelOffsetSupport === true;
    this.nestedSymbols = td.documentSymbol?.hierarchicalDocumentSymbolSupport === true;
    this.actionLiterals = td.codeAction?.codeActionLiteralSupport !== undefined;
    this.related = td.publishDiagnostics?.relatedInformation === true;
  }

  private markup(m: MarkupContent | string, markdown: boolean): MarkupContent | string {
    if (markdown || typeof m === 'string' || m.kind !== MarkupKind.Markdown) return m;
    return { kind: MarkupKind.PlainText, value: markdownToPlain(m.value) };
  }

  hover(h: Hover | null): Hover | null {
    if (!h || !MarkupContent.is(h.contents)) return h;
    return { ...h, contents: this.markup(h.contents, this.markdownHover) as MarkupContent };
  }

  completionItem(item: CompletionItem): CompletionItem {
    const out: CompletionItem = { ...item };
    if (!this.snippets && item.insertTextFormat === InsertTextFormat.Snippet) {
      out.insertTextFormat = InsertTextFormat.PlainText;
      if (out.insertText !== undefined) out.insertText = snippetToPlain(out.insertText);
      if (out.textEdit) out.textEdit = { ...out.textEdit, newText: snippetToPlain(out.textEdit.newText) };
    }
    if (!this.labelDetails && out.labelDetails) {
      // The operands the label details showed move into detail (which already names them), so nothing is lost.
      if (out.detail === undefined) out.detail = `${item.label}${out.labelDetails.detail ?? ''}`;
      delete out.labelDetails;
    }
    if (out.documentation !== undefined) out.documentation = this.markup(out.documentation, this.markdownDocs);
    if (out.command && !this.editorCommands) delete out.command;
    return out;
  }

  completionList(l: CompletionList | null): CompletionList | null {
    return l && { ...l, items: l.items.map((i) => this.completionItem(i)) };
  }

  signatureHelp(s: SignatureHelp | null): SignatureHelp | null {
    if (!s) return s;
    return {
      ...s,
      signatures: s.signatures.map((sig) => ({
        ...sig,
        documentation: sig.documentation === undefined ? undefined : this.markup(sig.documentation, this.signatureMarkdown),
        parameters: sig.parameters?.map((p) => ({
          ...p,
          label: typeof p.label === 'string' || this.labelOffsets ? p.label : sig.label.slice(p.label[0], p.label[1]),
          documentation: p.documentation === undefined ? undefined : this.markup(p.documentation, this.signatureMarkdown),
        })),
      })),
    };
  }

  documentSymbols(uri: string, symbols: DocumentSymbol[] | null): DocumentSymbol[] | SymbolInformation[] | null {
    if (!symbols || this.nestedSymbols) return symbols;
    const flat: SymbolInformation[] = [];
    const add = (s: DocumentSymbol, container?: string) => {
      flat.push({ name: s.name, kind: s.kind, location: { uri, range: s.range }, ...(container ? { containerName: container } : {}) });
      for (const c of s.children ?? []) add(c, s.name);
    };
    for (const s of symbols) add(s);
    return flat;
  }

  /** Code actions: literals only for a client that reads them (ours carry edits, not commands). */
  codeActions(actions: CodeAction[] | null): CodeAction[] | null {
    return actions && this.actionLiterals ? actions : actions && [];
  }

  /** Related information a client does not show is said in the message instead (nothing lost). */
  diagnostic(d: Diagnostic): Diagnostic {
    if (this.related || !d.relatedInformation) return d;
    const out = { ...d };
    const file = (uri: string) => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
    out.message += d.relatedInformation.map((r) => `\n${r.message} (${file(r.location.uri)}:${r.location.range.start.line + 1})`).join('');
    delete out.relatedInformation;
    return out;
  }
}
