/**
 * What the adapter does for a client that declared DAP's optional parts at initialize: `invalidated`
 * and `memory` events after an edit changes more than the value set, and paged `variables`.
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, HELLO, lineOf, newClient, Session, top } from './helpers';

const LOOP = fixture('loop.rasm');

/** A session whose client declared `supports` at initialize, stopped at the first stop. */
async function start(program: string, supports: Partial<DebugProtocol.InitializeRequestArguments>, extra: Record<string, unknown> = {}, configure?: (dc: Session['dc']) => Promise<unknown>): Promise<Session & { events: DebugProtocol.Event[] }> {
  const s = await newClient();
  const events: DebugProtocol.Event[] = [];
  for (const name of ['invalidated', 'memory']) s.dc.on(name, (e: DebugProtocol.Event) => events.push(e));
  await s.dc.initializeRequest({ adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', ...supports });
  const stopped = s.dc.waitForEvent('stopped');
  await Promise.all([
    s.dc.waitForEvent('initialized').then(async () => {
      if (configure) await configure(s.dc);
      await s.dc.configurationDoneRequest();
    }),
    s.dc.launchRequest({ program, ...extra } as DebugProtocol.LaunchRequestArguments),
  ]);
  await stopped;
  return { ...s, events };
}

const settle = () => new Promise((r) => setTimeout(r, 200));
const ALL = { supportsInvalidatedEvent: true, supportsMemoryEvent: true, supportsVariablePaging: true };

async function scope(dc: Session['dc'], name: string): Promise<number> {
  const f = await top(dc);
  return (await dc.scopesRequest({ frameId: f.id })).body.scopes.find((x) => x.name === name)!.variablesReference;
}

describe('DAP: events and paging for clients that support them', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('setting pc invalidates the stacks (the current line moves); setting a register, the variables', async () => {
    const st = await start(LOOP, ALL, { stopOnEntry: true });
    s = st;
    const regs = await scope(st.dc, 'Registers');
    await st.dc.setVariableRequest({ variablesReference: regs, name: 'r1', value: '7' });
    await settle();
    assert.deepStrictEqual(st.events.map((e) => [e.event, e.body]), [['invalidated', { areas: ['variables'] }]]);
    st.events.length = 0;
    await st.dc.setVariableRequest({ variablesReference: regs, name: 'pc', value: '0x10' });
    await settle();
    assert.deepStrictEqual(st.events.map((e) => [e.event, e.body]), [['invalidated', { areas: ['stacks'], threadId: 1 }]]);
    assert.strictEqual((await top(st.dc)).line, lineOf(LOOP, 'cmp r1, 10'));
  });

  it('writeMemory and setting a page-table entry send a memory event for the bytes written', async () => {
    const line = lineOf(HELLO, 'ring 3 -> ring 0 -> ring 3');
    const st = await start(HELLO, ALL, {}, (dc) => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line }] }));
    s = st;
    const w = await st.dc.customRequest('writeMemory', { memoryReference: 'phys:0x100', offset: 4, data: Buffer.from([1, 2, 3, 4]).toString('base64') });
    assert.strictEqual((w.body as DebugProtocol.WriteMemoryResponse['body'])?.bytesWritten, 4);
    await settle();
    assert.deepStrictEqual(st.events.map((e) => [e.event, e.body]), [
      ['memory', { memoryReference: 'phys:0x100', offset: 4, count: 4 }],
      ['invalidated', { areas: ['variables'] }],
    ]);
    st.events.length = 0;
    const paging = await scope(st.dc, 'Paging');
    const entry = (await st.dc.variablesRequest({ variablesReference: paging })).body.variables.find((v) => v.name.startsWith('table entry @ '))!;
    const value = (await st.dc.evaluateRequest({ expression: entry.evaluateName!, context: 'watch' })).body.result.split(' ')[0];
    await st.dc.setVariableRequest({ variablesReference: paging, name: entry.name, value });
    await settle();
    assert.deepStrictEqual(st.events[0], { ...st.events[0], event: 'memory', body: { memoryReference: `phys:${entry.name.slice('table entry @ '.length)}`, offset: 0, count: 4 } });
  });

  it('a client that did not declare the events gets none', async () => {
    const st = await start(LOOP, {}, { stopOnEntry: true });
    s = st;
    await st.dc.setVariableRequest({ variablesReference: await scope(st.dc, 'Registers'), name: 'pc', value: '0x10' });
    await st.dc.customRequest('writeMemory', { memoryReference: '0x100', data: Buffer.from([1]).toString('base64') });
    await settle();
    assert.deepStrictEqual(st.events, []);
  });

  it('variables honours filter, start and count; the TLB is an indexed list', async () => {
    const line = lineOf(HELLO, 'ring 3 -> ring 0 -> ring 3');
    const st = await start(HELLO, ALL, {}, (dc) => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line }] }));
    s = st;
    const dc = st.dc;
    const names = async (args: Partial<DebugProtocol.VariablesArguments> & { variablesReference: number }) => (await dc.variablesRequest(args)).body.variables.map((v) => v.name);
    const regs = await scope(dc, 'Registers');
    assert.deepStrictEqual(await names({ variablesReference: regs, start: 2, count: 3 }), ['r2', 'r3', 'r4']);
    assert.deepStrictEqual(await names({ variablesReference: regs, filter: 'indexed' }), []);
    assert.strictEqual((await names({ variablesReference: regs, filter: 'named' })).length, 18);
    const tlb = (await dc.variablesRequest({ variablesReference: await scope(dc, 'Paging') })).body.variables.find((v) => v.name === 'TLB')!;
    assert.ok(tlb.indexedVariables! >= 2, `TLB entries: ${tlb.indexedVariables}`);
    const all = await names({ variablesReference: tlb.variablesReference, filter: 'indexed' });
    assert.strictEqual(all.length, tlb.indexedVariables);
    assert.deepStrictEqual(await names({ variablesReference: tlb.variablesReference, filter: 'indexed', start: 1, count: 1 }), [all[1]]);
    assert.deepStrictEqual(await names({ variablesReference: tlb.variablesReference, filter: 'named' }), []);
  });
});
