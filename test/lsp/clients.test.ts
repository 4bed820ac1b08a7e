/**
 * Editors other than VS Code (Neovim's client, Helix, a plain test client): the server keeps the
 * LSP lifecycle and answers only in forms the client declared it reads.
 */
import * as assert from 'assert';
import type { ClientCapabilities, CompletionItem, CompletionList, Hover, SignatureHelp, SymbolInformation } from 'vscode-languageserver';
import { markdownToPlain, snippetPrefix } from '../../language/server/clientFit';
import { lines } from './helpers';
import { initializeParams, session, type Session } from './session';

const MAIN = 'file:///w/main.rasm';
const pos = (line: number, character: number) => ({ line, character });
const doc = { textDocument: { uri: MAIN } };
const open = (s: Session, text: string) => s.client.sendNotification('textDocument/didOpen', { textDocument: { uri: MAIN, languageId: 'r32asm', version: 1, text } });
const code = (e: unknown) => (e as { code?: number }).code;

/** A client that reads plain text only and declares none of the optional forms. */
const PLAIN: ClientCapabilities = {
  textDocument: {
    hover: { contentFormat: ['plaintext'] },
    completion: { completionItem: { snippetSupport: false, documentationFormat: ['plaintext'] } },
    signatureHelp: { signatureInformation: { documentationFormat: ['plaintext'], parameterInformation: { labelOffsetSupport: false } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: false },
    publishDiagnostics: { relatedInformation: false },
  },
};

describe('lsp server and other editors\' clients', () => {
  let s: Session;
  afterEach(() => s?.close());

  it('follows the lifecycle: nothing before initialize, initialize once, nothing after shutdown', async () => {
    s = await session({}, { initialize: false });
    await assert.rejects(s.client.sendRequest('textDocument/hover', { ...doc, position: pos(0, 0) }), (e) => code(e) === -32002);
    // Dropped: before initialize only exit is taken.
    await open(s, '    bogus');
    await s.client.sendRequest('initialize', initializeParams());
    await assert.rejects(s.client.sendRequest('initialize', initializeParams()), (e) => code(e) === -32600);
    // The document was never opened, and is not on disk: nothing to say about it.
    assert.strictEqual(await s.client.sendRequest('textDocument/hover', { ...doc, position: pos(0, 5) }), null);
    await open(s, '    nop');
    assert.ok(await s.client.sendRequest('textDocument/hover', { ...doc, position: pos(0, 5) }));
    assert.strictEqual(await s.client.sendRequest('shutdown'), null);
    await assert.rejects(s.client.sendRequest('textDocument/hover', { ...doc, position: pos(0, 5) }), (e) => code(e) === -32600);
  });

  it('answers a plain-text client in plain text, plain insert text, string labels and flat symbols', async () => {
    s = await session({ '/w/inc/x.rasm': '' }, { capabilities: PLAIN, initializationOptions: {} });
    const ready = s.diagnostics(MAIN);
    await open(s, lines('main:   mov r1, 1', '.l:     ld r2, [r1 + 4]', 'main:   nop', '.include "inc/'));
    const dup = (await ready).diagnostics.find((d) => d.code === 'duplicate-label');
    assert.ok(dup && dup.relatedInformation === undefined && /\nsecond definition \(main\.rasm:3\)$/.test(dup.message), JSON.stringify(dup));

    const hover = (await s.client.sendRequest('textDocument/hover', { ...doc, position: pos(0, 9) })) as Hover;
    const text = (hover.contents as { kind: string; value: string }).value;
    assert.strictEqual((hover.contents as { kind: string }).kind, 'plaintext');
    assert.ok(text.startsWith('mov — ') && !/\*\*|```|`/.test(text), text);

    const list = (await s.client.sendRequest('textDocument/completion', { ...doc, position: pos(2, 8) })) as CompletionList;
    const mov = list.items.find((i) => i.label === 'mov')!;
    // The operands are the user's to write: only the mnemonic is inserted, the forms are in detail.
    assert.deepStrictEqual([mov.insertTextFormat, mov.textEdit?.newText, mov.labelDetails, mov.detail], [1, 'mov ', undefined, 'mov rd, rs | mov rd, imm']);
    assert.ok(list.items.every((i) => i.insertTextFormat !== 2 && !(i.textEdit?.newText ?? i.insertText ?? '').includes('${')));
    const resolved = (await s.client.sendRequest('completionItem/resolve', mov)) as CompletionItem;
    assert.strictEqual((resolved.documentation as { kind: string }).kind, 'plaintext');
    const dirs = (await s.client.sendRequest('textDocument/completion', { ...doc, position: pos(3, 10) })) as CompletionList;
    assert.ok(dirs.items.some((i) => i.label.startsWith('inc')) && dirs.items.every((i) => i.command === undefined), 'no VS Code command for another editor');

    const sig = (await s.client.sendRequest('textDocument/signatureHelp', { ...doc, position: pos(1, 11) })) as SignatureHelp;
    assert.ok(sig.signatures.every((x) => x.parameters!.every((p) => typeof p.label === 'string' && x.label.includes(p.label))), JSON.stringify(sig));
    const syms = (await s.client.sendRequest('textDocument/documentSymbol', doc)) as SymbolInformation[];
    assert.deepStrictEqual(syms.map((x) => [x.name, x.containerName, x.location.uri]).slice(0, 2), [['main', undefined, MAIN], ['.l', 'main', MAIN]]);
    // Quick fixes are CodeAction literals with edits: a client that reads only commands gets none.
    assert.deepStrictEqual(await s.client.sendRequest('textDocument/codeAction', { ...doc, range: dup.range, context: { diagnostics: [dup] } }), []);
  });

  it('keeps VS Code\'s forms for VS Code: snippets, markdown, and its command to list a folder\'s files', async () => {
    s = await session({ '/w/inc/x.rasm': '' });
    await open(s, lines('main:   nop', '.include "'));
    const dirs = (await s.client.sendRequest('textDocument/completion', { ...doc, position: pos(1, 10) })) as CompletionList;
    assert.strictEqual(dirs.items.find((i) => i.label === 'inc/')?.command?.command, 'editor.action.triggerSuggest');
    const list = (await s.client.sendRequest('textDocument/completion', { ...doc, position: pos(0, 8) })) as CompletionList;
    assert.strictEqual(list.items.find((i) => i.label === 'mov')?.textEdit?.newText, 'mov ${1:rd}, ${2:rs}');
    const hover = (await s.client.sendRequest('textDocument/hover', { ...doc, position: pos(0, 9) })) as Hover;
    assert.strictEqual((hover.contents as { kind: string }).kind, 'markdown');
  });

  it('turns snippets into the text they insert for certain, and the hovers\' markdown into plain text', () => {
    assert.strictEqual(snippetPrefix('mov ${1:rd}, [${2:rb} + ${3:disp}]$0'), 'mov ');
    assert.strictEqual(snippetPrefix('.ring ${1|0,1,2,3|}'), '.ring ');
    assert.strictEqual(snippetPrefix('.include "${1}"'), '.include ');
    assert.strictEqual(snippetPrefix('st [${1:rb}], ${2:rs}'), 'st ');
    assert.strictEqual(snippetPrefix('[${1:r1} + ${2:0}]'), '[');
    assert.strictEqual(snippetPrefix('cost \\$5 $1'), 'cost $5 ');
    assert.strictEqual(markdownToPlain('**mov** — `x`\n\n```r32asm\nmov rd, rs\n```\n\n**A:** b  \nc [d](e)'), 'mov — x\n\n    mov rd, rs\n\nA: b\nc d (e)');
  });
});
