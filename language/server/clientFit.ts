/**
 * The service answers as VS Code reads best (markdown, snippets, nested symbols, code action
 * literals). Another editor (Neovim's client, Helix, a test's plain client) says in `initialize`
 * what it reads; this fits each answer to that, as the LSP 3.17 specification asks: markdown
 * becomes plain text, snippets the text they insert for certain (one item per mnemonic), offsets
 * in signature labels the label's words, nested symbols a flat list, and features it did not
 * declare are left out.
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

/**
 * What a snippet inserts for certain, as plain text: the text before its first tab stop. A
 * placeholder's default is a name (`rd`, `NAME`) that does not assemble, so it is not inserted;
 * an opening quote or bracket left at its end (`.include "`, `st [`) would be half an operand, so
 * it goes too (unless it is all there is: the `[reg + disp]` item inserts `[`).
 */
export function snippetPrefix(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && '$}\\'.includes(s[i + 1])) out += s[++i];
    else if (c === '$' && (s[i + 1] === '{' || /\d/.test(s[i + 1] ?? ''))) break;
    else out += c;
  }
  return out.replace(/(?<=.)["[]$/, '');
}

/** The forms of one mnemonic (one item each, for VS Code) as one item: a client without snippets would insert the same text for each. */
function mergeForms(items: readonly CompletionItem[]): CompletionItem[] {
  const out: CompletionItem[] = [];
  const byName = new Map<string, CompletionItem>();
  for (const item of items) {
    const insn = (item.data as { doc?: string } | undefined)?.doc === 'insn';
    const first = insn ? byName.get(item.label) : undefined;
    if (!first) {
      const copy = { ...item };
      if (insn) byName.set(item.label, copy);
      out.push(copy);
    } else if (item.detail) first.detail = first.detail ? `${first.detail} | ${item.detail}` : item.detail;
  }
  for (const item of byName.values()) if (item.labelDetails) item.labelDetails = { description: item.labelDetails.description };
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
      if (out.insertText !== undefined) out.insertText = snippetPrefix(out.insertText);
      if (out.textEdit) out.textEdit = { ...out.textEdit, newText: snippetPrefix(out.textEdit.newText) };
    }
    if (!this.labelDetails && out.labelDetails) {
      // The operands the label details showed move into detail (which already names them), so nothing is lost.
      if (out.detail === undefined) out.detail = `${item.label}${out.labelDetails.detail ?? ''}`;
      // Forms of one mnemonic would be identical rows: the label takes the operands (`mov rd, rs`); typing the name still finds it.
      if (out.labelDetails.detail) {
        out.filterText ??= item.label;
        if (out.insertText === undefined && !out.textEdit) out.insertText = item.label;
        out.label = item.label + out.labelDetails.detail;
      }
      delete out.labelDetails;
    }
    if (out.documentation !== undefined) out.documentation = this.markup(out.documentation, this.markdownDocs);
    if (out.command && !this.editorCommands) delete out.command;
    return out;
  }

  completionList(l: CompletionList | null): CompletionList | null {
    if (!l) return l;
    return { ...l, items: (this.snippets ? l.items : mergeForms(l.items)).map((i) => this.completionItem(i)) };
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
