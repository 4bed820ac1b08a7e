import * as assert from 'assert';
import { cpu, identityPaging } from './helpers/cpu';

describe('Shadow call stacks', () => {
  it('record calls and pop them on ret', () => {
    const f = cpu(`.org 0\n_start: mov sp, 0x8000\n    call a\n    out 0xF4, r0\na: call b\n    ret\nb: hlt`);
    f.run().expectStop('deadlock');
    const frames = f.m.callFrames();
    assert.deepStrictEqual(frames.map((x) => [x.kind, x.target]), [['call', f.sym('b')], ['call', f.sym('a')]]);
  });

  it('keep one stack per page directory, so a process switch does not mix frames', () => {
    // Two directories mapping the same memory; a call made under the first is not seen under the second.
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
    assert.strictEqual(f.m.callFrames().length, 0, 'the second directory has no frames yet');
    f.m.setSysReg(3, 0x10000);
    assert.strictEqual(f.m.callFrames().length, 1, 'the first still has its call');
  });
});
