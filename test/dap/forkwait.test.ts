/** samples/forkwait in the debugger: the VT-x + shadow run shows the guest's own tables (published by its hypervisor) beside the shadow. */
import * as assert from 'assert';
import * as path from 'path';
import { launchAndStop, move, ROOT, Session } from './helpers';
import type { PageTablesResponseBody } from '../../debug-adapter/protocol';

const FORKWAIT = path.join(ROOT, 'samples/forkwait/forkwait.rasm');
const NFORK = 8;                                   // guest.rasm: u_fork is called this many times per run
const page = (tables: { pages: { va: number; target: number }[] }[], va: number) => tables.flatMap((t) => t.pages).find((p) => p.va === va);

describe('DAP: samples/forkwait', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('stops at the same guest line in each run; in the VT-x + shadow one the guest\'s tables are beside the shadow', async () => {
    const started = await launchAndStop(FORKWAIT, {}, (dc) => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'u_fork' }] }));
    s = started;
    const first = started.stop.body.threadId;
    // Runs 1 (native) and 2 (binary translation) call fork NFORK times each in the host's own mode, at
    // the same addresses (guest-physical = host-physical); the next stop is run 3, VM 1.
    let stop = started.stop;
    for (let i = 0; i < 2 * NFORK; i++) {
      assert.strictEqual(stop.body.threadId, first, `stop ${i + 1} is in the host's thread`);
      stop = await move(started.dc, () => started.dc.continueRequest({ threadId: stop.body.threadId ?? 1 }));
    }
    assert.notStrictEqual(stop.body.threadId, first, 'run 3 stops in the VM\'s thread');
    const body = (await s.dc.customRequest('pageTables', { space: 1 })).body as PageTablesResponseBody;
    assert.strictEqual(body.space.eptPointer, 0);
    assert.strictEqual(body.space.cr3, 0x4f8000, 'the CPU walks the shadow directory (SPD)');
    assert.ok(body.guestCr3 !== undefined && body.guestCr3 >= 0x330000 && body.guestCr3 < 0x400000, `the guest's own directory, a frame of its pool (${body.guestCr3})`);
    assert.ok(body.guestTables, 'the guest\'s own tables are there');
    // forkwait's code: guest-physical 0x110000 in the guest's table, and the same host frame in the
    // shadow the CPU is running on; the shadow's entry is read-only where the guest's is too.
    assert.strictEqual(page(body.guestTables!, 0x400000)?.target, 0x110000);
    assert.strictEqual(page(body.tables, 0x400000)?.target, 0x110000);
    // The guest kernel's half is there in both: its code at 0xC0004000 (guest-physical 0x4000).
    assert.strictEqual(page(body.guestTables!, 0xc0004000)?.target, 0x4000);
  });
});
