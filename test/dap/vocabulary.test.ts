/**
 * One student vocabulary over the wire (issue 18): stopped inside a VM, the stop text, the
 * threads, the stack frames, the Variables view, the Debug Console and the Page Tables panel's
 * request say where the CPU is with the vocabulary's words (emulator/isa/vocabulary.ts), in the
 * session's language. test/unit/vocabulary.test.ts checks the CLI, the status line and the pages.
 */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { setLocale, t, words } from '../../language/l10n';
import { breakAt, fixture, HELLO, launchAndStop, lineOf, newClient, Session, top, variables } from './helpers';

const VM = fixture('vm.rasm');

interface Seen {
  stop: string;
  threads: string[];
  guestFrame: string;
  hostFrame: string;
  mode: string;
  spaces: string[];
  tlb: string;
  /** The Variables scopes of a live frame (Registers, System, Paging, VMCS). */
  scopes: string[];
}

/** Stop in the guest (VM 1, ring 0) with the adapter speaking `locale`, and collect what each view says. */
async function seen(s: Session, locale: string): Promise<Seen> {
  await s.dc.initializeRequest({ adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', locale });
  const stopped = s.dc.waitForEvent('stopped');
  await Promise.all([
    s.dc.waitForEvent('initialized').then(async () => {
      await s.dc.setBreakpointsRequest({ source: { path: VM }, breakpoints: [{ line: lineOf(VM, '; VMCALL1') }] });
      await s.dc.configurationDoneRequest();
    }),
    s.dc.launchRequest({ program: VM } as DebugProtocol.LaunchRequestArguments),
  ]);
  const stop = (await stopped) as DebugProtocol.StoppedEvent;
  assert.strictEqual(stop.body.threadId, 2, 'stopped in the guest\'s thread');
  const guest = await top(s.dc, 2);
  const scopes = (await s.dc.scopesRequest({ frameId: guest.id })).body.scopes.map((x) => x.name);
  const space = async (id: number) => ((await s.dc.customRequest('pageTables', { space: id })).body as { space: { name: string } }).space.name;
  return {
    stop: stop.body.description ?? '',
    threads: (await s.dc.threadsRequest()).body.threads.map((t) => t.name),
    guestFrame: guest.name,
    hostFrame: (await top(s.dc, 1)).name,
    // The second scope is System, in the session's language.
    mode: (await variables(s.dc, guest.id, scopes[1])).find((v) => v.name === 'mode')!.value,
    scopes,
    spaces: [await space(0), await space(1)],
    tlb: (await s.dc.evaluateRequest({ expression: 'info tlb', context: 'repl' })).body.result,
  };
}

describe('dap: every view words where the CPU is with the one vocabulary', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
    setLocale('en');
  });

  it('in English and in Korean: the stop, threads, frames, Variables, the console and the panels\' space names agree, and Korean differs', async () => {
    const both: Record<string, Seen> = {};
    for (const locale of ['en', 'ko']) {
      s = await newClient();
      const v = await seen(s, locale);
      await s.dc.stop();
      s = undefined;
      setLocale(locale);
      const here = words.where(1, 0);
      assert.ok(v.stop.includes(here), `${locale}: the stop text '${v.stop}' says '${here}'`);
      assert.deepStrictEqual(v.threads, [words.thread(0), words.thread(1)]);
      const guest = words.runner(1, 0, true);
      assert.ok(v.guestFrame.startsWith(`${guest.who}: `) && v.guestFrame.includes(guest.tag) && guest.tag.includes(here), v.guestFrame);
      const host = words.runner(0, 0, true);
      assert.ok(v.hostFrame.startsWith(`${host.who}: `) && v.hostFrame.includes(host.tag), v.hostFrame);
      assert.strictEqual(v.mode, words.mode(true, 1));
      assert.deepStrictEqual(v.spaces, [words.space(0), words.space(1)]);
      assert.deepStrictEqual(v.scopes.slice(0, 3), [t('Registers'), t('System'), t('Paging')]);
      assert.ok(v.tlb.includes(`(${words.space(0)}: `) && v.tlb.includes(`\n  ${words.space(1)}: `), v.tlb);
      both[locale] = v;
    }
    for (const k of Object.keys(both.en) as (keyof Seen)[]) assert.notDeepStrictEqual(both.ko[k], both.en[k], k);
  });

  it('a program that never entered a VM has no host: one thread "CPU", and no view names a space', async () => {
    s = await launchAndStop(HELLO, {}, breakAt(HELLO, 'syscall_entry:'));
    assert.deepStrictEqual((await s.dc.threadsRequest()).body.threads.map((x) => [x.id, x.name]), [[1, 'CPU']]);
    const pt = (await s.dc.customRequest('pageTables', {})).body as { space: { name: string } };
    assert.strictEqual(pt.space.name, 'CPU');
    const tlb = (await s.dc.evaluateRequest({ expression: 'info tlb', context: 'repl' })).body.result;
    assert.match(tlb, /^TLB: \d+ valid entries \(hits \d+, misses \d+/);
    assert.match(tlb, /\n {2}slot +\d+ {2}0x[0-9a-f]{8} → 0x/);
    assert.doesNotMatch(tlb, /host/);
    const info = (await s.dc.dataBreakpointInfoRequest({ name: '0xc0000000' })).body;
    assert.ok(!/host/.test(info.description) && /\(cr3 0x[0-9a-f]{8}\)$/.test(info.description), info.description);
  });
});
