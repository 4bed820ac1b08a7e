// The panels apart from the hello walk-through: with no session, and how fast a refresh after
// a stop is for a 1,000-page address space (a figure for the benchmark, asserted loosely).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DebugRecorder } from './debugRecorder';
import { figure, median } from './figures';
import type { TransitionsResponseBody } from '../../debug-adapter/protocol';
import { api, eventually, fixture, helloUri } from './util';

async function closePanels(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const ext = await api();
  await eventually('every panel to close', () => ext.panels().length === 0);
}

describe('Panels', () => {
  let rec: DebugRecorder;

  beforeEach(async () => {
    rec = new DebugRecorder();
    await closePanels();
  });

  afterEach(() => rec.close(true));

  for (const [command, kind] of [['ringside.openPageTables', 'pageTables'], ['ringside.openTransitions', 'transitions']] as const) {
    it(`${command} with no debug session says so`, async () => {
      assert.equal(vscode.debug.activeDebugSession, undefined);
      const title = await vscode.commands.executeCommand<string>(command);
      assert.equal(typeof title, 'string');
      const ext = await api();
      await eventually(`the ${kind} panel to draw`, () => ext.panels().some((p) => p.kind === kind && p.view !== undefined));
      const view = ext.panels().find((p) => p.kind === kind)!.view!;
      assert.equal(view.view, 'noSession');
      assert.match(view.text, /No Ringside debug session/);
    });
  }

  it('says "running" once the program keeps running, not between steps; draws the stop again on pause', async () => {
    // The program open first, as in the test below: the stop reveals it in its own group, not over the panel.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('spin.rasm')));
    const session = await rec.start({ type: 'ringside', request: 'launch', program: fixture('spin.rasm'), stopOnEntry: true });
    let stop = await rec.nextStop(session);
    await vscode.commands.executeCommand('ringside.openPageTables');
    const ext = await api();
    const view = () => ext.panels().find((p) => p.kind === 'pageTables' && p.sessionId === session.id)?.view;
    const seen = () => ({ stop, panels: ext.panels().map((p) => ({ ...p, view: p.view && { ...p.view, text: p.view.text.slice(0, 300) } })) });
    await eventually('the stop drawn', () => view()?.view === 'state' && view()?.icount === stop.icount, 15_000, seen);
    // Steps: each is a resume and a stop microseconds apart; the panel goes from stop to stop.
    for (let i = 0; i < 3; i++) {
      stop = await rec.move(session, 'next');
      await eventually(`stop ${stop.icount} drawn`, () => view()?.view === 'state' && view()?.icount === stop.icount);
      assert.notEqual(ext.statusText(), '', 'the status bar keeps the ring between steps');
    }
    await session.customRequest('continue', { threadId: 1 });
    await eventually('the panel to say the program runs', () => view()?.view === 'running');
    assert.match(view()!.text, /is running/);
    await eventually('the status bar to clear while it runs', () => ext.statusText() === '');
    const paused = rec.nextStop(session);
    await session.customRequest('pause', { threadId: 1 });
    stop = await paused;
    await eventually('the pause drawn', () => view()?.view === 'state' && view()?.icount === stop.icount);
    assert.equal(ext.statusText(), 'ring 0 · kernel');
  });

  it('says "running" during a reverse continue (the adapter\'s continued event), and draws the stop it finds', async () => {
    const program = fixture('longrun.rasm');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(program));
    const lines = (await vscode.workspace.openTextDocument(program)).getText().split('\n');
    const at = (marker: string) => new vscode.Location(vscode.Uri.file(program), new vscode.Position(lines.findIndex((l) => l.includes(marker)), 0));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(at('; START')), new vscode.SourceBreakpoint(at('; END'))]);
    const session = await rec.start({ type: 'ringside', request: 'launch', program, history: 100_000_000 });
    const start = await rec.nextStop(session);
    await vscode.commands.executeCommand('ringside.openPageTables');
    const ext = await api();
    const view = () => ext.panels().find((p) => p.kind === 'pageTables' && p.sessionId === session.id)?.view;
    const end = await rec.move(session, 'continue');
    await eventually('the end drawn', () => view()?.view === 'state' && view()?.icount === end.icount);
    assert.notEqual(ext.statusText(), '');
    // 90 million instructions to search back through (within the 100 million of history): about a
    // second, long past the running notice.
    const back = rec.move(session, 'reverseContinue');
    await eventually('the panel to say the program runs while it goes back', () => view()?.view === 'running', 10_000, () => ({ view: view()?.view, status: ext.statusText() }));
    await eventually('the status bar to clear while it goes back', () => ext.statusText() === '');
    const found = await back;
    assert.equal(found.icount, start.icount, 'back at the breakpoint at the start');
    await eventually('the stop drawn', () => view()?.view === 'state' && view()?.icount === found.icount);
    assert.notEqual(ext.statusText(), '');
  });

  it('the Ring Transitions panel follows steps that cross no ring without asking the adapter again', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('spin.rasm')));
    const session = await rec.start({ type: 'ringside', request: 'launch', program: fixture('spin.rasm'), stopOnEntry: true });
    let stop = await rec.nextStop(session);
    await vscode.commands.executeCommand('ringside.openTransitions');
    const ext = await api();
    const view = () => ext.panels().find((p) => p.kind === 'transitions' && p.sessionId === session.id)?.view;
    await eventually('the first drawing', () => view()?.view === 'state' && view()?.icount === stop.icount);
    const asked = rec.responseCount(session, 'transitions');
    assert.ok(asked > 0, 'the first drawing asked for the transitions');
    for (let i = 0; i < 3; i++) {
      stop = await rec.command(session, 'workbench.action.debug.stepOver');
      await eventually(`stop ${stop.icount} drawn`, () => view()?.view === 'state' && view()?.icount === stop.icount);
    }
    assert.equal(rec.responseCount(session, 'transitions'), asked, 'no transitions request for steps with no new transition');
    assert.match(view()!.text, /0 transitions up to step/);
  });

  it('Ring Transitions keeps the transitions after a travel back, greyed, when its page is hidden and shown again', async () => {
    const uri = await helloUri();
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // hello's last system call: by then it has made 6 ring transitions.
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('sys_exit')]);
    const session = await rec.start({ type: 'ringside', request: 'launch', program: uri.fsPath });
    const stop = await rec.nextStop(session);
    assert.ok(stop.transitions >= 4, `${stop.transitions} transitions at sys_exit`);
    await vscode.commands.executeCommand('ringside.openTransitions');
    const ext = await api();
    const view = () => ext.panels().find((p) => p.kind === 'transitions' && p.sessionId === session.id)?.view;
    await eventually('the transitions drawn', () => view()?.view === 'state' && view()?.icount === stop.icount, 15_000, () => view());
    // Back to the second transition, as a click on its row does: the ones after it stay, greyed.
    const { events } = (await session.customRequest('transitions', { start: 0, count: 2 })) as TransitionsResponseBody;
    const there = await rec.move(session, 'timeTravel', { icount: events[1].icount });
    const later = () => Number(/, (\d+) after it \(greyed\)/.exec(view()?.text ?? '')?.[1] ?? 0);
    await eventually('the travel back drawn, with the later transitions greyed', () => view()?.icount === there.icount && later() > 0, 15_000, () => view()?.text);
    const greyed = later();
    // Hidden: an editor opened over the panel in its own group (as VS Code does with the stop's
    // source when the panel's group is active). VS Code discards the hidden page.
    const groupOfPanel = () => vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('ringside.transitions')));
    const column = groupOfPanel()?.viewColumn;
    assert.ok(column !== undefined, 'no tab group holds the panel');
    const drawn = view();
    await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false });
    await eventually('the panel hidden behind the editor', () => groupOfPanel()?.activeTab?.input instanceof vscode.TabInputText);
    // Shown again: its page loads afresh and must list the same transitions, the greyed ones too.
    await vscode.commands.executeCommand('ringside.openTransitions');
    await eventually('the panel drawn again', () => view() !== drawn && view()?.view === 'state' && view()?.icount === there.icount, 15_000, () => view());
    assert.equal(later(), greyed, `after hide and show: ${view()!.text.slice(0, 300)}`);
  });

  it('shows a VM\'s guest table and its EPT side by side, and the 8-read walk of a guest address', async () => {
    const [uri] = await vscode.workspace.findFiles('hypervisor-ept/hypervisor-ept.rasm', undefined, 1);
    assert.ok(uri, 'samples/hypervisor-ept is not in the workspace');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // The guest OS's user program: ring 3 inside VM 1, guest paging on, under EPT.
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('gos_user')]);
    const session = await rec.start({ type: 'ringside', request: 'launch', program: uri.fsPath });
    const stop = await rec.nextStop(session);
    assert.deepStrictEqual([stop.vm, stop.cpl], [1, 3], stop.text);
    await vscode.commands.executeCommand('ringside.openPageTables');
    const ext = await api();
    const view = () => ext.panels().find((p) => p.kind === 'pageTables' && p.sessionId === session.id)?.view;
    await eventually('the VM\'s tables drawn', () => view()?.view === 'state' && view()?.icount === stop.icount, 15_000, () => ({ stop, view: view() }));
    const text = view()!.text;
    for (const want of ['Guest page table of VM 1', 'EPT of VM 1', 'Guest-physical → host-physical', '8 memory reads']) assert.ok(text.includes(want), `no "${want}" in: ${text}`);
    assert.match(text, /VM 1 ring 3/);
    // The header gives both clocks: the cycle count from the stop, beside the step count.
    assert.ok(typeof stop.cycles === 'number' && stop.cycles > stop.icount, `cycles ${stop.cycles} at step ${stop.icount}`);
    assert.ok(text.includes(`step ${stop.icount} · ${stop.cycles.toLocaleString('en-US')} cycles · pc`), text);
  });

  it('refreshes the Page Tables panel after each stop for a 1,000-page address space', async function () {
    // 16 stops, 8 redraws and 14 timed requests, each stop also awaited in the editor: on a
    // machine shared with other runs that takes longer than mocha's 20 s (the figures' own
    // bounds below are what this test holds).
    this.timeout(60_000);
    const program = fixture('pages1000.rasm');
    // As a student would: the program open in an editor, then F5 (the stop reveals the source
    // in that editor's group, not over the panel).
    const doc = await vscode.workspace.openTextDocument(program);
    await vscode.window.showTextDocument(doc);
    const mapped = doc.getText().split('\n').findIndex((l) => l.startsWith('mapped:'));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(mapped + 1, 0)))]);
    const session = await rec.start({ type: 'ringside', request: 'launch', program, stopOnEntry: false });
    let stop = await rec.nextStop(session);
    assert.equal(stop.reason, 'breakpoint');
    await vscode.commands.executeCommand('ringside.openPageTables');
    const ext = await api();
    const drawn = (icount: number) => ext.panels().find((p) => p.kind === 'pageTables' && p.sessionId === session.id && p.view?.view === 'state' && p.view.icount === icount && p.view.refreshMs !== undefined)?.view;
    const state = () => ({ stop, panels: ext.panels().map((p) => ({ ...p, view: p.view && { ...p.view, text: p.view.text.slice(0, 200) } })) });
    await eventually('the first drawing', () => drawn(stop.icount) !== undefined, 15_000, state);
    assert.ok(drawn(stop.icount)!.rows >= 1000, `the panel drew ${drawn(stop.icount)!.rows} rows, expected one per page`);
    // Back and forth over one instruction: every stop is a full refresh of 1,000 pages.
    const refresh: number[] = [];
    const render: number[] = [];
    const host: number[] = [];
    const relay: number[] = [];
    // VS Code's own update for the same stop, for comparison: it moves the editor's selection to
    // the stopped line, which the extension host hears of (a trip back included).
    const editor: number[] = [];
    const moved: number[] = [];
    const sub = vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor.document.uri.fsPath === doc.uri.fsPath) moved.push(Date.now());
    });
    for (let i = 0; i < 16; i++) {
      // Stops alternate between two instruction counts: a new drawing is a new view object.
      const before = drawn(stop.icount);
      // As a student steps: through VS Code's own step commands (F10, and Step Back).
      stop = await rec.command(session, i % 2 === 0 ? 'workbench.action.debug.stepOver' : 'workbench.action.debug.stepBack');
      await eventually(`the drawing of stop ${stop.icount}`, () => drawn(stop.icount) !== undefined && drawn(stop.icount) !== before, 15_000, state);
      refresh.push(drawn(stop.icount)!.refreshMs!);
      render.push(drawn(stop.icount)!.renderMs);
      host.push(drawn(stop.icount)!.hostMs ?? NaN);
      relay.push(drawn(stop.icount)!.relayMs ?? NaN);
      const at = drawn(stop.icount)!.marks!.stop;
      await eventually('the editor to show the stop', () => moved.some((t) => t >= at), 15_000, state);
      editor.push(moved.find((t) => t >= at)! - at);
    }
    sub.dispose();
    // The same refresh with no stop: VS Code is otherwise idle (no stack, variables or editor to update).
    const quiet: number[] = [];
    const quietRelay: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = drawn(stop.icount);
      ext.refreshPanels();
      await eventually('a redrawing with no stop', () => drawn(stop.icount) !== undefined && drawn(stop.icount) !== before, 15_000, state);
      quiet.push(drawn(stop.icount)!.refreshMs!);
      quietRelay.push(drawn(stop.icount)!.relayMs ?? NaN);
    }
    figure('panel refresh after a stop, 1,000 pages, in VS Code', median(refresh), 'ms', '≤50 ms');
    figure('  of which in the extension host, until posted', median(host), 'ms', 'part of the 50 ms');
    figure('  of which the trip from host to page (postMessage)', median(relay), 'ms', 'part of the 50 ms');
    figure('  of which webview render + layout', median(render), 'ms', 'part of the 50 ms');
    figure('  VS Code\'s own editor, for the same stops', median(editor), 'ms', 'reference');
    figure('  the same refresh with VS Code idle (no stop)', median(quiet), 'ms', 'reference');
    figure('    of which the trip from host to page', median(quietRelay), 'ms', 'reference');
    // Where the time goes: one small request, and the 1,000-page answer, through VS Code
    // (medians, as all these figures).
    const timed = async (command: string, args: unknown) => {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await session.customRequest(command, args);
        ms.push(performance.now() - t);
      }
      return median(ms);
    };
    figure('  a threads request through VS Code, alone', await timed('threads', {}), 'ms', 'reference');
    figure('  a pageTables request through VS Code, alone', await timed('pageTables', { space: 0, limit: 8192 }), 'ms', 'reference');
    // The time is a figure (printed here, and a target of npm run bench:ext), not an assertion.
  });
});
