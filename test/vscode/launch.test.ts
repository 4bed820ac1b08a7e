// Starting sessions the ways a student does, and the ways that fail: F5 with no launch.json,
// a program path that does not exist, a program that does not assemble.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DebugRecorder } from './debugRecorder';
import { eventually, fixture, helloUri } from './util';

describe('Launching', () => {
  let rec: DebugRecorder;

  beforeEach(() => {
    rec = new DebugRecorder();
  });

  afterEach(() => rec.close());

  it('F5 without a launch.json: an empty configuration debugs the current file', async () => {
    const hello = await helloUri();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(hello));
    // F5's own command: with no launch.json VS Code picks the debugger from the active
    // editor's language and asks our provider to fill in an empty configuration.
    await vscode.commands.executeCommand('workbench.action.debug.start');
    const session = await rec.session(/Ringside/);
    assert.equal(session.type, 'ringside');
    assert.equal(session.configuration.program, hello.fsPath);
    const stop = await rec.nextStop(session);
    assert.equal(stop.reason, 'entry');
  });

  /**
   * VS Code shows a failed launch's message in a modal dialog and resolves startDebugging only
   * once it is dismissed (the e2e harness dismisses it, as a person would, and checks its
   * text). So these tests check the protocol and the session's end, not that promise.
   */
  function launchThatFails(name: string, program: string): void {
    void vscode.debug.startDebugging(undefined, { type: 'ringside', request: 'launch', name, program }).then((ok) => assert.equal(ok, false));
  }

  it('a program path that does not exist fails with the adapter\'s message', async () => {
    const name = 'ringside test: missing program';
    launchThatFails(name, fixture('no-such-file.rasm'));
    const session = await rec.session(name);
    const launch = await rec.response(session, 'launch');
    assert.equal(launch.success, false);
    assert.match(launch.message ?? '', /cannot read program .*no-such-file\.rasm: no such file/);
    await rec.ending(session);
  });

  it('a program that does not assemble fails with the assembler\'s errors, listed in the Problems view', async () => {
    const name = 'ringside test: broken program';
    const broken = vscode.Uri.file(fixture('broken.rasm'));
    launchThatFails(name, broken.fsPath);
    const session = await rec.session(name);
    const launch = await rec.response(session, 'launch');
    assert.equal(launch.success, false);
    assert.match(launch.message ?? '', /did not assemble[\s\S]*broken\.rasm:4:9: error: unknown instruction 'frobnicate'/);
    const errors = () => vscode.languages.getDiagnostics(broken).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    await eventually('the assembler error in the Problems view', () => errors().length > 0);
    assert.equal(errors()[0].range.start.line, 3);
    assert.match(errors()[0].message, /frobnicate/);
    await rec.ending(session);
  });
});
