/** The Page Tables data under shadow paging: the guest's own tables, published by its hypervisor, beside the shadow the CPU walks. */
import * as assert from 'assert';
import * as path from 'path';
import { breakAt, frames, launchAndStop, move, ROOT, Session } from './helpers';
import type { PageTablesResponseBody, PageView } from '../../debug-adapter/protocol';

const SHADOW = path.join(ROOT, 'samples/hypervisor-shadow/hypervisor-shadow.rasm');
const EPT = path.join(ROOT, 'samples/hypervisor-ept/hypervisor-ept.rasm');
const atUser = (dc: Session['dc']) => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'gos_user' }] });
const page = (b: { tables: { pages: { va: number; target: number }[] }[] }, va: number) => b.tables.flatMap((t) => t.pages).find((p) => p.va === va);

describe('DAP: shadow paging in the Page Tables data', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('a guest\'s frames keep their source lines while its hypervisor empties the shadow (through the guest\'s own tables)', async () => {
    // The sixth cr3 write of the run: the hypervisor then flushes (sh_flush), zeroing the shadow directory entry by entry.
    s = await launchAndStop(SHADOW, {}, (dc) => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'vm-exit', condition: 'cr3 write' }] }));
    for (let i = 0; i < 5; i++) await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    await s.dc.setExceptionBreakpointsRequest({ filters: [] });
    let lost = 0;
    for (let i = 0; i < 150; i++) {
      await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
      for (const t of (await s.dc.threadsRequest()).body.threads) {
        const fs = (await s.dc.stackTraceRequest({ threadId: t.id, startFrame: 0, levels: 20 })).body.stackFrames;
        lost += fs.filter((f) => f.presentationHint !== 'label' && /guest/.test(f.name) && !f.source).length;
      }
    }
    assert.strictEqual(lost, 0);
  });

  it('shows the guest\'s own tables (guest-physical) beside the shadow (host-physical) for a VM without EPT', async () => {
    s = await launchAndStop(SHADOW, {}, atUser);
    const body = (await s.dc.customRequest('pageTables', { space: 1 })).body as PageTablesResponseBody;
    assert.strictEqual(body.space.eptPointer, 0);
    assert.strictEqual(body.space.cr3, 0x20000, 'the CPU walks VM 1\'s shadow directory');
    assert.strictEqual(body.guestCr3, 0x10000, 'the directory the guest loaded (and reads back)');
    const own = { tables: body.guestTables! };
    assert.ok(body.guestTables, 'the guest\'s own tables are there');
    // The guest kernel's code page: guest-physical 0x1000 in the guest's table, the shared host frame 0x101000 in the shadow.
    assert.strictEqual(page(own, 0xc0001000)?.target, 0x1000);
    assert.strictEqual(page(body, 0xc0001000)?.target, 0x101000);
    assert.strictEqual(page(own, 0x400000)?.target, 0x200000, 'the user program, as the guest maps it');
    // Dirty bits as the hardware would set them: the kernel's code page (mapped writable by the
    // guest, only ever fetched) is accessed but clean; its variables' page has been written.
    const entry = (va: number) => (own.tables.flatMap((t) => t.pages).find((p) => p.va === va) as { entry: number } | undefined)?.entry ?? 0;
    assert.deepStrictEqual([entry(0xc0001000) & 0x62, entry(0xc000a000) & 0x62], [0x22, 0x62], 'A and W, no D; then A, D and W');
    // The guest's kernel page table is its guest-physical 0x12000, in VM 1's own memory (host 0x400000 + gpa).
    assert.strictEqual(body.guestTables!.find((t) => t.dir === 768)?.tableAddress, 0x412000);
    // The stop event's page view carries them too, whole.
    const view = (await s.dc.customRequest('pageView', { space: 1, va: 0x400000 })).body as PageView;
    assert.deepStrictEqual(view.guestTables!.map((t) => t.dir), body.guestTables!.map((t) => t.dir));
    assert.ok(view.guestTables!.every((t) => t.runs.length === t.runCount));
  });

  it('has no guest tables where the CPU walks them itself (EPT)', async () => {
    s = await launchAndStop(EPT, {}, atUser);
    const body = (await s.dc.customRequest('pageTables', { space: 1 })).body as PageTablesResponseBody;
    assert.ok(body.space.eptPointer !== 0 && body.eptTables);
    assert.strictEqual(body.guestTables, undefined);
    assert.strictEqual(page(body, 0xc0001000)?.target, 0x1000, 'guest tables are what cr3 points at');
  });

  // What the two READMEs' "What to watch" say about the guest's `wrsr cr3, r4` in gos_switch.
  const GOS = path.join(ROOT, 'samples/common/guest-os.rasm');
  const stepFromCr3Write = async (program: string, how: 'next' | 'stepIn') => {
    const started = await launchAndStop(program, {}, breakAt(GOS, 'wrsr cr3, r4'));
    s = started;
    const thread = started.stop.body.threadId!;
    const ev = await move(started.dc, () => (how === 'next' ? started.dc.nextRequest({ threadId: thread }) : started.dc.stepInRequest({ threadId: thread })));
    return { thread, ev, frame: (await frames(started.dc, ev.body.threadId))[0] };
  };

  it('shadow paging: step into the guest\'s cr3 write lands in hv_exit; step over it stops in the guest again', async () => {
    const into = await stepFromCr3Write(SHADOW, 'stepIn');
    assert.match(into.frame.name, /hv_exit/);
    await s!.dc.stop();
    const over = await stepFromCr3Write(SHADOW, 'next');
    assert.strictEqual(over.ev.body.threadId, over.thread, 'the same VM');
    assert.match(over.frame.name, /gos_switch/);
    assert.match(String(over.ev.body.description), /VM entry into VM 1: stopped in the guest/);
  });

  // The README's "write faults only to set the guest's D bit": tiny-os's page-fault handler reads
  // its process's user page-table entry (is it mapped already?) before it stores the new one.
  it('shadow paging: a page the guest read first is clean and read-only in the shadow until its first write sets D', async () => {
    s = await launchAndStop(SHADOW, {}, breakAt(GOS, 'st [r3 + GK_BASE], r2'));
    const thread = s.stop!.body.threadId!;
    const space = thread - 1;
    const UPT1 = 0xc0013000; // process 1's user page table, through the kernel's map (process 1 faults first)
    const entries = async () => {
      const body = (await s!.dc.customRequest('pageTables', { space })).body as PageTablesResponseBody;
      const at = (tables: { pages: { va: number; entry: number }[] }[]) => tables.flatMap((t) => t.pages).find((p) => p.va === UPT1)?.entry ?? 0;
      return { guest: at(body.guestTables!) & 0x63, shadow: at(body.tables) & 0x3 };
    };
    assert.deepStrictEqual(await entries(), { guest: 0x23, shadow: 0x1 }, 'read, not yet written: guest A (no D), shadow present but read-only');
    const ev = await move(s.dc, () => s!.dc.nextRequest({ threadId: thread }));
    assert.strictEqual(ev.body.threadId, thread, 'the same VM');
    assert.deepStrictEqual(await entries(), { guest: 0x63, shadow: 0x3 }, 'written: the hypervisor set the guest\'s D and made the shadow entry writable');
  });

  it('EPT: step into the guest\'s cr3 write stays in the guest (no exit)', async () => {
    const into = await stepFromCr3Write(EPT, 'stepIn');
    assert.strictEqual(into.ev.body.threadId, into.thread);
    assert.match(into.frame.name, /gos_switch/);
  });
});
