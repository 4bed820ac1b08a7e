/** Neovim 0.10's client, with the capabilities it really declares: what it inserts and shows is code that assembles. */
import * as assert from 'assert';
import type { CodeAction, CompletionList, Diagnostic } from 'vscode-languageserver';
import { lines } from './helpers';
import { NEOVIM_CAPABILITIES } from './neovim';
import { session, type Session } from './session';

const MAIN = 'file:///w/main.rasm';
const doc = { textDocument: { uri: MAIN } };
const open = (s: Session, text: string) => s.client.sendNotification('textDocument/didOpen', { textDocument: { uri: MAIN, languageId: 'r32asm', version: 1, text } });
const complete = async (s: Session, line: number, character: number) => ((await s.client.sendRequest('textDocument/completion', { ...doc, position: { line, character } })) as CompletionList).items;

describe('lsp server and Neovim 0.10\'s client', () => {
  let s: Session;
  afterEach(() => s?.close());

  it('completion without snippets: one row per mnemonic, inserting only its name; the forms in detail', async () => {
    s = await session({}, { capabilities: NEOVIM_CAPABILITIES });
    await open(s, lines('main:', '\tm', '\thlt'));
    const items = await complete(s, 1, 2);
    const labels = items.map((i) => i.label);
    assert.deepStrictEqual(labels.filter((l, k) => labels.indexOf(l) !== k), [], 'no two rows alike');
    for (const i of items) {
      const text = i.textEdit?.newText ?? i.insertText ?? i.label;
      // Never a placeholder's name (`mov rd, rs`, `.equ NAME, 0`, `.include ""`): that does not assemble.
      assert.ok(text === i.label || text === i.label + ' ', `${i.label} inserts ${JSON.stringify(text)}`);
      assert.strictEqual(i.insertTextFormat ?? 1, 1);
    }
    const ld = items.find((i) => i.label === 'ld')!;
    assert.strictEqual(ld.detail, 'ld rd, [rb] | ld rd, [rb + disp] | ld rd, [addr]');
    assert.strictEqual(items.find((i) => i.label === '.equ')?.detail, '.equ NAME, expr');
    assert.strictEqual(items.find((i) => i.label === '.include')?.textEdit?.newText, '.include ');
  });

  it('completion with snippets but no label details: each form a row of its own, found by the mnemonic', async () => {
    const caps = structuredClone(NEOVIM_CAPABILITIES);
    caps.textDocument!.completion!.completionItem!.snippetSupport = true;
    s = await session({}, { capabilities: caps });
    await open(s, '\tm');
    const mov = (await complete(s, 0, 2)).filter((i) => i.filterText === 'mov');
    assert.deepStrictEqual(mov.map((i) => [i.label, i.textEdit?.newText]), [['mov rd, rs', 'mov ${1:rd}, ${2:rs}'], ['mov rd, imm', 'mov ${1:rd}, ${2:imm}']]);
  });

  it('a quick fix in a CRLF document inserts CRLF', async () => {
    s = await session({}, { capabilities: NEOVIM_CAPABILITIES });
    const ready = s.diagnostics(MAIN);
    await open(s, 'main:\r\n\tjmp undefd\r\n\tjmp .nope\r\n');
    const diagnostics = (await ready).diagnostics;
    const actions = (await s.client.sendRequest('textDocument/codeAction', { ...doc, range: diagnostics[0].range, context: { diagnostics } })) as CodeAction[];
    const texts = actions.flatMap((a) => a.edit!.changes![MAIN].map((e) => e.newText));
    assert.ok(texts.length >= 3 && texts.every((x) => x.includes('\r\n') && !/[^\r]\n/.test(x)), JSON.stringify(texts));
  });

  it('rename: the placeholder is the name as written, and a new name of another kind is refused (RequestFailed)', async () => {
    s = await session({}, { capabilities: NEOVIM_CAPABILITIES });
    await open(s, lines('main:', '.loop:\tjmp .loop'));
    const position = { line: 1, character: 2 };
    assert.strictEqual(((await s.client.sendRequest('textDocument/prepareRename', { ...doc, position })) as { placeholder: string }).placeholder, '.loop');
    await assert.rejects(s.client.sendRequest('textDocument/rename', { ...doc, position, newName: 'loop2' }), (e: { code?: number; message?: string }) => e.code === -32803 && /'\.name'/.test(e.message ?? ''));
    const edit = (await s.client.sendRequest('textDocument/rename', { ...doc, position, newName: '.loop2' })) as { changes: Record<string, { newText: string }[]> };
    assert.deepStrictEqual(edit.changes[MAIN].map((e) => e.newText), ['.loop2', '.loop2']);
  });

  it('messages name other places as hovers do: relative to the workspace, also after an edit', async () => {
    s = await session({ '/w/inc/lib.rasm': 'a: nop\n' }, { capabilities: NEOVIM_CAPABILITIES });
    let ready = s.diagnostics(MAIN);
    await open(s, lines('.include "inc/lib.rasm"', 'a: nop', '.org 0', '.word 1'));
    const said = (ds: Diagnostic[]) => ds.map((d) => d.message).filter((m) => / at |from /.test(m));
    assert.deepStrictEqual(said((await ready).diagnostics), [
      "in included file inc/lib.rasm:1:1: 'a' is defined again at main.rasm:2",
      "duplicate label 'a' (first defined at inc/lib.rasm:1)",
      'region 0x00000000-0x00000003 overlaps region 0x00000000-0x00000007 (from main.rasm:1)',
    ]);
    // An edit that only moves addresses is patched in (incremental.ts): its overlap message too.
    const other = 'file:///w/other.rasm';
    ready = s.diagnostics(other);
    await s.client.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'r32asm', version: 1, text: lines('.org 0', '\tnop', '\tnop', '.org 8', '\tnop') } });
    assert.deepStrictEqual(said((await ready).diagnostics), []);
    ready = s.diagnostics(other);
    await s.client.sendNotification('textDocument/didChange', { textDocument: { uri: other, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 1 }, end: { line: 1, character: 4 } }, text: 'mov r1, 1' }] });
    assert.deepStrictEqual(said((await ready).diagnostics), ['region 0x00000008-0x0000000b overlaps region 0x00000000-0x0000000b (from other.rasm:1)']);
  });
});
