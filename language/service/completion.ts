/** Completion: mnemonics with operand-form snippets, registers, system registers, VMCS fields, labels, constants, directives, include paths. */
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, Position, TextEdit } from 'vscode-languageserver-types';
import { INSTRUCTIONS, instructionByName, OperandKind } from '../../emulator/isa/table';
import { SYSTEM_REGISTERS, VMCS_FIELDS } from '../../emulator/isa/registers';
import { PORTS, vectorName } from '../../emulator/isa/abi';
import { accepts } from '../forms';
import { DIRECTIVES } from '../directives';
import { DIRECTIVE_DOCS, directiveMarkdown, fieldMarkdown, formSyntax, hex32, instructionMarkdown, registerMarkdown, sysRegMarkdown } from './isaDocs';
import type { SourceDocument } from './document';
import { lineContext, operandPlace } from './lineContext';
import type { UnitAnalysis } from './unit';
import type { ServiceHost } from './workspace';
import { hex } from '../../emulator/isa/hex';

/** `rd, [rb + disp]` → `${1:rd}, [${2:rb} + ${3:disp}]`. */
export function snippetOf(syntax: string): string {
  let n = 0;
  return syntax.replace(/[A-Za-z_]+/g, (w) => `\${${++n}:${w}}`);
}

const md = (value: string) => ({ kind: 'markdown' as const, value });

/** One item per instruction form, made once. */
const MNEMONIC_ITEMS: CompletionItem[] = INSTRUCTIONS.flatMap((def) =>
  [def.mnemonic, ...def.aliases].flatMap((name) =>
    def.forms.map((_, i): CompletionItem => {
      const syntax = def.syntax[i] ?? '';
      return {
        label: name,
        labelDetails: { detail: syntax ? ' ' + syntax : '', description: def.group },
        kind: CompletionItemKind.Keyword,
        detail: formSyntax({ ...def, mnemonic: name }, i),
        data: { doc: 'insn', name: def.mnemonic },
        insertText: syntax ? `${name} ${snippetOf(syntax)}` : name,
        insertTextFormat: syntax ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        filterText: name,
        sortText: `${name}~${i}`,
      };
    }),
  ),
);

const DIRECTIVE_SNIPPETS: Record<string, string> = {
  '.org': '.org ${1:0x1000}',
  '.word': '.word ${1:0}',
  '.byte': '.byte ${1:0}',
  '.ascii': '.ascii "${1}"',
  '.asciz': '.asciz "${1}"',
  '.space': '.space ${1:4}',
  '.align': '.align ${1:4}',
  '.equ': '.equ ${1:NAME}, ${2:0}',
  '.include': '.include "${1}"',
  '.ring': '.ring ${1|0,1,2,3|}',
};
const DIRECTIVE_ITEMS: CompletionItem[] = DIRECTIVES.map((d) => ({
  label: d,
  kind: CompletionItemKind.Keyword,
  // The form, for a client that inserts only the name (no snippets).
  detail: DIRECTIVE_DOCS[d]?.syntax,
  data: { doc: 'directive', name: d },
  insertText: DIRECTIVE_SNIPPETS[d],
  insertTextFormat: InsertTextFormat.Snippet,
}));

const REGISTER_ITEMS: CompletionItem[] = [
  ...Array.from({ length: 16 }, (_, n): CompletionItem => ({ label: `r${n}`, kind: CompletionItemKind.Variable, data: { doc: 'reg', name: String(n) }, sortText: `r${String(n).padStart(2, '0')}` })),
  { label: 'sp', kind: CompletionItemKind.Variable, detail: 'r15', data: { doc: 'reg', name: '15' }, sortText: 'r16' },
  { label: 'fp', kind: CompletionItemKind.Variable, detail: 'r14', data: { doc: 'reg', name: '14' }, sortText: 'r17' },
];
const SYSREG_ITEMS: CompletionItem[] = SYSTEM_REGISTERS.map((s) => ({ label: s.name, kind: CompletionItemKind.Property, detail: 'system register', data: { doc: 'sreg', name: s.name } }));
const FIELD_ITEMS: CompletionItem[] = VMCS_FIELDS.map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: f.writable ? 'VMCS field' : 'VMCS field (read-only)', data: { doc: 'field', name: f.name } }));
const PORT_ITEMS: CompletionItem[] = PORTS.map((p) => ({ label: hex(p.port), detail: `${p.name} (${p.dir})`, documentation: p.doc, kind: CompletionItemKind.Value }));
const VECTOR_ITEMS: CompletionItem[] = [0, 3, 6, 13, 14, 32, 33, 0x80].map((v) => ({ label: v === 0x80 ? '0x80' : String(v), detail: vectorName(v), kind: CompletionItemKind.Value }));

