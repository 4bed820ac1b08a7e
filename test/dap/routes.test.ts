/**
 * The request and event tables: every custom request protocol.ts declares has a route in the
 * adapter with a schema, every route is a standard DAP request or a declared custom one, every
 * event the adapter sends is a standard DAP event or a declared custom one, and the stop event
 * carries the address spaces as data (the extension no longer reads them from thread names).
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { CUSTOM_EVENTS, CUSTOM_REQUESTS, PAGE_ROWS, PAGE_TABLES, STOPPED_EVENT, TIME_TRAVEL, WATCH, type PageTablesResponseBody, type StoppedEventBody, type WatchResponseBody } from '../../debug-adapter/protocol';
import { ROUTES } from '../../debug-adapter/dap/session';
import { eventBody } from '../../extension/debug/requests';
import { STANDARD_REQUESTS } from '../../debug-adapter/dap/requestSchemas';
import { CAPABILITIES } from '../../debug-adapter/dap/capabilities';
import { fixture, launch, launchAndStop, lineOf, move, newClient } from './helpers';

/** The events DAP itself defines (the specification's "Events" section). */
const STANDARD_EVENTS = new Set([
  'initialized', 'stopped', 'continued', 'exited', 'terminated', 'thread', 'output', 'breakpoint', 'module', 'loadedSource',
  'process', 'capabilities', 'progressStart', 'progressUpdate', 'progressEnd', 'invalidated', 'memory',
]);

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

  it('every event the adapter sends, through a run with stops, a step back and its end, is a standard DAP event or one declared in CUSTOM_EVENTS', async () => {
    const names = [...CUSTOM_REQUESTS, ...CUSTOM_EVENTS].map((r) => r.name);
    assert.strictEqual(new Set(names).size, names.length, 'custom request and event names are unique');
    const VM = fixture('vm.rasm');
    const s = await newClient();
    const seen = new Set<string>();
    // The client emits each event under its name: count them all, known or not.
    const emit = s.dc.emit.bind(s.dc);
    s.dc.emit = (name: string | symbol, ...rest: unknown[]) => (typeof name === 'string' && seen.add(name), emit(name, ...rest));
    const stopped = s.dc.waitForEvent('stopped');
    await launch(s, VM, {}, (dc) => dc.setBreakpointsRequest({ source: { path: VM }, breakpoints: [{ line: lineOf(VM, '; HANDLER') }] }));
    try {
      await stopped;
      await s.dc.customRequest('ringsidePanels', { pageTables: true });
      await move(s.dc, () => s.dc.stepBackRequest({ threadId: 1 }));
      await s.dc.setBreakpointsRequest({ source: { path: VM }, breakpoints: [] });
      await Promise.all([s.dc.waitForEvent('terminated'), s.dc.continueRequest({ threadId: 1 })]);
      const declared = new Set(CUSTOM_EVENTS.map((e) => e.name));
      assert.deepStrictEqual([...seen].filter((n) => !STANDARD_EVENTS.has(n) && !declared.has(n)), [], 'events neither standard nor declared in protocol.ts CUSTOM_EVENTS');
      for (const e of CUSTOM_EVENTS) assert.ok(seen.has(e.name), `${e.name} was sent`);
    } finally {
      await s.dc.stop();
    }
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
    // Read as the extension reads it: typed by its declaration, nothing for any other message.
    s.dc.on(STOPPED_EVENT.name, (e: DebugProtocol.Event) => stops.push(eventBody(STOPPED_EVENT, e)!));
    s.dc.on('stopped', (e: DebugProtocol.Event) => assert.strictEqual(eventBody(STOPPED_EVENT, e), undefined));
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
