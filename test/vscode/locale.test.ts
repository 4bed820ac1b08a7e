// Ringside speaks VS Code's display language (vscode.env.language): the adapter's stop reason,
// the language server's hover and the extension's own text, each compared with the bundle's
// entry for that language. The suite runs them in English; the e2e harness runs them again in a
// code-server whose display language is Korean and checks that vscode.env.language was 'ko'.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { instructionByName } from '../../emulator/isa/table';
import { setLocale, t } from '../../language/l10n';
import { DebugRecorder } from './debugRecorder';
import { api, lineOf } from './util';

/** hello.rasm in the workspace: samples/ itself, or a course copy (samples/ inside it). */
async function hello(): Promise<vscode.TextDocument> {
  const [uri] = await vscode.workspace.findFiles('**/hello/hello.rasm', '**/node_modules/**', 1);
  assert.ok(uri, 'no hello/hello.rasm in the workspace');
  return vscode.workspace.openTextDocument(uri);
}

/** A template with {0}, {1}... as a pattern that accepts any argument. */
function pattern(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\d+\\\}/g, '.+')}$`);
}

describe('In the display language', function () {
  this.timeout(60_000);
  let rec: DebugRecorder;
  before(() => {
    rec = new DebugRecorder();
    // The expected text: this language's bundle, as the adapter and the server chose it.
    setLocale(vscode.env.language);
  });
  after(async () => {
    setLocale(undefined);
    try {
      await rec.stopAll();
    } finally {
      rec.dispose();
    }
  });

  it('the debugger\'s stop reason', async () => {
    const doc = await hello();
    const session = await rec.start({ type: 'ringside', request: 'launch', program: doc.uri.fsPath, stopOnEntry: true });
    const stop = await rec.nextStop(session);
    assert.equal(stop.reason, 'entry');
    assert.match(stop.text ?? '', pattern(t('stopped at the entry point _start ({0})')));
    await rec.stopAll();
  });

  it('the language server\'s hover on a mnemonic', async () => {
    const doc = await hello();
    assert.equal(await (await api()).languageClientReady(), true, 'the language server did not start');
    const line = lineOf(doc, /^\s+syscall\b/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, doc.lineAt(line).text.indexOf('syscall') + 2));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    const summary = instructionByName('syscall')!.summary;
    assert.ok(text.includes(t(summary)), `the hover does not say "${t(summary)}":\n${text}`);
  });
});
