// The extension as VS Code sees it: manifest, activation, language and command contributions.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { figure } from './figures';
import { helloUri, eventually, ringside } from './util';

describe('Ringside extension', () => {
  it('is installed with the manifest we ship', () => {
    const pkg = ringside().packageJSON as { name: string; main: string; activationEvents: string[] };
    assert.equal(pkg.name, 'ringside');
    assert.equal(pkg.main, './dist/extension.js');
    assert.ok(pkg.activationEvents.includes('onLanguage:r32asm'));
  });

  it('activates when a .rasm file is opened and exports its API', async () => {
    const doc = await vscode.workspace.openTextDocument(await helloUri());
    await vscode.window.showTextDocument(doc);
    const ext = ringside();
    await eventually('activation via onLanguage:r32asm', () => ext.isActive);
    assert.equal(ext.exports.version, (ext.packageJSON as { version: string }).version);
    // A benchmark figure, not an assertion: machines differ.
    assert.ok(Number.isFinite(ext.exports.activationMs) && ext.exports.activationMs >= 0);
    figure('activation (bundle evaluation + activate())', ext.exports.activationMs, 'ms', '≤100 ms');
    figure('  of which evaluating the bundle', ext.exports.activationParts.loadMs, 'ms', 'part of the 100 ms');
    await eventually('the language client to start', () => ext.exports.languageClientStartMs() !== undefined);
    figure('then the language client, after activation', ext.exports.languageClientStartMs()!, 'ms', 'reference');
  });

  it('registers the r32asm language for .rasm files', async () => {
    assert.ok((await vscode.languages.getLanguages()).includes('r32asm'));
    const doc = await vscode.workspace.openTextDocument(await helloUri());
    assert.equal(doc.languageId, 'r32asm');
  });

  it('contributes ringside.showVersion, which returns the version', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('ringside.showVersion'));
    const v = await vscode.commands.executeCommand<string>('ringside.showVersion');
    assert.equal(v, ringside().exports.version);
  });
});
