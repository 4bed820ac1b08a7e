/** The server over an in-memory connection pair: no sleeps, every wait is on a protocol message. */
import * as assert from 'assert';
import { lines } from './helpers';
import { session, type Session } from './session';

const MAIN = 'file:///w/main.rasm';
const LIB = 'file:///w/lib.rasm';
const open = (s: Session, uri: string, text: string, version = 1) =>
  s.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'r32asm', version, text } });
const pos = (line: number, character: number) => ({ line, character });

describe('lsp server (in-memory connection)', () => {
  let s: Session;
  afterEach(() => s?.close());

  it('advertises its features', async () => {
    s = await session({});
    const c = s.init.capabilities;
    assert.ok(c.hoverProvider && c.definitionProvider && c.referencesProvider && c.documentSymbolProvider && c.workspaceSymbolProvider);
    assert.deepStrictEqual(c.renameProvider, { prepareProvider: true });
    assert.strictEqual((c.textDocumentSync as { change: number }).change, 2, 'incremental sync');
    assert.ok((c.semanticTokensProvider as { legend: { tokenTypes: string[] } }).legend.tokenTypes.includes('keyword'));
    assert.ok(c.inlayHintProvider && c.foldingRangeProvider && c.documentFormattingProvider && c.codeActionProvider && c.documentLinkProvider);
  });

  it('publishes diagnostics on open and after an incremental edit, with the version', async () => {
    s = await session({});
    const first = s.diagnostics(MAIN);
    await open(s, MAIN, lines('start:', '    mob r1, 1', '    jmp start'));
    const d1 = await first;
    assert.strictEqual(d1.version, 1);
    assert.deepStrictEqual(d1.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['unknown-mnemonic', 1, 4, 7]]);
    const second = s.diagnostics(MAIN, (p) => p.version === 2);
    await s.client.sendNotification('textDocument/didChange', { textDocument: { uri: MAIN, version: 2 }, contentChanges: [{ range: { start: pos(1, 5), end: pos(1, 7) }, text: 'ov' }] });
    assert.deepStrictEqual((await second).diagnostics, []);
  });

  it('hover, completion, signature help and definition over the wire', async () => {
    s = await session({ '/w/lib.rasm': 'helper: ret' });
    const ready = s.diagnostics(MAIN);
    await open(s, MAIN, lines('.include "lib.rasm"', '    call helper', '    rdsr r1, '));
    await ready;
    const hover = (await s.client.sendRequest('textDocument/hover', { textDocument: { uri: MAIN }, position: pos(1, 6) })) as { contents: { value: string } };
    assert.match(hover.contents.value, /\*\*call\*\*/);
    const comp = (await s.client.sendRequest('textDocument/completion', { textDocument: { uri: MAIN }, position: pos(2, 13) })) as { items: { label: string }[] };
    assert.ok(comp.items.some((i) => i.label === 'cr3'));
    const sig = (await s.client.sendRequest('textDocument/signatureHelp', { textDocument: { uri: MAIN }, position: pos(2, 13) })) as { signatures: { label: string }[]; activeParameter: number };
    assert.deepStrictEqual([sig.signatures[0].label, sig.activeParameter], ['rdsr rd, SR', 1]);
    const def = (await s.client.sendRequest('textDocument/definition', { textDocument: { uri: MAIN }, position: pos(1, 10) })) as { uri: string; range: { start: { line: number } } }[];
    assert.deepStrictEqual(def.map((d) => [d.uri, d.range.start.line]), [[LIB, 0]]);
  });

  it('rename and references across an included file, with file URIs', async () => {
    s = await session({ '/w/lib.rasm': 'helper: jmp helper' });
    const ready = s.diagnostics(MAIN);
    await open(s, MAIN, lines('.include "lib.rasm"', '    call helper'));
    await ready;
    const refs = (await s.client.sendRequest('textDocument/references', { textDocument: { uri: MAIN }, position: pos(1, 10), context: { includeDeclaration: true } })) as { uri: string }[];
    assert.deepStrictEqual(refs.map((r) => r.uri).sort(), [LIB, LIB, MAIN]);
    const edit = (await s.client.sendRequest('textDocument/rename', { textDocument: { uri: MAIN }, position: pos(1, 10), newName: 'assist' })) as { changes: Record<string, { newText: string }[]> };
    assert.deepStrictEqual(Object.keys(edit.changes).sort(), [LIB, MAIN]);
    assert.deepStrictEqual(edit.changes[LIB].map((e) => e.newText), ['assist', 'assist']);
    await assert.rejects(s.client.sendRequest('textDocument/rename', { textDocument: { uri: MAIN }, position: pos(1, 10), newName: 'r3' }), /register name/);
  });

  it('an open included file: editing it re-diagnoses the file that includes it', async () => {
    s = await session({ '/w/lib.rasm': 'helper: ret' });
    let ready = s.diagnostics(MAIN);
    await open(s, MAIN, lines('.include "lib.rasm"', '    call helper'));
    assert.deepStrictEqual((await ready).diagnostics, []);
    ready = s.diagnostics(LIB);
    await open(s, LIB, 'helper: ret');
    await ready;
    const mainAgain = s.diagnostics(MAIN, (p) => p.diagnostics.length > 0);
    await s.client.sendNotification('textDocument/didChange', { textDocument: { uri: LIB, version: 2 }, contentChanges: [{ range: { start: pos(0, 0), end: pos(0, 6) }, text: 'other' }] });
    const d = await mainAgain;
    assert.deepStrictEqual(d.diagnostics.map((x) => x.code), ['undefined-symbol']);
    const cleared = s.diagnostics(LIB, (p) => p.diagnostics.length === 0 && p.version === undefined);
    await s.client.sendNotification('textDocument/didClose', { textDocument: { uri: LIB } });
    await cleared;
  });

  it('document features: symbols, tokens, folding, links, formatting, code actions, inlay hints', async () => {
    s = await session({ '/w/lib.rasm': '' });
    const text = lines('.include "lib.rasm"', 'main:', '  mov r1,1 ; one', '.l: jmp .l', '    jmp mian');
    const ready = s.diagnostics(MAIN);
    await open(s, MAIN, text);
    const diags = (await ready).diagnostics;
    const doc = { textDocument: { uri: MAIN } };
    const syms = (await s.client.sendRequest('textDocument/documentSymbol', doc)) as { name: string; children?: { name: string }[] }[];
    assert.deepStrictEqual(syms.map((x) => [x.name, x.children?.map((c) => c.name)]), [['main', ['.l']]]);
    const tokens = (await s.client.sendRequest('textDocument/semanticTokens/full', doc)) as { data: number[] };
    assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
    const folds = (await s.client.sendRequest('textDocument/foldingRange', doc)) as { startLine: number; endLine: number }[];
    assert.deepStrictEqual(folds.map((f) => [f.startLine, f.endLine]), [[1, 4]]);
    const links = (await s.client.sendRequest('textDocument/documentLink', doc)) as { target: string }[];
    assert.deepStrictEqual(links.map((l) => l.target), [LIB]);
    const fmt = (await s.client.sendRequest('textDocument/formatting', { ...doc, options: { tabSize: 4, insertSpaces: true } })) as { newText: string }[];
    assert.ok(fmt.some((e) => e.newText === '        mov r1, 1 ; one'));
    const actions = (await s.client.sendRequest('textDocument/codeAction', { ...doc, range: diags[0].range, context: { diagnostics: diags } })) as { title: string; edit: { changes: Record<string, unknown> } }[];
    assert.ok(actions.some((a) => a.title === "Change to 'main'" && Object.keys(a.edit.changes)[0] === MAIN));
    const hints = (await s.client.sendRequest('textDocument/inlayHint', { ...doc, range: { start: pos(0, 0), end: pos(5, 0) } })) as { label: string }[];
    assert.deepStrictEqual(hints.map((h) => h.label), ['0x00000000', '0x00000008']);
  });

  it('semantic tokens: a delta after an edit, applied to the last result, equals the full tokens; an unknown result id gets full tokens', async () => {
    s = await session({});
    const doc = { textDocument: { uri: MAIN } };
    let ready = s.diagnostics(MAIN);
    await open(s, MAIN, lines('main:', '    mov r1, 1', '    jmp main', '.equ SIZE, 4', '    add r1, SIZE'));
    await ready;
    const first = (await s.client.sendRequest('textDocument/semanticTokens/full', doc)) as { resultId: string; data: number[] };
    assert.ok(first.resultId, 'full results carry an id');
    ready = s.diagnostics(MAIN, (p) => p.version === 2);
    await s.client.sendNotification('textDocument/didChange', { textDocument: { uri: MAIN, version: 2 }, contentChanges: [{ range: { start: pos(2, 4), end: pos(2, 12) }, text: 'call main\n    ld r2, [r1]' }] });
    await ready;
    const delta = (await s.client.sendRequest('textDocument/semanticTokens/full/delta', { ...doc, previousResultId: first.resultId })) as { resultId: string; edits: { start: number; deleteCount: number; data: number[] }[] };
    assert.ok(Array.isArray(delta.edits) && delta.edits.length === 1, JSON.stringify(delta));
    const patched = [...first.data];
    for (const e of delta.edits) patched.splice(e.start, e.deleteCount, ...e.data);
    const full = (await s.client.sendRequest('textDocument/semanticTokens/full', doc)) as { data: number[] };
    assert.deepStrictEqual(patched, full.data);
    assert.ok(delta.edits[0].data.length < full.data.length, 'the edit is smaller than the whole');
    const stale = (await s.client.sendRequest('textDocument/semanticTokens/full/delta', { ...doc, previousResultId: 'nope' })) as { data?: number[] };
    assert.deepStrictEqual(stale.data, full.data, 'an id the server no longer has: full tokens');
  });

  it('collects the young generation before it opens a large file (about 3,000 lines and more), not a small one, and not on an edit', async () => {
    const calls: string[] = [];
    s = await session({}, { collectYoung: () => calls.push('collect') });
    const small = lines('start:', '    mov r1, 1', '    jmp start');
    const big = Array.from({ length: 4_000 }, (_, i) => `l${i}:    add r1, ${i}   ; line ${i}`).join('\n');
    assert.ok(big.length >= 100_000, `${big.length} characters`);
    for (const [uri, text] of [[MAIN, small], [LIB, big]]) {
      const ready = s.diagnostics(uri);
      calls.push(`open ${uri}`);
      await open(s, uri, text);
      await ready;
      calls.push('diagnosed');
    }
    const edited = s.diagnostics(LIB, (p) => p.version === 2);
    await s.client.sendNotification('textDocument/didChange', { textDocument: { uri: LIB, version: 2 }, contentChanges: [{ range: { start: pos(0, 0), end: pos(0, 0) }, text: ' ' }] });
    await edited;
    assert.deepStrictEqual(calls, [`open ${MAIN}`, 'diagnosed', `open ${LIB}`, 'collect', 'diagnosed']);
  });

  it('survives malformed requests and unknown documents', async () => {
    s = await session({});
    assert.strictEqual(await s.client.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///w/none.rasm' }, position: pos(0, 0) }), null);
    assert.strictEqual(await s.client.sendRequest('textDocument/hover', { textDocument: { uri: MAIN } }), null);
    await s.client.sendNotification('textDocument/didChange', { textDocument: { uri: MAIN, version: 9 }, contentChanges: [{ text: 'x' }] });
    const ready = s.diagnostics(MAIN);
    await open(s, MAIN, '    nop');
    assert.deepStrictEqual((await ready).diagnostics, []);
  });
});