function withEdit(items: readonly CompletionItem[], line: number, start: number, end: number): CompletionItem[] {
  const range = { start: { line, character: start }, end: { line, character: end } };
  return items.map((it) => ({ ...it, textEdit: TextEdit.replace(range, it.insertText ?? it.label) }));
}

/** Documentation is filled in on `completionItem/resolve`: a list of every form with its docs would be large. */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  const data = item.data as { doc?: string; name?: string } | undefined;
  if (!data?.name || item.documentation) return item;
  let text: string | undefined;
  if (data.doc === 'insn') {
    const def = instructionByName(data.name);
    text = def && instructionMarkdown(def);
  } else if (data.doc === 'directive') text = directiveMarkdown(data.name);
  else if (data.doc === 'reg') text = registerMarkdown(Number(data.name));
  else if (data.doc === 'sreg') {
    const s = SYSTEM_REGISTERS.find((x) => x.name === data.name);
    text = s && sysRegMarkdown(s);
  } else if (data.doc === 'field') {
    const f = VMCS_FIELDS.find((x) => x.name === data.name);
    text = f && fieldMarkdown(f);
  }
  return text ? { ...item, documentation: md(text) } : item;
}

/** More symbols than this are narrowed to the word typed so far, and the list is marked incomplete. */
export const MAX_SYMBOL_ITEMS = 400;

/** Labels and constants visible here; `complete` is false when the list was cut (the client asks again as the word grows). */
function symbolItems(a: UnitAnalysis, doc: SourceDocument, line: number, word: string, earlierOnly = false): { items: CompletionItem[]; complete: boolean } {
  const all = allSymbolItems(a, doc, line, word, earlierOnly);
  if (all.length <= MAX_SYMBOL_ITEMS) return { items: all, complete: true };
  const w = word.toLowerCase();
  const some = w ? all.filter((i) => i.label.toLowerCase().startsWith(w)) : all;
  some.sort((x, y) => (x.sortText! < y.sortText! ? -1 : 1));
  return { items: some.slice(0, MAX_SYMBOL_ITEMS), complete: false };
}

function allSymbolItems(a: UnitAnalysis, doc: SourceDocument, line: number, word: string, earlierOnly: boolean): CompletionItem[] {
  const scope = a.files.get(doc.uri)?.scopeAt[line] ?? '';
  const prefix = scope + '.';
  // Typing a full name (`parse.`): that global label's locals, which any scope may name so.
  const dot = word.indexOf('.', 1);
  const named = dot > 0 ? word.slice(0, dot + 1) : undefined;
  const out: CompletionItem[] = [];
  for (const sym of a.symbols.values()) {
    // A layout value (.org, .space, .align) may use only what is defined above it in this file.
    if (earlierOnly && sym.file === doc.uri && sym.line >= line) continue;
    const isLocal = sym.name.startsWith(prefix) && sym.name.indexOf('.', prefix.length) < 0;
    // Local labels are offered in their own scope only (written `.name`); other dotted names as written.
    const label = isLocal ? sym.name.slice(scope.length) : sym.name;
    if (!isLocal && sym.name.startsWith('.')) continue;
    if (!isLocal && sym.name.includes('.') && sym.kind === 'label' && a.symbols.has(sym.name.slice(0, sym.name.indexOf('.', 1))) && !(named && sym.name.startsWith(named))) continue;
    out.push({
      label,
      kind: sym.kind === 'equ' ? CompletionItemKind.Constant : isLocal ? CompletionItemKind.Reference : CompletionItemKind.Function,
      detail: sym.kind === 'equ' ? (sym.resolved ? `= ${hex32(sym.value)}` : 'constant') : `label ${hex32(sym.value)}`,
      sortText: (isLocal ? '0' : '1') + label,
    });
  }
  return out;
}

function includeItems(host: ServiceHost, doc: SourceDocument, line: number, typed: string, col: number): CompletionItem[] {
  if (!host.readDirectory) return [];
  const slash = typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  const entries = host.readDirectory(host.resolve(doc.uri, dirPart || '.')) ?? [];
  const start = col - (typed.length - dirPart.length);
  const range = { start: { line, character: start }, end: { line, character: col } };
  return entries
    // Not the file itself: including it would be a cycle.
    .filter((e) => !e.name.startsWith('.') && (e.directory || /\.(rasm|inc|s|asm)$/i.test(e.name)) && host.resolve(doc.uri, dirPart + e.name) !== doc.uri)
    .map((e) => ({
      label: e.directory ? e.name + '/' : e.name,
      kind: e.directory ? CompletionItemKind.Folder : CompletionItemKind.File,
      textEdit: TextEdit.replace(range, e.directory ? e.name + '/' : e.name),
      command: e.directory ? { title: 'more', command: 'editor.action.triggerSuggest' } : undefined,
    }));
}

