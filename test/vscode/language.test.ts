// Language features through VS Code's own command layer (vscode.execute*Provider), i.e. the
// language client, the server process and the service behind it, as the editor calls them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { instructionByName } from '../../emulator/isa/table';
import { api, helloUri, lineOf, nextEvent } from './util';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** An untitled r32asm buffer; closed again (unsaved) by closeScratch, so no save prompt ever blocks. */
const scratch: vscode.TextDocument[] = [];
async function scratchDoc(content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'r32asm', content });
  scratch.push(doc);
  return doc;
}
async function closeScratch(): Promise<void> {
  for (const doc of scratch.splice(0)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

describe('R32 assembly language features', () => {
  let hello: vscode.TextDocument;

  after(closeScratch);

  before(async () => {
    hello = await vscode.workspace.openTextDocument(await helloUri());
    assert.equal(await (await api()).languageClientReady(), true, 'the language server did not start');
  });

  it('hover on a mnemonic shows its entry from the instruction table', async () => {
    const line = lineOf(hello, /^\s+syscall\b/);
    const col = hello.lineAt(line).text.indexOf('syscall') + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', hello.uri, new vscode.Position(line, col));
    const text = hoverText(hovers);
    const def = instructionByName('syscall');
    assert.ok(def);
    assert.ok(text.includes(def.summary), `hover does not quote the table's summary "${def.summary}":\n${text}`);
  });

  it('inline values while stopped: each register of the function at its last mention up to the stopped line', async () => {
    const entry = lineOf(hello, /^syscall_entry:/);
    const stop = entry + 3;
    const values = await vscode.commands.executeCommand<vscode.InlineValue[]>('vscode.executeInlineValueProvider', hello.uri, new vscode.Range(0, 0, hello.lineCount, 0), {
      frameId: 1,
      stoppedLocation: new vscode.Range(stop, 0, stop, 0),
    });
    const shown = values.map((v) => `${v.range.start.line - entry}:${'variableName' in v ? String(v.variableName) : '?'}`);
    assert.ok(shown.length > 0 && shown.every((x) => Number(x.split(':')[0]) >= 0 && Number(x.split(':')[0]) <= 3), `values outside syscall_entry..stop: ${shown.join(' ')}`);
    // r0's value now is the one `mov r6, r0` reads, not necessarily the one `cmp r0, …` compared.
    assert.ok(shown.includes('3:r0') && !shown.includes('1:r0'), `r0 not (only) on 'mov r6, r0': ${shown.join(' ')}`);
  });

  it('completion at the start of an instruction offers the mnemonics', async () => {
    const doc = await scratchDoc('_start:\n        \n');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 8));
    const labels = new Set(list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
    for (const m of ['mov', 'syscall', 'iret', 'wrsr']) assert.ok(labels.has(m), `completion lacks ${m} (got ${[...labels].slice(0, 20).join(', ')}…)`);
  });

  it('go to definition on a label finds where it is defined', async () => {
    const use = lineOf(hello, /^\s+jmp kmain\b/);
    const col = hello.lineAt(use).text.indexOf('kmain') + 1;
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', hello.uri, new vscode.Position(use, col));
    assert.ok(defs.length > 0, 'no definition');
    const d = defs[0];
    const uri = 'targetUri' in d ? d.targetUri : d.uri;
    const range = 'targetUri' in d ? (d.targetSelectionRange ?? d.targetRange) : d.range;
    assert.equal(uri.fsPath, hello.uri.fsPath);
    assert.equal(range.start.line, lineOf(hello, /^kmain:/));
  });

  it('a buffer with an unknown mnemonic gets a diagnostic', async () => {
    const doc = await scratchDoc('_start:\n        frobnicate r1\n');
    const errorsOf = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    if (errorsOf().length === 0) await nextEvent(vscode.languages.onDidChangeDiagnostics, `diagnostics for ${doc.uri}`, (e) => e.uris.some((u) => u.toString() === doc.uri.toString()) && errorsOf().length > 0);
    const [err] = errorsOf();
    assert.equal(err.range.start.line, 1);
    assert.match(err.message, /frobnicate/);
  });
});
