/**
 * What a client must send, and in which order (DAP): initialize first and once, its path format
 * 'path' by default, configurationDone once; thread and frame ids that name nothing are refused.
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { failure, fixture, HELLO, launchAndStop, lineOf, move, newClient, Session, top } from './helpers';

const VM = fixture('vm.rasm');

describe('DAP: request order and ids', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('initialize without pathFormat is accepted (DAP\'s default is path); uri is still refused', async () => {
    s = await newClient();
    const init = await s.dc.customRequest('initialize', { adapterID: 'ringside' });
    assert.ok((init.body as DebugProtocol.Capabilities).supportsConfigurationDoneRequest);
    const other = await newClient();
    try {
      assert.match(await failure(other.dc.customRequest('initialize', { adapterID: 'ringside', pathFormat: 'uri' })), /native paths/);
    } finally {
      await other.dc.stop();
    }
  });

  it('a request before initialize is refused at once (a launch does not wait for a configurationDone that never comes)', async () => {
    s = await newClient();
    const t0 = Date.now();
    assert.match(await failure(s.dc.customRequest('launch', { program: HELLO })), /'launch' came before initialize: a client's first request must be initialize/);
    assert.ok(Date.now() - t0 < 3000);
    assert.match(await failure(s.dc.customRequest('threads', {})), /'threads' came before initialize/);
  });

  it('a second initialize and a second configurationDone are refused', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    assert.match(await failure(s.dc.initializeRequest()), /initialize was already received/);
    assert.match(await failure(s.dc.configurationDoneRequest()), /configurationDone was already received/);
  });

  it('requests naming a thread that does not exist are refused; the machine does not move', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const dc = s.dc;
    const at = (await top(dc)).instructionPointerReference;
    for (const send of [
      () => dc.nextRequest({ threadId: 42 }),
      () => dc.stepInRequest({ threadId: 42 }),
      () => dc.stepOutRequest({ threadId: 42 }),
      () => dc.stepBackRequest({ threadId: 42 }),
      () => dc.continueRequest({ threadId: 42 }),
      () => dc.reverseContinueRequest({ threadId: 42 }),
      () => dc.pauseRequest({ threadId: 42 }),
      () => dc.stackTraceRequest({ threadId: 99 }),
      () => dc.exceptionInfoRequest({ threadId: 42 }),
    ]) {
      assert.match(await failure(send()), /^no thread (42|99) \(the threads are 1 \(CPU\)\)$/);
    }
    assert.strictEqual((await top(dc)).instructionPointerReference, at);
  });

  it('stackTrace of a VM thread a step back undid is empty, not an error', async () => {
    const st = await launchAndStop(VM, {}, (dc) => dc.setExceptionBreakpointsRequest({ filters: ['vm-entry'] }));
    s = st;
    assert.strictEqual(st.stop.body.threadId, 2);
    // Back before the vmptrld (the 4th instruction): VM 1 does not exist yet.
    await move(s.dc, () => s!.dc.customRequest('timeTravel', { icount: 3 }));
    assert.deepStrictEqual((await s.dc.threadsRequest()).body.threads.map((t) => t.id), [1]);
    const trace = await s.dc.stackTraceRequest({ threadId: 2 });
    assert.deepStrictEqual([trace.body.stackFrames, trace.body.totalFrames], [[], 0]);
    assert.match(await failure(s.dc.stackTraceRequest({ threadId: 3 })), /^no thread 3 /);
  });

  it('evaluate with a frame id that names no frame is refused, not evaluated in the top frame', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: lineOf(HELLO, 'ring 3 -> ring 0 -> ring 3') }] }));
    const f = await top(s.dc);
    assert.match((await s.dc.evaluateRequest({ expression: 'pc', context: 'watch', frameId: f.id })).body.result, /^0x/);
    assert.match(await failure(s.dc.evaluateRequest({ expression: 'pc', context: 'watch', frameId: 9999 })), /^no frame 9999 \(frames expire when the machine moves\)$/);
  });
});
