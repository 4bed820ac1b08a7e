// A debug session on samples/hello/hello.rasm through vscode.debug, as the editor drives it:
// stop on entry, a source breakpoint in the user program, a step into the system call, the
// panels' custom requests, both panels, the status bar, and the end of the session.
// The tests run in order and share the one session (each step needs the state before it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PageTablesResponseBody, StoppedEventBody, TransitionsResponseBody } from '../../debug-adapter/protocol';
import { DebugRecorder } from './debugRecorder';
import { api, eventually, fsPathOf, helloUri, lineOf } from './util';

describe('Debugging samples/hello/hello.rasm', () => {
  let rec: DebugRecorder;
  let doc: vscode.TextDocument;
  let session: vscode.DebugSession;
  let last: StoppedEventBody;
  /** 0-based lines in hello.rasm. */
  let syscallLine: number;
  let entryLine: number;

  before(async () => {
    rec = new DebugRecorder();
    // Breakpoints left by the UI tests would stop the program elsewhere.
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    doc = await vscode.workspace.openTextDocument(await helloUri());
    await vscode.window.showTextDocument(doc);
    const userMain = lineOf(doc, /^user_main:/);
    syscallLine = lineOf(doc, /^\s+syscall\b/);
    assert.ok(syscallLine > userMain, 'the first syscall comes after user_main');
    entryLine = lineOf(doc, /^syscall_entry:/);
  });

  after(() => rec.close(true));

  it('starts with stopOnEntry and stops at _start in ring 0', async () => {
    session = await rec.start({ type: 'ringside', request: 'launch', program: doc.uri.fsPath, stopOnEntry: true });
    last = await rec.nextStop(session);
    assert.equal(last.reason, 'entry');
    assert.equal(last.cpl, 0);
    const top = await rec.topFrame(session);
    assert.match(top.name, /_start/);
    assert.equal(fsPathOf(top.source?.path), doc.uri.fsPath);
    assert.equal((await api()).statusText(), 'ring 0 · kernel');
  });

  it('stops at a source breakpoint added with vscode.debug.addBreakpoints on the syscall line', async () => {
    const bp = new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(syscallLine, 0)));
    vscode.debug.addBreakpoints([bp]);
    // VS Code sends setBreakpoints on its own schedule: continue only once the adapter armed it.
    await rec.response(session, 'setBreakpoints', (r) => (r.body as { breakpoints: { verified: boolean; line?: number }[] }).breakpoints.some((b) => b.verified && b.line === syscallLine + 1));
    last = await rec.move(session, 'continue');
    assert.equal(last.reason, 'breakpoint');
    assert.equal(last.cpl, 3);
    const top = await rec.topFrame(session);
    assert.equal(top.line, syscallLine + 1);
    assert.match(top.name, /user_main/);
  });

  it('shows "ring 3 · user" in the status bar while stopped in user code', async () => {
    assert.equal((await api()).statusText(), 'ring 3 · user');
  });

  it('steps into the syscall and lands in syscall_entry at ring 0', async () => {
    last = await rec.move(session, 'stepIn');
    assert.equal(last.cpl, 0);
    const top = await rec.topFrame(session);
    assert.match(top.name, /syscall_entry/);
    // 1-based: the label is on line entryLine + 1, its first instruction on the next.
    assert.equal(top.line, entryLine + 2, `top frame at line ${top.line}, syscall_entry: is line ${entryLine + 1}`);
    assert.equal((await api()).statusText(), 'ring 0 · kernel');
  });

  it('answers pageTables with the user program mapped at 0x00400000', async () => {
    const pt = (await session.customRequest('pageTables', {})) as PageTablesResponseBody;
    assert.equal(pt.space.paging, true);
    const pages = pt.tables.flatMap((t) => t.pages);
    const user = pages.find((p) => p.va === 0x00400000);
    assert.ok(user, `no mapping at 0x00400000 among ${pages.length}`);
    assert.equal(user.target, 0x00200000);
    assert.ok(user.entry & 4, 'the user program page is user-accessible');
  });

  it('answers transitions with the syscall write from ring 3 to ring 0', async () => {
    const tr = (await session.customRequest('transitions', { start: 0, count: 100 })) as TransitionsResponseBody;
    const write = tr.events.find((e) => e.cause === 'syscall write');
    assert.ok(write, `causes: ${tr.events.map((e) => e.cause).join(', ')}`);
    assert.equal(write.fromCpl, 3);
    assert.equal(write.toCpl, 0);
    assert.equal(write.target, 'syscall_entry');
  });

  it('opens the Page Tables panel for the session, drawn from the adapter', async () => {
    const title = await vscode.commands.executeCommand<string>('ringside.openPageTables');
    assert.match(title, /Page Tables/);
    const ext = await api();
    await eventually('the Page Tables panel to draw the stop', () => ext.panels().some((p) => p.kind === 'pageTables' && p.sessionId === session.id && p.view?.view === 'state' && p.view.icount === last.icount), 15_000);
    const view = ext.panels().find((p) => p.kind === 'pageTables' && p.sessionId === session.id)!.view!;
    assert.match(view.text, /0x00400000/);
    assert.ok(view.rows > 0);
  });

  it('opens the Ring Transitions panel for the session, with the syscall write', async () => {
    const title = await vscode.commands.executeCommand<string>('ringside.openTransitions');
    assert.match(title, /Ring Transitions/);
    const ext = await api();
    await eventually('the Ring Transitions panel to draw the stop', () => ext.panels().some((p) => p.kind === 'transitions' && p.sessionId === session.id && p.view?.view === 'state' && p.view.icount === last.icount), 15_000);
    const view = ext.panels().find((p) => p.kind === 'transitions' && p.sessionId === session.id)!.view!;
    assert.match(view.text, /syscall write/);
    assert.equal(view.rows, 2, 'two transitions so far: the iret to ring 3 and the syscall');
    // One panel of each kind for the session: opening again reveals, never duplicates.
    await vscode.commands.executeCommand('ringside.openPageTables');
    assert.equal(ext.panels().filter((p) => p.sessionId === session.id).length, 2);
  });

  it('stops the session: it ends, the status bar clears and the panels say so', async () => {
    await vscode.debug.stopDebugging(session);
    await rec.ending(session);
    const ext = await api();
    await eventually('the status bar to clear', () => ext.statusText() === '');
    await eventually('both panels to let go of the session', () => ext.panels().filter((p) => p.sessionId === session.id).length === 0);
    // Both panels share a column, so one is hidden (its page discarded): reveal each in turn.
    for (const [command, kind] of [['ringside.openTransitions', 'transitions'], ['ringside.openPageTables', 'pageTables']] as const) {
      await vscode.commands.executeCommand(command);
      await eventually(`the ${kind} panel to say the session ended`, () => ext.panels().some((p) => p.kind === kind && p.view?.view === 'noSession' && /has ended/.test(p.view.text)));
    }
    assert.equal(ext.panels().length, 2, 'no new panel opened for a session that ended');
  });
});
