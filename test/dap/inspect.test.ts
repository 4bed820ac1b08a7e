/** Looking at and changing the machine: scopes, variables, evaluate, the Debug Console, memory, disassembly, goto, console I/O, the panels' requests. */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import { breakAt, evaluate, failure, fixture, HELLO, launch, launchAndStop, lineOf, move, newClient, ROOT, Session, top, value, variables } from './helpers';
import type { PageRowsResponseBody, PageRun, PageTablesResponseBody, PageView, StoppedEventBody, TransitionsResponseBody } from '../../debug-adapter/protocol';

const PF = fixture('pagefault.rasm');
const VM = fixture('vm.rasm');

describe('DAP: inspecting and changing the machine', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  const repl = async (text: string) => (await s!.dc.evaluateRequest({ expression: text, context: 'repl' })).body.result;

  it('scopes: Registers with flags expanded, System with status bits, Paging with the walk and the TLB', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    const f = await top(s.dc);
    const scopes = (await s.dc.scopesRequest({ frameId: f.id })).body.scopes;
    assert.deepStrictEqual(scopes.map((x) => x.name), ['Registers', 'System', 'Paging']);
    const regs = await variables(s.dc, f.id, 'Registers');
    assert.deepStrictEqual(regs.map((v) => v.name), ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'fp', 'sp', 'pc', 'flags']);
    assert.strictEqual(regs.find((v) => v.name === 'r2')!.value, '0x0000002a (42)');
    assert.strictEqual(regs.find((v) => v.name === 'sp')!.memoryReference, '0x00800000');
    const flags = (await s.dc.variablesRequest({ variablesReference: regs.find((v) => v.name === 'flags')!.variablesReference })).body.variables;
    assert.deepStrictEqual(flags.map((v) => v.name), ['Z', 'N', 'C', 'V', 'IF']);
    const sys = await variables(s.dc, f.id, 'System');
    assert.deepStrictEqual(sys.map((v) => v.name), ['status', 'mode', 'cr0', 'cr2', 'cr3', 'ivt', 'ksp', 'ksp1', 'icount', 'cycles', 'last transition']);
    // The last ring change in words: here the kernel's iret down to the program.
    assert.match(sys.at(-1)!.value, /^iret: ring 0 → ring 3, back to 0x[0-9a-f]{8}$/);
    assert.match(sys[0].value, /CPL 3/);
    const status = (await s.dc.variablesRequest({ variablesReference: sys[0].variablesReference })).body.variables;
    assert.deepStrictEqual(status.map((v) => v.name), ['Z', 'N', 'C', 'V', 'IF', 'CPL'], 'no VM bit: the mode is not in status');
    assert.strictEqual(status[5].value, '3');
    assert.strictEqual(sys[1].value, 'root');
    assert.strictEqual(sys.find((v) => v.name === 'cr2')!.value, '0x00401000 (4198400)');
    const paging = await variables(s.dc, f.id, 'Paging');
    assert.match(paging[0].value, /^0x00400020 → 0x00200020 \(in the TLB\)$/);
    assert.match(paging[1].name, /^directory entry @ 0x00010004$/);
    assert.match(paging[1].value, /P W U A frame 0x00012000/);
    assert.match(paging[2].name, /^table entry @ 0x00012000$/);
    const tlb = paging.find((v) => v.name === 'TLB')!;
    const entries = (await s.dc.variablesRequest({ variablesReference: tlb.variablesReference })).body.variables;
    assert.ok(entries.some((e) => /0x00401000 → 0x00202000 W U D/.test(e.value)), entries.map((e) => e.value).join('\n'));
  });

  it('the stack crosses rings: each frame labelled with its ring, at its source line', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sys_write' }] }));
    const fs = (await s.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.deepStrictEqual(fs.map((f) => [f.name, f.line]), [
      ['kernel: sys_write [ring 0]', lineOf(HELLO, 'sys_write:') + 1],
      ['kernel: syscall_entry [ring 0]', lineOf(HELLO, 'call r6')],
      ['── system call from ring 3 ──', 0],
      ['user: user_main', lineOf(HELLO, 'syscall                                ; ring 3 -> ring 0 -> ring 3')],
    ]);
    assert.ok(fs.filter((f) => f.presentationHint !== 'label').every((f) => f.source?.path === HELLO && /^0x[0-9a-f]{8}$/.test(f.instructionPointerReference ?? '')));
  });

  it('setVariable changes what the hardware allows and explains what it does not', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    const f = await top(s.dc);
    const regsRef = (await s.dc.scopesRequest({ frameId: f.id })).body.scopes[0].variablesReference;
    assert.strictEqual((await s.dc.setVariableRequest({ variablesReference: regsRef, name: 'r2', value: '7' })).body.value, '0x00000007 (7)');
    const sysRef = (await s.dc.scopesRequest({ frameId: f.id })).body.scopes[1].variablesReference;
    const sys = (await s.dc.variablesRequest({ variablesReference: sysRef })).body.variables;
    const statusRef = sys[0].variablesReference;
    await s.dc.variablesRequest({ variablesReference: statusRef });
    assert.match(await failure(s.dc.setVariableRequest({ variablesReference: statusRef, name: 'CPL', value: '0' })), /CPL can't be changed: CPL changes only through traps, iret and VM entry\/exit/);
    assert.match(await failure(s.dc.setVariableRequest({ variablesReference: sysRef, name: 'status', value: '0' })), /only the flags and IF can be written/);
    await s.dc.setVariableRequest({ variablesReference: statusRef, name: 'Z', value: '1' });
    assert.strictEqual(await value(s.dc, 'Z'), 1);
    assert.match(await failure(s.dc.setVariableRequest({ variablesReference: regsRef, name: 'r3', value: 'r1 +' })), /expression ends too early/);
    // The edit is real: squaring 7.
    await move(s.dc, () => s!.dc.nextRequest({ threadId: 1 }));
    assert.strictEqual(await value(s.dc, 'r2'), 49);
    // TLB entries are not writable; page-table entries are.
    const pagingRef = (await s.dc.scopesRequest({ frameId: (await top(s.dc)).id })).body.scopes[2].variablesReference;
    const paging = (await s.dc.variablesRequest({ variablesReference: pagingRef })).body.variables;
    const tlbRef = paging.find((v) => v.name === 'TLB')!.variablesReference;
    const slot = (await s.dc.variablesRequest({ variablesReference: tlbRef })).body.variables[0];
    assert.match(await failure(s.dc.setVariableRequest({ variablesReference: tlbRef, name: slot.name, value: '0' })), /the TLB cannot be written/);
    const pte = paging.find((v) => v.name.startsWith('table entry'))!;
    await s.dc.setVariableRequest({ variablesReference: pagingRef, name: pte.name, value: '0x00200005' });
    assert.strictEqual(await value(s.dc, '[phys:0x12000]'), 0x200005);
  });

  it('evaluate: registers, labels, memory, phys:, arithmetic; errors say where', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    assert.strictEqual(await evaluate(s.dc, 'r2 * 2 + 1'), '0x00000055 (85)');
    assert.match(await evaluate(s.dc, 'square'), /^0x004000[0-9a-f]{2} \(\d+\)$/);
    assert.strictEqual(await value(s.dc, 'square - user_main'), 0x60);
    assert.strictEqual(await value(s.dc, '[0x401000]'), 42);
    assert.strictEqual(await value(s.dc, '[phys:0x202000]'), 42);
    assert.strictEqual(await value(s.dc, 'byte [message + 1]'), 'k'.charCodeAt(0));
    assert.strictEqual(await value(s.dc, "'A' + 1"), 66);
    assert.strictEqual(await value(s.dc, 'cr3 == 0x10000 && cpl == 3'), 1);
    assert.strictEqual(await evaluate(s.dc, '-38'), '0xffffffda (4294967258, -38)');
    assert.match(await failure(s.dc.evaluateRequest({ expression: 'r2 + + ', context: 'watch' })), /expression ends too early \(column 8\)/);
    assert.match(await failure(s.dc.evaluateRequest({ expression: 'r2 $ 3', context: 'watch' })), /unexpected character '\$' \(column 4\)/);
    assert.match(await failure(s.dc.evaluateRequest({ expression: 'nosuch', context: 'hover' })), /unknown name 'nosuch'/);
    // Names are looked up in tables of the machine's names, not in what objects inherit.
    assert.match(await failure(s.dc.evaluateRequest({ expression: 'constructor', context: 'watch' })), /unknown name 'constructor'/);
    assert.strictEqual(await evaluate(s.dc, 'icount > 0 && cpl == cpl'), '0x00000001 (1)');
    assert.match(await failure(s.dc.evaluateRequest({ expression: '[0x500000]', context: 'watch' })), /0x00500000 is not mapped: page fault .*directory entry 1|table entry 256 is not present/);
    assert.match(await failure(s.dc.evaluateRequest({ expression: '[phys:0x1000000]', context: 'watch' })), /past the end of memory/);
    assert.match(await failure(s.dc.evaluateRequest({ expression: '1 / 0', context: 'watch' })), /division by zero/);
    // Hover over a label gives its address.
    assert.match((await s.dc.evaluateRequest({ expression: 'USER_DATA', context: 'hover' })).body.result, /^0x00401000/);
  });

  it('Debug Console completions: commands at the start of a line, then registers, labels and .equ names', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const complete = async (text: string) => (await s!.dc.customRequest('completions', { text, column: text.length + 1 })).body.targets as DebugProtocol.CompletionItem[];
    // Capabilities come with initialize, which a session answers once: a second client asks.
    const other = await newClient();
    assert.ok((await other.dc.initializeRequest()).body?.supportsCompletionsRequest);
    await other.dc.stop();
    const info = await complete('info t');
    assert.deepStrictEqual(info.map((t) => [t.label, t.start, t.length]), [['info tlb', 1, 6]], 'replaces the whole line typed so far (columns from 1)');
    const sym = await complete('r1 + sys_w');
    const write = sym.find((t) => t.label === 'sys_write');
    assert.ok(write, `no sys_write in ${sym.map((t) => t.label).join(', ')}`);
    assert.deepStrictEqual([write.start, write.length, write.type], [6, 5, 'function']);
    assert.ok(!sym.some((t) => t.label.startsWith('info')), 'no commands in the middle of an expression');
    const regs = (await complete('cr')).map((t) => t.label);
    assert.ok(['cr0', 'cr2', 'cr3'].every((r) => regs.includes(r)), regs.join(', '));
    assert.ok(!(await complete('guest_')).length, 'VMCS fields only while a VMCS is current');
  });

  it('Debug Console commands: info tlb, info pt, va2pa, x/N, help', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    assert.match(await repl('info tlb'), /^TLB: \d+ valid entries \(hits \d+, misses \d+, flushes \d+, page-walk reads \d+ \([\d,]+ cycles\)\)\n/);
    assert.match(await repl('info tlb'), / {2}0x00401000 → 0x00202000 {2}WUD/);
    const pt = await repl('info pt');
    assert.match(pt, /page directory at 0x00010000 \(cr3\):/);
    assert.match(pt, /\[768\] 0xc0000000-0xc03fffff {2}entry 0x00011023/);
    assert.match(pt, /0xc0013000-0xc03fffff → 0x00013000-0x003fffff {2}P W \(1005 pages\)/);
    assert.match(pt, /0x00401000 → 0x00202000 {2}P W U A D/);
    const walk = await repl('va2pa 0x401004');
    assert.match(walk, /directory index 1, table index 1, offset 0x00000004/);
    assert.match(walk, /read pde {5}at 0x00010004 = 0x00012027/);
    assert.match(walk, /read pte {5}at 0x00012004 = 0x00202067/);
    assert.match(walk, /→ physical 0x00202004/);
    assert.strictEqual(await repl('info pt 0x401004'), walk);
    assert.match(await repl('va2pa 0x500000'), /→ page fault \(#PF, error 0x00000004\): table entry 256 is not present/);
    assert.strictEqual(await repl('x/2 0x401000'), '0x00401000: 0x0000002a 0x00000000');
    assert.strictEqual(await repl('x/3b message'), `${(await evaluate(s.dc, 'message')).split(' ')[0]}: 6f 6b 0a`);
    assert.match(await repl('x/2i pc'), /call square\n.*mov r0, 1/);
    assert.match(await repl('x/1 0x500000'), /0x00500000: 0x00500000 is not mapped/);
    assert.match(await repl('help'), /info pt \[VA\]/);
    assert.match(await repl('info vmcs'), /no VMCS is current/);
    assert.match(await repl('info exits'), /no VM has run yet/);
    assert.match(await failure(s.dc.evaluateRequest({ expression: 'info bogus', context: 'repl' })), /unknown info command 'bogus'/);
  });

  it('a mistyped Debug Console command is answered in the console, not raised as a notification (showUser false)', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    // The raw response: DebugClient's own requests keep only the message.
    const raw = (expression: string) => new Promise<DebugProtocol.Response>((resolve) => (s!.dc as unknown as { doSend(c: string, a: unknown, cb: (r: DebugProtocol.Response) => void): void }).doSend('evaluate', { expression, context: 'repl' }, resolve));
    for (const typo of ['info tbl', 'x/2 nosuchlabel', 'r2 +']) {
      const r = (await raw(typo)) as DebugProtocol.ErrorResponse;
      assert.strictEqual(r.success, false, typo);
      assert.strictEqual(r.body?.error?.showUser, false, `${typo}: ${JSON.stringify(r.body)}`);
      assert.match(r.body?.error?.variables?._message ?? '', /unknown info command 'tbl'|nosuchlabel|ends too early/, typo);
    }
  });

  it('info pt inside a VM reads the guest\'s tables at their guest-physical addresses through the EPT, even when the guest does not map them', async () => {
    const VT = fixture('vm-tables.rasm');
    s = await launchAndStop(VT, {}, breakAt(VT, '; PAGED'));
    const pt = await repl('info pt');
    assert.match(pt, /^page directory at 0x00100000 \(cr3\):/);
    // The entry holds the guest-physical address; the table sits at host-physical 0x501000 (EPT: +4 MiB).
    assert.match(pt, /\[0\] 0x00000000-0x003fffff {2}entry 0x00101023 \(P W A frame 0x00101000\), table at 0x00501000/);
    assert.match(pt, /0x00001000-0x000fffff → 0x00001000-0x000fffff {2}P W \(255 pages\)/);
    assert.match(pt, /\[1\] 0x00400000-0x007fffff {2}entry 0x00102003 .*table at 0x00502000/);
    assert.match(pt, /0x00400000 → 0x00300000/);
    // The panel's view agrees: one walk of guest-physical through the EPT for both.
    const view = (await s.dc.customRequest('pageTables', {})).body as PageTablesResponseBody;
    assert.deepStrictEqual(view.tables.map((t) => t.pages.length), [256, 1]);
  });

  it('VMCS scope and info vmcs / info exits in a hypervisor', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; HANDLER'));
    const f = await top(s.dc);
    const vmcs = await variables(s.dc, f.id, 'VMCS');
    assert.strictEqual(vmcs.find((v) => v.name === 'exit_reason')!.value, '0x00000012 (18) — vmcall');
    assert.strictEqual(vmcs.find((v) => v.name === 'exit_len')!.value, '0x00000004 (4)');
    const ref = (await s.dc.scopesRequest({ frameId: f.id })).body.scopes.find((x) => x.name === 'VMCS')!.variablesReference;
    assert.match(await failure(s.dc.setVariableRequest({ variablesReference: ref, name: 'exit_reason', value: '3' })), /exit_reason is read-only/);
    assert.strictEqual(vmcs.find((v) => v.name === 'exit_ctls')!.value, '0x00000001 (1) — exits on HLT');
    await s.dc.setVariableRequest({ variablesReference: ref, name: 'exit_ctls', value: '0x22' });
    assert.strictEqual(await value(s.dc, 'exit_ctls'), 0x22);
    assert.match(await repl('info vmcs'), /exit_ctls {9}0x00000022 \(34\) {2}exits on I\/O, external interrupts/);
    assert.match(await repl('info vmcs'), /exit_reason {7}0x00000012 \(18\) {2}vmcall {2}\(read-only\)/);
    assert.match(await repl('info exits'), /VM 1 \(VMCS 0x00010000\): 1 entries, 1 exits \(vmcall 1\), \d+ guest steps, [\d,]+ guest cycles, [\d,]+ hypervisor cycles/);
    // The VM thread, not running, shows its guest state from the VMCS.
    const g = (await s.dc.stackTraceRequest({ threadId: 2 })).body.stackFrames[0];
    assert.match(g.name, /guest kernel: guest_main \[VM 1 ring 0\] \(not running\)/);
    assert.deepStrictEqual((await s.dc.scopesRequest({ frameId: g.id })).body.scopes.map((x) => x.name), ['VM 1 state (VMCS)']);
  });

  it('VMCS scope while the guest runs: guest-state fields say they were saved at the last exit, guest_pc names the pc now', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; AFTER_VMCALL1'));
    const f = await top(s.dc);
    const vmcs = await variables(s.dc, f.id, 'VMCS');
    const pc = await value(s.dc, 'pc');
    const guestPc = vmcs.find((v) => v.name === 'guest_pc')!.value;
    assert.match(guestPc, new RegExp(`^0x[0-9a-f]{8} \\(\\d+\\) — saved at the last VM exit; the guest runs at 0x${pc.toString(16).padStart(8, '0')} now$`), guestPc);
    assert.match(vmcs.find((v) => v.name === 'guest_sp')!.value, / — saved at the last VM exit$/);
    assert.doesNotMatch(vmcs.find((v) => v.name === 'exit_reason')!.value, /saved/, 'exit fields are not guest state');
  });

  it('readMemory/writeMemory: virtual with unreadable tails, physical, past the end of memory', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    const r = (await s.dc.customRequest('readMemory', { memoryReference: '0x00401ff8', count: 16 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.strictEqual(r!.address, '0x00401ff8');
    assert.strictEqual(Buffer.from(r!.data!, 'base64').length, 8);
    assert.strictEqual(r!.unreadableBytes, 8);
    const p = (await s.dc.customRequest('readMemory', { memoryReference: 'phys:0x202000', count: 4 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.deepStrictEqual([...Buffer.from(p!.data!, 'base64')], [42, 0, 0, 0]);
    const end = (await s.dc.customRequest('readMemory', { memoryReference: 'phys:0xfffffc', count: 16 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.strictEqual(end!.unreadableBytes, 12);
    const none = (await s.dc.customRequest('readMemory', { memoryReference: '0x00500000', count: 16 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.strictEqual(none!.unreadableBytes, 16);
    const w = (await s.dc.customRequest('writeMemory', { memoryReference: '0x00401000', data: Buffer.from([9, 0, 0, 0]).toString('base64') })).body as DebugProtocol.WriteMemoryResponse['body'];
    assert.strictEqual(w!.bytesWritten, 4);
    assert.strictEqual(await value(s.dc, '[0x401000]'), 9);
    // An unmapped page: refused (DAP, no allowPartial), or 0 bytes written when partial writes are allowed.
    assert.match(await failure(s.dc.customRequest('writeMemory', { memoryReference: '0x00500000', data: 'AAAA' })), /only 0 of the 3 bytes from 0x00500000 can be written/);
    const w2 = (await s.dc.customRequest('writeMemory', { memoryReference: '0x00500000', data: 'AAAA', allowPartial: true })).body as DebugProtocol.WriteMemoryResponse['body'];
    assert.strictEqual(w2!.bytesWritten, 0);
  });

  it('disassemble with symbols and source lines, backward and forward, through unmapped memory', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    const pc = (await top(s.dc)).instructionPointerReference!;
    const d = (await s.dc.disassembleRequest({ memoryReference: pc, instructionOffset: -3, instructionCount: 6, resolveSymbols: true })).body!.instructions;
    assert.strictEqual(d.length, 6);
    assert.strictEqual(d[3].address, pc);
    assert.strictEqual(d[3].instruction, 'call square');
    assert.strictEqual(d[3].line, lineOf(PF, '; CALL'));
    assert.strictEqual(d[2].instruction, 'ld r2, [0x401000]');
    assert.strictEqual(d[1].instruction, 'st [0x401000], r1');
    assert.strictEqual(d[0].instruction, 'mov r1, 0x2a');
    assert.ok(d.some((x) => x.location?.path === PF));
    const sq = await value(s.dc, 'square');
    const d2 = (await s.dc.disassembleRequest({ memoryReference: '0x' + sq.toString(16), instructionCount: 2 })).body!.instructions;
    assert.strictEqual(d2[0].symbol, 'square');
    assert.strictEqual(d2[0].instruction, 'mul r2, r2');
    const d3 = (await s.dc.disassembleRequest({ memoryReference: '0x00500000', instructionCount: 2 })).body!.instructions;
    assert.deepStrictEqual(d3.map((x) => x.presentationHint), ['invalid', 'invalid']);
  });

  it('goto moves the pc to a line; a line not mapped here is refused', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    const t = (await s.dc.gotoTargetsRequest({ source: { path: PF }, line: lineOf(PF, '; AFTER_CALL') })).body.targets;
    assert.strictEqual(t.length, 1);
    const ev = await move(s.dc, () => s!.dc.gotoRequest({ threadId: 1, targetId: t[0].id }));
    assert.strictEqual(ev.body.reason, 'goto');
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; AFTER_CALL'));
    assert.strictEqual(await value(s.dc, 'r2'), 42, 'the call was skipped');
    const k = (await s.dc.gotoTargetsRequest({ source: { path: PF }, line: lineOf(PF, 'mov r1, KPT_PHYS') })).body.targets;
    assert.match(await failure(s.dc.gotoRequest({ threadId: 1, targetId: k[0].id })), /not mapped at its address 0x00000000 in the current address space/);
  });

  it('guest input from "stdin" and typed into the Debug Console while it runs', async () => {
    s = await newClient();
    const done = s.dc.waitForEvent('terminated');
    await launch(s, fixture('input.rasm'), { stdin: 'from stdin\n' });
    await done;
    assert.strictEqual(s.output(), 'from stdin\n');
    await s.dc.stop();
    s = await newClient();
    const done2 = s.dc.waitForEvent('terminated');
    await launch(s, fixture('input.rasm'));
    const r = await repl('typed here');
    assert.match(r, /sent "typed here\\n" to the guest's console/);
    await done2;
    assert.strictEqual(s.output(), 'typed here\n');
  });

  it('input typed while stopped (the input command) is read when the guest runs on', async () => {
    s = await launchAndStop(fixture('input.rasm'), { stopOnEntry: true });
    assert.match(await repl('input hi'), /typed "hi\\n"/);
    const done = s.dc.waitForEvent('terminated');
    await s.dc.continueRequest({ threadId: 1 });
    await done;
    assert.strictEqual(s.output(), 'hi\n');
  });

  it('pageTables: the address space, a walk with each memory read, the TLB and counters', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    const body = (await s.dc.customRequest('pageTables', { va: 0x401004, access: 'write' })).body as PageTablesResponseBody;
    assert.deepStrictEqual(body.space, { id: 0, name: 'CPU', running: true, paging: true, cr0: 0x10001, cr3: 0x10000, eptPointer: 0 });
    assert.deepStrictEqual(body.tables.map((t) => t.dir), [1, 768]);
    assert.deepStrictEqual(body.tables[0].pages.map((p) => [p.va, p.target]), [[0x400000, 0x200000], [0x401000, 0x202000], [0x7ff000, 0x201000]]);
    assert.strictEqual(body.walk!.pa, 0x202004);
    assert.deepStrictEqual(body.walk!.reads.map((r) => [r.what, r.address]), [['pde', 0x10004], ['pte', 0x12004]]);
    assert.ok(body.tlb.some((e) => e.va === 0x401000 && e.pa === 0x202000));
    assert.ok(body.counters.misses > 0 && body.counters.hits > 0);
    assert.match(await failure(s.dc.customRequest('pageTables', { space: 3 })), /there is no VM 3/);
  });

  it('pageTables for a VM that is not running, and for the host while a VM runs', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; HANDLER'));
    const g = (await s.dc.customRequest('pageTables', { space: 1, va: 0x1234 })).body as PageTablesResponseBody;
    assert.strictEqual(g.space.running, false);
    assert.strictEqual(g.space.paging, false);
    assert.strictEqual(g.walk!.pa, 0x1234);
  });

  it('transitions: a range of events, by kind, with counters by cause', async () => {
    s = await launchAndStop(HELLO, {}, breakAt(HELLO, 'sys_exit:'));
    const all = (await s.dc.customRequest('transitions', {})).body as TransitionsResponseBody;
    assert.strictEqual(all.total, 6);
    assert.deepStrictEqual(all.events.map((e) => e.cause), ['iret', 'syscall write', 'iret', 'syscall getpid', 'iret', 'syscall exit']);
    assert.strictEqual(all.events[1].text, 'system call write (1) from ring 3');
    assert.strictEqual(all.events[1].target, 'syscall_entry');
    assert.deepStrictEqual(all.byCause, { iret: 3, 'syscall write': 1, 'syscall getpid': 1, 'syscall exit': 1 });
    assert.strictEqual(all.byKind.trap, 3);
    const traps = (await s.dc.customRequest('transitions', { kinds: ['trap'], start: 1, count: 1 })).body as TransitionsResponseBody;
    assert.strictEqual(traps.total, 3);
    assert.deepStrictEqual(traps.events.map((e) => e.cause), ['syscall getpid']);
    const range = (await s.dc.customRequest('transitions', { fromIcount: all.events[2].icount, toIcount: all.events[4].icount })).body as TransitionsResponseBody;
    assert.deepStrictEqual(range.events.map((e) => e.index), [2, 3]);
    assert.match(await failure(s.dc.customRequest('transitions', { kinds: ['bogus'] })), /'kinds\[0\]' must be one of 'trap', .*, not "bogus"/);
    // The stop event names the newest transition: a panel can tell its list is still the run's.
    // (sys_exit powers off: step back instead, into the dispatch that called it.)
    const ev = s.dc.waitForEvent('ringsideStopped');
    await s.dc.stepBackRequest({ threadId: 1 });
    const body = (await ev).body as StoppedEventBody;
    const now = (await s.dc.customRequest('transitions', {})).body as TransitionsResponseBody;
    assert.ok(now.total > 0);
    assert.strictEqual(body.transitions, now.total);
    assert.strictEqual(body.lastTransition, now.events[now.events.length - 1].icount);
  });

  it('ringsideWatch (a panel watch) stops like a data breakpoint', async () => {
    s = await launchAndStop(PF, { stopOnEntry: true });
    const w = (await s.dc.customRequest('ringsideWatch', { address: 0x12004, physical: true, description: 'PTE of 0x00401000' })).body as { id: number; description: string };
    assert.strictEqual(w.description, 'PTE of 0x00401000');
    const ev = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.reason, 'data breakpoint');
    assert.deepStrictEqual(ev.body.hitBreakpointIds, [w.id]);
    await s.dc.customRequest('ringsideUnwatch', { id: w.id });
    assert.match(await failure(s.dc.customRequest('ringsideUnwatch', { id: w.id })), /no panel watch/);
  });
});

describe('dap: page tables pushed with the stop event', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('sends ringsideStopped ahead of the standard stopped event, for every stop, each after the continued of its step', async () => {
    // The extension posts ringsideStopped to the panels as it passes: ahead of `stopped`, the
    // panels' update is not queued behind the editor's own requests for the stop.
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const order: string[] = [];
    s.dc.on('ringsideStopped', () => order.push('ringside'));
    s.dc.on('stopped', () => order.push('stopped'));
    // Not required by DAP after a step, but sent: clients know the machine runs from the event.
    s.dc.on('continued', () => order.push('continued'));
    for (let i = 0; i < 3; i++) {
      const stopped = s.dc.waitForEvent('stopped');
      await s.dc.nextRequest({ threadId: 1 });
      await stopped;
    }
    assert.deepStrictEqual(order, ['continued', 'ringside', 'stopped', 'continued', 'ringside', 'stopped', 'continued', 'ringside', 'stopped']);
  });

  it('a stop after a data access reports it, and the page tables translate its virtual address to the same physical one', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    let body: StoppedEventBody | undefined;
    for (let i = 0; i < 200 && !body?.data; i++) {
      const ev = s.dc.waitForEvent('ringsideStopped');
      await s.dc.stepInRequest({ threadId: 1 });
      body = (await ev).body as StoppedEventBody;
    }
    assert.ok(body?.data, 'no stop reported a data access in 200 steps');
    const walk = (await s.dc.customRequest('pageTables', { space: body.vm, va: body.data.va, access: 'read', limit: 0 })).body.walk;
    assert.strictEqual(walk?.pa, body.data.pa, `the walk of ${body.data.va.toString(16)}`);
  });

  it('after ringsidePanels {pageTables: true}, every ringsideStopped carries the running space\'s page view and the walk of pc; off again, none', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const nextStop = async (): Promise<StoppedEventBody> => {
      const ev = s!.dc.waitForEvent('ringsideStopped');
      await s!.dc.nextRequest({ threadId: 1 });
      return (await ev).body as StoppedEventBody;
    };
    await s.dc.customRequest('ringsidePanels', { pageTables: true });
    const body = await nextStop();
    assert.ok(body.pageView, 'the stop event has the page view');
    assert.strictEqual(body.pageView!.walk?.va, body.pc, 'with the walk of pc');
    const asked = (await s.dc.customRequest('pageView', { space: body.vm, va: body.pc, access: 'fetch', data: body.data?.va })).body;
    assert.deepStrictEqual(body.pageView, asked, 'the same as asking for it');
    await s.dc.customRequest('ringsidePanels', { pageTables: false });
    assert.strictEqual((await nextStop()).pageView, undefined);
  });

  it('pageView sends the first 32 rows of a 1,000-page table and pageRows the rest, in order; a stop event stays small', async () => {
    const program = path.join(ROOT, 'test/vscode/fixtures/pages1000.rasm');
    const line = fs.readFileSync(program, 'utf8').split('\n').findIndex((l) => l.startsWith('mapped:')) + 2;
    s = await launchAndStop(program, {}, (dc) => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line }] }));
    const view = (await s.dc.customRequest('pageView', { space: 0 })).body as PageView;
    const t = view.tables.find((x) => x.dir === 0x10000000 >>> 22)!;
    assert.deepStrictEqual([t.pageCount, t.runCount, t.runs.length], [999, 999, 32]);
    const rest: PageRun[] = [...t.runs];
    while (rest.length < t.runCount) {
      const more = (await s.dc.customRequest('pageRows', { space: 0, ept: false, dir: t.dir, from: rest.length, count: 256 })).body as PageRowsResponseBody;
      assert.strictEqual(more.hash, t.hash, 'the table has not changed');
      rest.push(...more.runs);
    }
    const all = (await s.dc.customRequest('pageTables', { space: 0, limit: 8192 })).body as PageTablesResponseBody;
    assert.deepStrictEqual(rest.map((r) => r.va), all.tables.find((x) => x.dir === t.dir)!.pages.map((p) => p.va), 'every page, once, in order');
    await s.dc.customRequest('ringsidePanels', { pageTables: true });
    const ev = s.dc.waitForEvent('ringsideStopped');
    await s.dc.nextRequest({ threadId: 1 });
    const size = JSON.stringify((await ev).body).length;
    assert.ok(size < JSON.stringify(all).length / 5, `the stop event is ${size} bytes, the whole tables ${JSON.stringify(all).length}`);
    const bad = await s.dc.customRequest('pageRows', { space: 0, ept: false, dir: 'x', from: 0, count: 1 }).then(() => undefined, (e: Error) => e.message);
    assert.match(bad ?? '', /pageRows: 'dir' must be a whole number from 0 to 1023/);
  });
});