export function doComplete(a: UnitAnalysis, doc: SourceDocument, pos: Position, host: ServiceHost): CompletionList {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  if (pos.line < 0 || pos.line >= doc.lineCount) return empty;
  const text = doc.lines[pos.line];
  const col = Math.min(pos.character, text.length);
  const ctx = lineContext(text, col);
  if (ctx.comment) return empty;
  const line = pos.line;
  let incomplete = false;
  const edit = (items: readonly CompletionItem[]) => withEdit(items, line, ctx.wordStart, col);
  const symbols = () => {
    const r = symbolItems(a, doc, line, ctx.word);
    if (!r.complete) incomplete = true;
    return edit(r.items);
  };
  if (!ctx.head) {
    return { isIncomplete: false, items: [...edit(MNEMONIC_ITEMS), ...edit(DIRECTIVE_ITEMS)] };
  }
  const head = ctx.head.text.toLowerCase();
  if (ctx.stringStart !== undefined) {
    if (head !== '.include') return empty;
    return { isIncomplete: false, items: includeItems(host, doc, line, text.slice(ctx.stringStart + 1, col), col) };
  }
  const place = operandPlace(text, ctx);
  if (place === 'none') return empty;
  if (place === 'value') return { isIncomplete: incomplete, items: symbols() };
  if (head.startsWith('.')) {
    if (head === '.ring') return { isIncomplete: false, items: edit(['0', '1', '2', '3'].map((r) => ({ label: r, kind: CompletionItemKind.Value, detail: `ring ${r}` }))) };
    if (head === '.include' || (head === '.equ' && ctx.index === 0)) return empty;
    const layout = head === '.org' || head === '.space' || head === '.align';
    const r = symbolItems(a, doc, line, ctx.word, layout);
    if (!r.complete) incomplete = true;
    const items = edit(r.items);
    return { isIncomplete: incomplete, items };
  }
  const def = instructionByName(head);
  if (!def) {
    const items = [...edit(REGISTER_ITEMS), ...symbols()];
    return { isIncomplete: incomplete, items };
  }
  // The slot kinds of the forms that still fit the operands typed so far.
  const stmt = doc.info(line).stmt;
  const typed = stmt && stmt.kind === 'instruction' ? stmt.operands.filter((o) => o.end < ctx.wordStart) : [];
  const kinds = new Set<OperandKind>();
  for (const f of def.forms) {
    if (f.operands.length <= ctx.index) continue;
    if (typed.slice(0, ctx.index).every((o, i) => accepts(f.operands[i], o, true))) kinds.add(f.operands[ctx.index]);
  }
  if (kinds.size === 0) for (const f of def.forms) if (f.operands.length > ctx.index) kinds.add(f.operands[ctx.index]);
  const items: CompletionItem[] = [];
  const has = (...k: OperandKind[]) => k.some((x) => kinds.has(x));
  if (ctx.inBracket) {
    // A base register goes first (`[r2 + ...`); after it, only a displacement: no register may follow.
    const afterBase = /\[\s*[A-Za-z_][\w]*\s*[-+]/.test(doc.lines[line].slice(0, ctx.wordStart));
    items.push(...(afterBase ? [] : edit(REGISTER_ITEMS)), ...symbols());
    return { isIncomplete: incomplete, items };
  }
  if (has('reg')) items.push(...edit(REGISTER_ITEMS));
  if (has('sreg')) items.push(...edit(def.mnemonic === 'wrsr' ? SYSREG_ITEMS.filter((s) => s.label !== 'status') : SYSREG_ITEMS));
  if (has('field')) items.push(...edit(def.mnemonic === 'vmwrite' ? FIELD_ITEMS.filter((f) => f.detail === 'VMCS field') : FIELD_ITEMS));
  // `in` reads a port, `out` writes one: only the ports that go that way.
  if (has('port')) items.push(...edit(PORT_ITEMS.filter((_, k) => PORTS[k].dir === (def.mnemonic === 'in' ? 'in' : 'out'))));
  if (has('vector')) items.push(...edit(VECTOR_ITEMS));
  if (has('mreg', 'mdisp', 'mabs')) items.push(...edit([{ label: '[reg + disp]', kind: CompletionItemKind.Snippet, insertText: '[${1:r1} + ${2:0}]', insertTextFormat: InsertTextFormat.Snippet, filterText: '[' }]));
  if (has('imm', 'mabs', 'port', 'vector')) items.push(...symbols());
  return { isIncomplete: incomplete, items };
}
