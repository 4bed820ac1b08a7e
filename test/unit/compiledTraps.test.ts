/**
 * What compiled traps and irets (blocktrap.ts) remember between one transition and the next, held
 * to the interpreter. The event sites count a transition that continues the log's open repeat from
 * what the site remembers of its last event (events.ts pushSource): the template number and the
 * words that change at run time. These programs change one such word at a time (the system call
 * number, sp at the trap, the return address) while the log still expects the site's last
 * template, and the log must read back as the interpreter's, event by event. The supervisor's
 * pages (the kernel stack page, the IVT page) are kept across ring changes, and must be forgotten
 * when a walk may have taken their TLB slot.
 */
import * as assert from 'assert';
import { assembleText } from '../../language/assembler';
import { Machine } from '../../emulator';
import { kernel, TO_RING3, userCalls } from '../../scripts/benchWorkloads';
import { tlbSlot } from '../../emulator/tlb';
import { differential, fingerprint } from './blocks.test';

/**
 * A ring 3 loop of system calls, each word of whose events changes on its own while the others
 * stay: r0 at the trap every `every` calls, sp at the trap every 64 calls, the site (`syscall` or
 * `int 0x81`, one handler) every 1,024. The handler edits its frame as a kernel delivering a
 * signal would: every 2 × `every` calls the vector in it, and two calls later the address iret
 * returns to (`alt`, a jump to where every call returns), change: the iret's words change one at
 * a time while the trap's stay.
 * Each change comes at the same step of its call (the timing alone never tells two events apart)
 * and apart from the others, in the middle of a repeat that expects the site's last template.
 */
function program(every: number, calls: number): string {
  const k = Math.log2(every);
  return kernel(
    [[0x80, 'sys', 3], [0x81, 'sys', 3]],
    `${TO_RING3}sys:    cmp r0, 9
        jz .exit
        add r5, r0
        mov r2, r6
        add r2, ${every / 2 + 1}
        shr r2, ${k + 1}
        and r2, 1
        add r2, 0x80
        st [sp + 4], r2
        mov r3, r6
        add r3, ${every / 2 + 3}
        shr r3, ${k + 1}
        and r3, 1
        ld r4, [sp + 8]
        mov r2, alt
        sub r2, r4
        mul r2, r3
        add r4, r2
        st [sp + 8], r4
        iret
.exit:  out 0xF4, r5
user:   mov r6, ${calls}
uloop:  mov r0, r6
        shr r0, ${k}
        and r0, 1
        mov r1, r6
        add r1, 5
        and r1, 64
        shr r1, 4
        sub sp, r1
        mov r2, r6
        shr r2, 10
        and r2, 1
        jz ua
        int 0x81
        jmp back
ua:     syscall
        jmp back
back:   add sp, r1
        sub r6, 1
        jnz uloop
        mov r0, 9
        syscall
alt:    jmp back`,
  );
}

function load(src: string): (m: Machine) => void {
  const res = assembleText(src, 'sites.rasm');
  if (!res.ok) throw new Error(res.diagnostics.map((d) => `${d.line + 1}: ${d.message}`).join('\n'));
  return (m) => m.load(res.segments, res.entry);
}

describe('Compiled event sites (the repeat counted from the site\'s last template)', function () {
  this.timeout(60_000);

  for (const every of [4, 16, 256]) {
    it(`system calls whose number changes every ${every} calls and the frame iret reads every ${2 * every} (sp, the site: 64, 1,024) give the interpreter's log at every stop`, () => {
      const { compiled } = differential(load(program(every, 4000)), every, 400_000, 1 << 20, 3000);
      assert.ok(compiled > 0, 'the loop and its handler were compiled');
    });
  }

  it('run to the end in one go, the log holds every transition as the interpreter logs it, in a handful of records', () => {
    const prints: string[] = [];
    const records: number[] = [];
    for (const jit of [false, true]) {
      const m = new Machine({ jit, memory: 1 << 20 });
      load(program(16, 20_000))(m);
      const stop = m.run(10_000_000);
      assert.strictEqual(stop, 'poweroff');
      prints.push(fingerprint(m, stop));
      records.push(m.cpu.events.records);
      assert.strictEqual(m.eventCount, 2 * 20_001, 'the iret to ring 3, a trap and an iret per call, the trap of the last call');
    }
    assert.strictEqual(prints[1], prints[0]);
    assert.strictEqual(records[1], records[0], 'the same records: compiled code counted what push() would have counted');
  });
});

describe('Compiled traps keep the pages they found in the TLB (kernel stack, IVT, code) only while the TLB holds them', function () {
  this.timeout(60_000);

  // The frame is on page 6 (ksp 0x7000), the gates on page 1 (the IVT at 0x1000), the code on page 0; the handler reads a page that shares the slot of one.
  const pages = [
    [6, 'the kernel stack page\'s slot (a TLB of 2 entries) makes its iret miss'],
    [1, 'the IVT page\'s slot makes the next system call\'s gate read miss'],
    [0, 'the code page\'s slot makes the fetch after its iret miss'],
  ] as const;
  for (const [page, what] of pages) {
    it(`a handler whose load takes ${what}, as the interpreter's does`, () => {
      let p = 0x20;
      while (tlbSlot(p, 1) !== tlbSlot(page, 1)) p++;
      const src = kernel(
        [[0x80, 'sys', 3]],
        `${TO_RING3}sys:    ld r7, [${p * 4096}]
        cmp r0, 1
        jz .exit
        add r5, 1
        iret
.exit:  out 0xF4, r5
${userCalls(3000)}`,
      );
      const { compiled } = differential(load(src), 11, 100_000, 1 << 20, 3000, false, 2);
      assert.ok(compiled > 0);
    });
  }

  it('after the kernel takes U off the code page and its entry is walked again, the iret back to ring 3 on that page faults, as the interpreter\'s does', () => {
    // A 64-entry TLB; the handler's load at page p evicts the code page's entry (page 0), which is
    // walked again without U: the user fetch after iret is a #PF, whatever the entry allowed before.
    let p = 0x20;
    const slot = (x: number) => tlbSlot(x, 63);
    while (slot(p) !== slot(0) || [1, 6, 8].some((x) => slot(x) === slot(p))) p++;
    const src = kernel(
      [[0x80, 'sys', 3], [14, 'pf', 0]],
      `${TO_RING3}sys:    cmp r0, 1
        jz .exit
        add r5, 1
        cmp r5, 500
        jnz .ret
        ld r2, [0x11000]
        and r2, -5
        st [0x11000], r2
        ld r7, [${p * 4096}]
.ret:   iret
.exit:  out 0xF4, r5
pf:     rdsr r9, cr2
        out 0xF4, r9
${userCalls(3000)}`,
    );
    const { compiled } = differential(load(src), 13, 100_000, 1 << 20, 3000, false, 64);
    assert.ok(compiled > 0);
    const m = new Machine({ memory: 1 << 20, tlbEntries: 64 });
    load(src)(m);
    assert.strictEqual(m.run(1_000_000), 'poweroff');
    const last = m.event(m.eventCount - 1);
    assert.deepStrictEqual([last.vector, last.fromCpl, m.cpu.r[5]], [14, 3, 500], 'the user fetch after the 500th call was a #PF');
  });
});
