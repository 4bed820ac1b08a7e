// The virtualization lecture stepped in VS Code, as a student does it: from a guest `popf` to the
// binary translator's code for it (shown at the guest's line), and from a guest `out` through the
// VM exit into the kvm driver and on to qemu in ring 3 (type2). The DAP tests hold the adapter's
// answers; these hold that they reach the editor through vscode.debug.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DebugRecorder } from './debugRecorder';
import { fsPathOf, lineOf } from './util';

async function open(rel: string): Promise<vscode.TextDocument> {
  const [uri] = await vscode.workspace.findFiles(rel, undefined, 1);
  assert.ok(uri, `${rel} is not in the workspace (is samples/ open?)`);
  return vscode.workspace.openTextDocument(uri);
}

/** Adds a breakpoint as the gutter does and waits until the adapter armed it (VS Code sends setBreakpoints on its own schedule). */
async function armBreakpoint(rec: DebugRecorder, session: vscode.DebugSession, doc: vscode.TextDocument, line: number): Promise<void> {
  const before = rec.responseCount(session, 'setBreakpoints');
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(line, 0)))]);
  await rec.response(session, 'setBreakpoints', (r) => (r.body as { breakpoints: { verified: boolean; line?: number }[] }).breakpoints.some((b) => b.verified && b.line === line + 1));
  assert.ok(rec.responseCount(session, 'setBreakpoints') > before);
}

/**
 * Starts `program` stopped on entry, adds a breakpoint in `doc` at 0-based `line` and runs to it.
 */
async function runTo(rec: DebugRecorder, program: vscode.TextDocument, doc: vscode.TextDocument, line: number) {
  const session = await rec.start({ type: 'ringside', request: 'launch', program: program.uri.fsPath, stopOnEntry: true });
  assert.equal((await rec.nextStop(session)).reason, 'entry');
  await armBreakpoint(rec, session, doc, line);
  const stop = await rec.move(session, 'continue');
  assert.equal(stop.reason, 'breakpoint');
  return { session, stop };
}

async function register(session: vscode.DebugSession, frameId: number, name: string): Promise<number> {
  const r = (await session.customRequest('evaluate', { expression: name, frameId, context: 'watch' })) as { result: string };
  const n = Number(r.result.split(/\s/)[0]);
  assert.ok(Number.isInteger(n), `${name} = ${r.result}`);
  return n;
}

describe('The virtualization lecture stepped in VS Code', () => {
  let rec: DebugRecorder;

  beforeEach(() => {
    rec = new DebugRecorder();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  afterEach(() => rec.close(true));

  it('binary-translation: from the guest\'s popf into its translation, shown at the guest\'s line', async () => {
    const entry = await open('binary-translation/binary-translation.rasm');
    const xl = await open('binary-translation/translator.rasm');
    const guest = await open('popek-goldberg/guest.rasm');
    const popfLine = lineOf(guest, /^\s+popf\s+; <- sensitive/);
    // The translator reaches the guest's popf: r9 holds the guest instruction's address, r10 where its translation goes.
    const { session, stop } = await runTo(rec, entry, xl, lineOf(xl, /^\.popf:\s+mov r2, bt_t_popf/));
    const [f0] = await rec.frames(session, stop.threadId);
    const guestPc = await register(session, f0.id, 'r9');
    const tc = await register(session, f0.id, 'r10');
    const dis = (await session.customRequest('disassemble', { memoryReference: `0x${guestPc.toString(16)}`, instructionCount: 1 })) as { instructions: { instruction: string; line?: number }[] };
    assert.equal(dis.instructions[0].instruction, 'popf');
    assert.equal(dis.instructions[0].line, popfLine + 1, 'the guest instruction is guest.rasm\'s popf');

    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await session.customRequest('setBreakpoints', { source: { path: xl.uri.fsPath }, breakpoints: [] });
    await session.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `0x${tc.toString(16)}` }] });
    const inCache = await rec.move(session, 'continue', { threadId: stop.threadId });
    assert.equal(inCache.pc, tc, 'stopped at the translation in the cache');
    const [f1] = await rec.frames(session, inCache.threadId);
    assert.match(f1.name, /translation of gk_probe/);
    assert.equal(fsPathOf(f1.source?.path), guest.uri.fsPath, 'the frame shows the guest\'s source');
    assert.equal(f1.line, popfLine + 1, 'at the popf it came from');

    // Step by instruction through the translation: the guest line moves on to the pushf after the popf.
    const pushfLine = lineOf(guest, /^\s+pushf\s+; what did it do\?/);
    let line = f1.line;
    for (let i = 0; i < 12 && line !== pushfLine + 1; i++) {
      const s = await rec.move(session, 'stepIn', { threadId: inCache.threadId, granularity: 'instruction' });
      line = (await rec.frames(session, s.threadId))[0].line;
      assert.ok(line === popfLine + 1 || line === pushfLine + 1, `still in the popf's translation or at the pushf's: line ${line}`);
    }
    assert.equal(line, pushfLine + 1, 'the next guest instruction, translated next');
  });

  it('type2: from a guest out through the VM exit into the kvm driver, then to qemu in ring 3', async () => {
    const entry = await open('type2/type2.rasm');
    const guest = await open('type2/guest.rasm');
    const qemu = await open('type2/qemu.rasm');
    const { session, stop } = await runTo(rec, entry, guest, lineOf(guest, /^\s+out 0x10, r3/));
    assert.ok(stop.vm > 0, `stopped inside the VM (vm ${stop.vm})`);
    assert.match((await rec.frames(session, stop.threadId))[0].name, /g_puts/);

    const exit = await rec.move(session, 'stepIn', { threadId: stop.threadId }).catch((e) => { throw new Error(`step in from the guest's out (thread ${stop.threadId}): ${e}`); });
    assert.equal(exit.vm, 0, 'the exit lands in the host');
    assert.equal(exit.cpl, 0);
    assert.match((await rec.frames(session, exit.threadId))[0].name, /kvm_exit/);

    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await armBreakpoint(rec, session, qemu, lineOf(qemu, /ld r1, \[q_run \+ RUN_EXIT_REASON\]/));
    const inQemu = await rec.move(session, 'continue', { threadId: exit.threadId }).catch((e) => { throw new Error(`continue to qemu: ${e}`); });
    assert.equal(inQemu.cpl, 3, 'qemu runs in ring 3');
    assert.equal(inQemu.vm, 0);
    const names = (await rec.frames(session, inQemu.threadId)).map((f) => f.name);
    assert.match(names[0], /qemu_main/, names.join(' | '));
  });
});
