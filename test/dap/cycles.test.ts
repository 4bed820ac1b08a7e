/** The cost model and corrected VT-x in the debugger: costs/jit launch attributes, cycles in variables, stops, the console, and CR3-access exits. */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { breakAt, failure, fixture, HELLO, launch, launchAndStop, move, newClient, Session, top, value, variables } from './helpers';
import type { StoppedEventBody } from '../../debug-adapter/protocol';
import { isa } from '../../emulator';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './helpers';

const CR3 = fixture('cr3.rasm');
const VM = fixture('vm.rasm');
const filters = (dc: Session['dc'], filterOptions: DebugProtocol.ExceptionFilterOptions[]) => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions });
const num = (text: string) => Number(text.replace(/,/g, ''));

async function launchError(args: Record<string, unknown>): Promise<string> {
  const c = await newClient();
  try {
    await c.dc.initializeRequest();
    return await failure(c.dc.launchRequest(args as DebugProtocol.LaunchRequestArguments));
  } finally {
    await c.dc.stop();
  }
}

describe('DAP: cycles and VT-x as it is', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });
  const repl = async (text: string) => (await s!.dc.evaluateRequest({ expression: text, context: 'repl' })).body.result;

  it('"costs" and "jit" are checked, and a bad value names the attribute', async () => {
    assert.match(await launchError({ program: HELLO, costs: 'pentium' }), /launch attribute "costs": unknown cost preset "pentium": use one of "default", "vtx-2006"/);
    assert.match(await launchError({ program: HELLO, costs: { vmExit: -1 } }), /launch attribute "costs": cost "vmExit" must be a whole number/);
    assert.match(await launchError({ program: HELLO, costs: { walkreads: 3 } }), /launch attribute "costs": unknown cost "walkreads"/);
    assert.match(await launchError({ program: HELLO, jit: 'no' }), /launch attribute "jit" must be true or false/);
  });

  it('the cost table changes the cycles and nothing else; entries override the preset', async () => {
    const at = async (costs: unknown) => {
      const t = await launchAndStop(CR3, costs === undefined ? {} : { costs }, breakAt(CR3, '; GUEST_HLT'));
      try {
        const f = await top(t.dc, 2);
        const sys = await variables(t.dc, f.id, 'System');
        const cyc = sys.find((v) => v.name === 'cycles')!;
        const causes = (await t.dc.variablesRequest({ variablesReference: cyc.variablesReference })).body.variables;
        return { icount: await value(t.dc, 'icount'), cycles: num(cyc.value.split(' ')[0]), label: cyc.value, causes };
      } finally {
        await t.dc.stop();
      }
    };
    const def = await at(undefined);
    const old = await at('vtx-2006');
    const mine = await at({ preset: 'vtx-2006', vmExit: 2500, instruction: 2 });
    assert.strictEqual(old.icount, def.icount, 'the run is the same');
    assert.match(def.label, /\(costs: default\)$/);
    assert.match(old.label, /\(costs: vtx-2006\)$/);
    assert.match(mine.label, /\(costs: custom\)$/);
    assert.deepStrictEqual(def.causes.map((v) => v.name), isa.COST_ENTRIES.map((e) => e.name));
    // One exit so far (the CR3 read): under vtx-2006 it costs 3000 more, and the causes add up to the total.
    assert.strictEqual(old.causes.find((v) => v.name === 'vmExit')!.value, '4,000 = 1 × 4,000');
    assert.strictEqual(old.cycles - def.cycles, 3000);
    for (const r of [def, old, mine]) assert.strictEqual(r.causes.reduce((a, v) => a + num(v.value.split(' ')[0]), 0), r.cycles);
    assert.strictEqual(mine.causes.find((v) => v.name === 'instruction')!.value, `${(2 * mine.icount).toLocaleString('en-US')} = ${mine.icount.toLocaleString('en-US')} × 2`);
    assert.strictEqual(mine.causes.find((v) => v.name === 'vmExit')!.value, '2,500 = 1 × 2,500');
  });

  it('package.json declares costs and jit for launch.json, with every preset and cost entry', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const props = pkg.contributes.debuggers.find((d: { type: string }) => d.type === 'ringside').configurationAttributes.launch.properties;
    const [byName, byObject] = props.costs.oneOf;
    assert.deepStrictEqual(byName.enum, isa.COST_PRESETS.map((p) => p.name));
    assert.deepStrictEqual(byObject.properties.preset.enum, isa.COST_PRESETS.map((p) => p.name));
    assert.deepStrictEqual(Object.keys(byObject.properties).filter((k) => k !== 'preset'), isa.COST_ENTRIES.map((e) => e.name));
    assert.strictEqual(props.jit.type, 'boolean');
    assert.strictEqual(props.jit.default, true);
  });

  it('jit: false runs the same program to the same end', async () => {
    s = await newClient();
    const exited = s.dc.waitForEvent('exited');
    await launch(s, CR3, { jit: false });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 5);
  });

  it('a CR3-read exit: the stop says read and the register, the VMCS view decodes it, "cr3 write" does not stop on it', async () => {
    s = await launchAndStop(CR3, {}, (dc) => filters(dc, [{ filterId: 'vm-exit', condition: 'cr3 read' }]));
    assert.match(s.stop!.body.text ?? '', /^VM exit from VM 1: cr3 access \(reason 28: read of cr3, register r3\) at guest pc 0x[0-9a-f]+, guest ring 0$/);
    const f = await top(s.dc);
    const vmcs = await variables(s.dc, f.id, 'VMCS');
    const v = (n: string) => vmcs.find((x) => x.name === n)!.value;
    assert.strictEqual(v('exit_ctls'), '0x00000011 (17) — exits on HLT, CR3 reads');
    assert.strictEqual(v('exit_reason'), '0x0000001c (28) — cr3 access');
    assert.strictEqual(v('exit_qual'), '0x00000013 (19) — read of cr3, register r3');
    assert.match(v('guest cycles'), /^[\d,]+ \(VM 1, its exits included\)$/);
    assert.match(v('hypervisor cycles'), /^[\d,]+ \(root mode, from VM 1's exits to the next entry\)$/);
    assert.match(await repl('info vmcs'), /exit_ctls {9}0x00000011 \(17\) {2}exits on HLT, CR3 reads/);
    assert.match(await repl('info vmcs'), /exit_qual {9}0x00000013 \(19\) {2}read of cr3, register r3 {2}\(read-only\)/);
    // The hypervisor answers; the guest sees 0x5000 and halts: exit code 5.
    await s.dc.stop();
    s = await newClient();
    const exited = s.dc.waitForEvent('exited');
    await launch(s, CR3, {}, (dc) => filters(dc, [{ filterId: 'vm-exit', condition: 'cr3 write' }]));
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 5);
  });

  it('status has no VM bit; the mode is its own read-only entry, from the machine', async () => {
    s = await launchAndStop(CR3, {}, breakAt(CR3, '; READ_CR3'));
    const guest = await variables(s.dc, (await top(s.dc, 2)).id, 'System');
    assert.strictEqual(guest.find((v) => v.name === 'mode')!.value, 'non-root, VM 1');
    assert.match(guest.find((v) => v.name === 'status')!.value, /^0x00000000 \(no flags, CPL 0\)$/);
    const bits = (await s.dc.variablesRequest({ variablesReference: guest.find((v) => v.name === 'status')!.variablesReference })).body.variables;
    assert.deepStrictEqual(bits.map((b) => b.name), ['Z', 'N', 'C', 'V', 'IF', 'CPL']);
    const ref = (await s.dc.scopesRequest({ frameId: (await top(s.dc, 2)).id })).body.scopes.find((x) => x.name === 'System')!.variablesReference;
    assert.match(await failure(s.dc.setVariableRequest({ variablesReference: ref, name: 'mode', value: '0' })), /mode can't be changed: the mode changes only on VM entry and exit/);
    // Back in the hypervisor (the CR3-read exit), the mode is root.
    await move(s.dc, () => s!.dc.stepInRequest({ threadId: 2 }));
    const host = await variables(s.dc, (await top(s.dc)).id, 'System');
    assert.strictEqual(host.find((v) => v.name === 'mode')!.value, 'root');
  });

  it('stops give both clocks, and ringsideStopped carries the cycle count; step back takes cycles back', async () => {
    s = await newClient();
    const stops: StoppedEventBody[] = [];
    s.dc.on('ringsideStopped', (e: DebugProtocol.Event) => stops.push(e.body as StoppedEventBody));
    const first = s.dc.waitForEvent('stopped');
    await launch(s, CR3, {}, breakAt(CR3, '; READ_CR3'));
    await first;
    const before = stops[stops.length - 1];
    const ev = await move(s.dc, () => s!.dc.stepInRequest({ threadId: 2 }));
    const after = stops[stops.length - 1];
    // Step in on an instruction that exits stops at the hypervisor's handler: the exit's cost is in the count.
    const m = /instruction (\d+), ([\d,]+) cycles\)$/.exec(ev.body.text ?? '');
    assert.ok(m, ev.body.text);
    assert.strictEqual(Number(m![1]), after.icount);
    assert.strictEqual(num(m![2]), after.cycles);
    assert.ok(after.cycles! - before.cycles! >= 1000, `${before.cycles} → ${after.cycles}`);
    assert.match(await repl('info cycles'), new RegExp(`^instruction ${after.icount}, ${after.cycles!.toLocaleString('en-US')} cycles \\(costs: default\\)\\n {2}instruction`));
    assert.match(await repl('info cycles'), /\nVM 1: [\d,]+ cycles in the guest \(its exits included\), [\d,]+ in the hypervisor for it\n/);
    assert.match(await repl('info exits'), /VM 1 \(VMCS 0x00010000\): 1 entries, 1 exits \(cr3 access 1\), \d+ guest steps, [\d,]+ guest cycles, [\d,]+ hypervisor cycles/);
    assert.strictEqual(await value(s.dc, 'cycles'), after.cycles);
    // Back before the exit: the exit's cycles are taken back with it.
    const back = await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
    const b = stops[stops.length - 1];
    assert.ok(b.icount < after.icount && b.cycles! <= after.cycles! - 1000, `${after.cycles} → ${b.cycles}`);
    assert.match(back.body.text ?? '', new RegExp(`instruction ${b.icount}, ${b.cycles!.toLocaleString('en-US')} cycles\\)$`));
    assert.strictEqual(await value(s.dc, 'cycles'), b.cycles);
  });

  it('the VM state of a VM that is not running shows its cycles', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; HANDLER'));
    const g = (await s.dc.stackTraceRequest({ threadId: 2 })).body.stackFrames[0];
    const ref = (await s.dc.scopesRequest({ frameId: g.id })).body.scopes[0].variablesReference;
    const vars = (await s.dc.variablesRequest({ variablesReference: ref })).body.variables;
    assert.strictEqual(vars.find((v) => v.name === 'exit_reason')!.value, '0x00000012 (18) — vmcall');
    assert.ok(num(vars.find((v) => v.name === 'guest cycles')!.value.split(' ')[0]) >= 1000, 'a vmcall exit costs 1000 under the default table');
  });
});
