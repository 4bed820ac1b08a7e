// The course inside VS Code: an exercise's checks in the Testing view (run, and debug a failed
// check to its instruction), the walkthrough's context keys, and the course copied out of the
// installed extension.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DebugRecorder } from './debugRecorder';
import { api, eventually, fsPathOf, helloUri, lineOf, REPO } from './util';

const EX = path.join(REPO, 'exercises', '05-trap-and-emulate');
const CHECK = vscode.Uri.file(path.join(EX, 'check.json')).toString();

describe('Exercises in the Testing view', function () {
  // Grading runs the program one instruction at a time in the extension host: slow on a busy machine.
  this.timeout(60_000);
  let rec: DebugRecorder;
  before(async () => {
    rec = new DebugRecorder();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    // Opening the student's file lists its exercise, even outside the workspace folder.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(EX, 'emulate.rasm')));
  });
  after(() => rec.close());

  const item = async () => {
    const t = (await api()).exercises()!;
    await eventually('the exercise in the Testing view', () => t.controller.items.get(CHECK)?.children.size === 7);
    return { t, item: t.controller.items.get(CHECK)! };
  };
  const child = (i: vscode.TestItem, name: string) => {
    let found: vscode.TestItem | undefined;
    i.children.forEach((c) => {
      if (c.label === name) found = c;
    });
    assert.ok(found, `a check named '${name}'`);
    return found;
  };

  it('lists each check of the exercise, with its points, on the student\'s file', async () => {
    const { item: ex } = await item();
    assert.equal(ex.label, 'Exercise 5: a trap-and-emulate monitor step');
    const c = child(ex, 'the guest\'s console output comes through');
    assert.equal(c.description, '2 points');
    assert.equal(c.uri?.fsPath, path.join(EX, 'emulate.rasm'));
  });

  it('Run grades the starting file: pass/fail per check, expected/actual at the line where it failed', async () => {
    const { t, item: ex } = await item();
    await t.runProfile.runHandler(new vscode.TestRunRequest([ex]), new vscode.CancellationTokenSource().token);
    // The starting file scores nothing: the limit check, which it would pass, is not reached.
    const limit = t.shown.get(child(ex, 'finishes within 200000 instructions').id);
    assert.equal(limit?.state, 'failed');
    assert.equal(limit?.message, "not reached: first 'the guest's console output comes through' must pass");
    const r = t.shown.get(child(ex, 'the run ends normally').id);
    assert.equal(r?.state, 'failed');
    assert.equal(r?.expected, 'powered off with exit code 0');
    assert.equal(r?.actual, 'powered off with exit code 99');
    assert.match(r!.message!, /Exit code 99 is mon_panic/);
    const monitor = fs.readFileSync(path.join(EX, 'monitor.rasm'), 'utf8').split('\n');
    assert.equal(r?.location?.file, path.join(EX, 'monitor.rasm'));
    assert.match(monitor[r!.location!.line - 1], /out 0xF4, r1/, 'the power-off of mon_panic');
  });

  it('Debug on a failed check stops at the instruction where it failed, with step back', async () => {
    const { t, item: ex } = await item();
    const c = child(ex, 'the run ends normally');
    const debugging = t.debugProfile.runHandler(new vscode.TestRunRequest([c]), new vscode.CancellationTokenSource().token);
    const session = await rec.session(/the run ends normally/);
    await debugging;
    const stop = await rec.nextStop(session);
    assert.equal(stop.reason, 'goto');
    assert.equal(stop.text, 'check failed: the run ends normally');
    const top = await rec.topFrame(session);
    assert.equal(fsPathOf(top.source?.path), t.shown.get(c.id)?.location?.file);
    assert.equal(top.line, t.shown.get(c.id)?.location?.line);
    const back = await rec.move(session, 'stepBack', { threadId: 1, granularity: 'instruction' });
    assert.equal(back.icount, stop.icount - 1);
    await rec.stopAll();
  });
});

describe('The course walkthrough and samples', function () {
  this.timeout(60_000);
  let rec: DebugRecorder;
  before(() => {
    rec = new DebugRecorder();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });
  after(() => rec.close(true));

  it('the walkthrough\'s steps complete on context keys the extension sets', async () => {
    const pkg = (await import('vscode')).extensions.getExtension('ringside.ringside')!.packageJSON as { contributes: { walkthroughs: { steps: { completionEvents: string[] }[] }[] } };
    const keys = pkg.contributes.walkthroughs[0].steps.flatMap((s) => s.completionEvents);
    assert.ok(keys.length >= 8 && keys.every((k) => /^onContext:ringside\.walk\.\w+$/.test(k)), keys.join(', '));
  });

  it('stopping in the system-call handler after a ring 3 -> 0 crossing ticks the first debugging step; opening the panel ticks its step', async () => {
    const doc = await vscode.workspace.openTextDocument(await helloUri());
    await vscode.window.showTextDocument(doc);
    const entry = lineOf(doc, /^syscall_entry:/);
    const session = await rec.start({ type: 'ringside', request: 'launch', program: doc.uri.fsPath, stopOnEntry: true });
    assert.equal((await rec.nextStop(session)).reason, 'entry');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(entry + 1, 0)))]);
    // VS Code sends setBreakpoints on its own schedule: continue only once the adapter armed it.
    await rec.response(session, 'setBreakpoints', (r) => (r.body as { breakpoints: { verified: boolean; line?: number }[] }).breakpoints.some((b) => b.verified && b.line === entry + 2));
    const stop = await rec.move(session, 'continue');
    assert.equal(stop.cpl, 0);
    assert.equal(stop.lastFromCpl, 3);
    assert.match(stop.lastCause ?? '', /^syscall /);
    const a = await api();
    await eventually('the syscall step ticked', () => a.walkthroughTicks().includes('ringside.walk.syscallEntered'), 10_000, () => a.walkthroughTicks());
    await vscode.commands.executeCommand('ringside.openPageTables');
    assert.ok(a.walkthroughTicks().includes('ringside.walk.pageTablesOpened'));
    await rec.stopAll();
  });

  it('Open Course Samples copies the samples and exercises shipped inside the extension', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-course-'));
    const dest = (await vscode.commands.executeCommand('ringside.openCourseSamples', parent, { open: false })) as string;
    assert.equal(dest, path.join(parent, 'ringside-course'));
    for (const f of ['samples/hello/hello.rasm', 'samples/lib/kswitch.rasm', 'exercises/01-syscall-write/check.json', 'exercises/01-syscall-write/README.ko.md']) assert.ok(fs.existsSync(path.join(dest, f)), f);
    assert.ok((await api()).walkthroughTicks().includes('ringside.walk.courseOpened'));
  });
});
