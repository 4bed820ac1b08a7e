/**
 * Transitions a program names (debug-adapter/engine/transitionNames.ts, `__ringside_transitions`): the
 * exception filters 'hypercall' and 'device-model', and the words of the Ring Transitions panel
 * (its causes and texts, which its hovers show) and of the Variables view.
 */
import * as assert from 'assert';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TransitionsResponseBody } from '../../debug-adapter/protocol';
import { HELLO, launch, launchAndStop, newClient, ROOT, Session, top, variables } from './helpers';

const PARAVIRT = path.join(ROOT, 'samples/paravirt/paravirt.rasm');
const BT = path.join(ROOT, 'samples/binary-translation/binary-translation.rasm');
const TYPE2 = path.join(ROOT, 'samples/type2/type2.rasm');

describe('DAP: transitions the program names (hypercalls, calls into the monitor, returns to the device model)', function () {
  this.timeout(60_000);
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  const filter = (id: string) => (dc: Session['dc']) => dc.setExceptionBreakpointsRequest({ filters: [id] });
  const lastTransition = async (sess: Session) => (await variables(sess.dc, (await top(sess.dc)).id, 'System')).find((v) => v.name === 'last transition')?.value;

  it('the Hypercall filter stops in the hypervisor at the first int 0x82, and says so in words', async () => {
    s = await launchAndStop(PARAVIRT, {}, filter('hypercall'));
    const stop = (s as Session & { stop: { body: { reason: string; text?: string } } }).stop;
    assert.strictEqual(stop.body.reason, 'exception');
    assert.match(stop.body.text!, /^hypercall \(int 0x82\) from ring 1 at 0x[0-9a-f]{8}: the guest kernel asks the hypervisor in ring 0$/);
    assert.match((await top(s.dc)).name, /xen_hypercall/);
    assert.strictEqual((await s.dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'hypercall');
    assert.match((await lastTransition(s))!, /^hypercall \(int 0x82\)/);
    // The panel's page of the log: the cause is "hypercall", not "int 130", and the text is the same words.
    const page = (await s.dc.customRequest('transitions', {})).body as TransitionsResponseBody;
    const last = page.events.at(-1)!;
    assert.strictEqual(last.cause, 'hypercall');
    assert.match(last.text, /^hypercall \(int 0x82\)/);
    assert.strictEqual(page.byCause.hypercall, 1);
    assert.strictEqual(page.byCause['int 130'], undefined);
    // Phases 1 and 2 made no hypercall: the first one is phase 3's first mmu_update batch.
    assert.strictEqual(await s.dc.evaluateRequest({ expression: 'r0', context: 'watch' }).then((r) => r.body.result.split(' ')[0]), '0x00000001');
  });

  it('binary translation: int 0x81 is a call into the monitor, 0x82 and 0x83 calls into the translator', async () => {
    s = await launchAndStop(BT, {}, (dc) => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'bt_guest_off' }] }));
    const page = (await s.dc.customRequest('transitions', { count: 0 })).body as TransitionsResponseBody;
    assert.strictEqual(page.byCause['call into the monitor'], 111);
    assert.strictEqual(page.byCause['call into the translator'], 32);
    assert.strictEqual(page.byCause['int 129'], undefined);
    const monitor = (await s.dc.customRequest('transitions', { kinds: ['trap'] })).body as TransitionsResponseBody;
    const call = monitor.events.find((e) => e.vector === 0x81)!;
    assert.strictEqual(call.cause, 'call into the monitor');
    assert.match(call.text, /^call into the monitor \(int 0x81\) from translated code at 0x[0-9a-f]{8}, ring 1: the monitor emulates a privileged instruction$/);
    // The machine's own causes are still there for everything the program did not name.
    assert.strictEqual(page.byCause['#GP'], 173);
  });

  it('type2: the device-model filter stops in qemu each time KVM_RUN returns to it', async () => {
    s = await launchAndStop(TYPE2, {}, filter('device-model'));
    const stop = (s as Session & { stop: { body: { reason: string; text?: string } } }).stop;
    assert.strictEqual(stop.body.reason, 'exception');
    assert.match(stop.body.text!, /^return to the device model: KVM_RUN comes back from the host kernel \(ring 0\) to the user-space process at 0x[0-9a-f]{8} \(ring 3\)$/);
    assert.match((await top(s.dc)).name, /qemu_main/);
    assert.strictEqual((await s.dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'device-model');
    const first = (await s.dc.customRequest('transitions', {})).body as TransitionsResponseBody;
    assert.strictEqual(first.byCause['return to the device model'], 1);
    // Every other return from the kernel (the write of the byte, say) is an ordinary iret.
    const again = s.dc.waitForEvent('stopped');
    await s.dc.continueRequest({ threadId: 1 });
    await again;
    const second = (await s.dc.customRequest('transitions', {})).body as TransitionsResponseBody;
    assert.strictEqual(second.byCause['return to the device model'], 2);
    assert.ok(second.byCause.iret > 0);
    assert.match((await lastTransition(s))!, /^return to the device model/);
  });

  it('a program that names nothing never stops on these filters, and keeps the machine causes', async () => {
    s = await newClient();
    const ended = s.dc.waitForEvent('terminated');
    await launch(s, HELLO, {}, (dc) => dc.setExceptionBreakpointsRequest({ filters: ['hypercall', 'device-model'] }));
    await ended;
  });

  it('in Korean: the filter labels and the words of a hypercall', async () => {
    s = await newClient();
    const init = await s.dc.initializeRequest({ adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', locale: 'ko' });
    assert.strictEqual(init.body!.exceptionBreakpointFilters!.find((f) => f.filter === 'device-model')!.label, 'device model로 돌아감');
    assert.strictEqual(init.body!.exceptionBreakpointFilters!.find((f) => f.filter === 'hypercall')!.label, 'Hypercall');
    const stopped = s.dc.waitForEvent('stopped');
    await Promise.all([
      s.dc.waitForEvent('initialized').then(async () => {
        await s!.dc.setExceptionBreakpointsRequest({ filters: ['hypercall'] });
        await s!.dc.configurationDoneRequest();
      }),
      s.dc.launchRequest({ program: PARAVIRT } as DebugProtocol.LaunchRequestArguments),
    ]);
    const stop = (await stopped) as DebugProtocol.StoppedEvent;
    assert.match(stop.body.text!, /^hypercall\(int 0x82\): 링 1의 0x[0-9a-f]{8}에서, 게스트 커널이 링 0의 hypervisor에게 요청합니다$/);
  });
});
