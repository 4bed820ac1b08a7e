/**
 * The request table: every custom request protocol.ts declares has a route in the adapter with
 * a schema, every route is a standard DAP request or a declared custom one, and the stop event
 * carries the address spaces as data (the extension no longer reads them from thread names).
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { CUSTOM_REQUESTS, PAGE_ROWS, PAGE_TABLES, STOPPED_EVENT, TIME_TRAVEL, WATCH, type PageTablesResponseBody, type StoppedEventBody, type WatchResponseBody } from '../../debug-adapter/protocol';
import { ROUTES } from '../../debug-adapter/dap/session';
import { STANDARD_REQUESTS } from '../../debug-adapter/dap/requestSchemas';
import { CAPABILITIES } from '../../debug-adapter/dap/capabilities';
import { fixture, launch, launchAndStop, lineOf, newClient } from './helpers';

describe('DAP: one table of requests', () => {
  it('each custom request declared in protocol.ts is routed, with a schema that refuses a wrong argument', () => {
    const names = CUSTOM_REQUESTS.map((r) => r.name);
    assert.strictEqual(new Set(names).size, names.length, 'custom request names are unique');
    for (const name of names) {
      const route = ROUTES.get(name);
      assert.ok(route, `${name} has a route`);
      assert.throws(() => route.check('not an object', ''), /object/, `${name}'s schema refuses a string`);
    }
  });

  it('every route is a standard request with a schema or a custom one declared in protocol.ts', () => {
    const custom = new Set(CUSTOM_REQUESTS.map((r) => r.name));
    for (const name of ROUTES.keys()) {
      assert.ok(custom.has(name) || Object.prototype.hasOwnProperty.call(STANDARD_REQUESTS, name), `${name} is declared`);
    }
    // Capabilities the adapter claims have their request routed.
    const claimed: [keyof DebugProtocol.Capabilities, string][] = [
      ['supportsStepBack', 'stepBack'], ['supportsGotoTargetsRequest', 'gotoTargets'], ['supportsReadMemoryRequest', 'readMemory'],
      ['supportsWriteMemoryRequest', 'writeMemory'], ['supportsDisassembleRequest', 'disassemble'], ['supportsCompletionsRequest', 'completions'],
      ['supportsDataBreakpoints', 'setDataBreakpoints'], ['supportsInstructionBreakpoints', 'setInstructionBreakpoints'], ['supportsExceptionInfoRequest', 'exceptionInfo'],
    ];
    for (const [cap, command] of claimed) if (CAPABILITIES[cap]) assert.ok(ROUTES.has(command), `${cap} → ${command} is routed`);
  });

  it('over the wire: a custom request with a wrong argument is refused naming it; the same request well formed is answered with the declared body', async () => {
    const s = await launchAndStop(fixture('loop.rasm'), { stopOnEntry: true });
    try {
      await assert.rejects(s.dc.customRequest(PAGE_ROWS.name, { ept: 'no', dir: 0, from: 0, count: 1 }), /pageRows: .*ept/);
      await assert.rejects(s.dc.customRequest(TIME_TRAVEL.name, { icount: -1 }), /timeTravel: .*icount/);
      const body = (await s.dc.customRequest(PAGE_TABLES.name, { space: 0, limit: 1 })).body as PageTablesResponseBody;
      assert.strictEqual(body.space.id, 0);
      assert.strictEqual(body.space.running, true);
      const w = (await s.dc.customRequest(WATCH.name, { address: 0x1000, physical: true })).body as WatchResponseBody;
      assert.ok(w.id > 0);
      assert.match(w.description, /physical 0x00001000/);
    } finally {
      await s.dc.stop();
    }
  });

  it('the stop event lists the address spaces, the running one marked, with the names the Call Stack gives their threads', async () => {
    // Stopped in the hypervisor's exit handler: the host runs, VM 1 exists and does not.
    const VM = fixture('vm.rasm');
    const s = await newClient();
    const stops: StoppedEventBody[] = [];
    s.dc.on(STOPPED_EVENT.name, (e: DebugProtocol.Event) => stops.push(e.body as StoppedEventBody));
    const stopped = s.dc.waitForEvent('stopped');
    await launch(s, VM, {}, (dc) => dc.setBreakpointsRequest({ source: { path: VM }, breakpoints: [{ line: lineOf(VM, '; HANDLER') }] }));
    try {
      await stopped;
      const last = stops[stops.length - 1];
      assert.deepStrictEqual(last.spaces, [{ id: 0, name: 'host', running: true }, { id: 1, name: 'VM 1 vCPU 0', running: false }]);
      const threads = (await s.dc.threadsRequest()).body.threads;
      assert.deepStrictEqual(threads.map((t) => t.name), last.spaces.map((sp) => sp.name));
    } finally {
      await s.dc.stop();
    }
  });
});
