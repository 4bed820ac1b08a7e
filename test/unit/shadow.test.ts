import * as assert from 'assert';
import { cpu, identityPaging } from './helpers/cpu';

describe('Shadow call stacks', () => {
  it('record calls and pop them on ret', () => {
    const f = cpu(`.org 0\n_start: mov sp, 0x8000\n    call a\n    out 0xF4, r0\na: call b\n    ret\nb: hlt`);
    f.run().expectStop('deadlock');
    const frames = f.m.callFrames();
    assert.deepStrictEqual(frames.map((x) => [x.kind, x.target]), [['call', f.sym('b')], ['call', f.sym('a')]]);
  });

  it('keep one stack per page directory: a new one takes over the frames of the code that switched to it, one with frames keeps its own', () => {
    // Two directories mapping the same memory; the code that loads the second goes on on its stack, inside its call.
    const src = `.org 0
_start:
    mov sp, 0x8000
${identityPaging()}
    mov r1, 0x12000
    mov r2, 0x11007
    st [r1], r2              ; a second directory at 0x12000 with the same table
    call under_first
    out 0xF4, r0
under_first:
    mov r1, 0x12000
    wrsr cr3, r1             ; switch address space inside the call
    hlt`;
    const f = cpu(src);
    f.run().expectStop('deadlock');
    const carried = f.m.callFrames();
    assert.deepStrictEqual(carried.map((x) => [x.kind, x.cr3]), [['call', 0x10000]], 'the call still going on, pushed under the first directory');
    f.m.setSysReg(3, 0x10000);
    assert.deepStrictEqual(f.m.callFrames().map((x) => [x.kind, x.cr3]), [['call', undefined]], 'the first keeps its own call');
    f.m.setSysReg(3, 0x12000);
    assert.strictEqual(f.m.callFrames().length, 1, 'the second keeps what it took over: switching back copies nothing');
  });
});
