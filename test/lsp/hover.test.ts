import * as assert from 'assert';
import { at, lines } from './helpers';

function hover(src: string, others: Record<string, string> = {}, marker = '|'): string {
  const f = at(src, others, marker);
  const h = f.ls.doHover(f.uri, f.pos);
  if (!h) return '';
  return (h.contents as { value: string }).value;
}

describe('lsp service: hover', () => {
  it('an instruction: forms, semantics, privilege, sensitivity, non-root behaviour, encoding', () => {
    const h = hover(lines('.ring 1', '    po|pf'));
    assert.match(h, /\*\*popf\*\*/);
    assert.match(h, /Pops a word into the flags/);
    assert.match(h, /Unprivileged/);
    assert.match(h, /Popek-Goldberg violation/);
    assert.match(h, /Never exits \(VT-x has no such exit\)/);
    assert.match(h, /opcode 0x[0-9A-F]{2}, 1 word/);
    assert.match(h, /At `.ring 1`:\*\* 'popf' is sensitive but not privileged/);
  });

  it('a label named like a system register or VMCS field, where a value goes, is the label', () => {
    assert.match(hover(lines('status: .word 0', '    mov r3, sta|tus')), /^\*\*status\*\* — label at `0x00000000`/);
    assert.match(hover(lines('status: .word 0', '    rdsr r3, sta|tus')), /system register/);
    assert.match(hover(lines('guest_pc: nop', '    jmp guest|_pc')), /^\*\*guest_pc\*\* — label/);
  });

  it('popf in a user program (.ring 3): says what it does there, not "runs normally"', () => {
    assert.match(hover(lines('.ring 3', '    po|pf')), /At `.ring 3`:\*\* in a user program 'popf' loads the flags but leaves IF unchanged/);
  });

  it('the encoding says which field each register goes in: the first in A, the second in B', () => {
    const h = hover('    mo|v r1, r2');
    assert.match(h, /`mov rd, rs`: opcode 0x[0-9A-F]{2}, 1 word \(register in A; register in B\)/);
    assert.match(hover('    s|t [r1 + 4], r2'), /base register in B, displacement in word 1; register in A/);
  });

  it('VT-x as it is: popf/pushf/rdsr status say VT-x does not exit on them; at .ring 0 the hole is closed; a privileged instruction says what it does in a VM', () => {
    for (const src of ['    po|pf', '    pu|shf', '    rd|sr r1, status']) {
      const h = hover(lines('.ring 1', src));
      assert.match(h, /VT-x does not exit on it either: it closes the hole by running the guest kernel in non-root ring 0/, src);
      assert.match(h, /will not trap to the hypervisor \(VT-x does not exit on it either/, src);
    }
    assert.match(hover(lines('.ring 1', '    rd|sr r1, status')), /`rdsr status` never exits: in non-root ring 0 it truthfully says ring 0/);
    const r0 = hover(lines('.ring 0', '    po|pf'));
    assert.match(r0, /At `.ring 0`:\*\* runs normally: 'popf' really changes IF\. In a VM's non-root ring 0 it does the same on the guest's own state without a VM exit/);
    assert.match(hover(lines('.ring 0', '    rd|sr r1, status')), /'rdsr status' truthfully says ring 0/);
    // Not a hole: a plain instruction at ring 0 just runs.
    assert.match(hover(lines('.ring 0', '    m|ov r1, 1')), /At `.ring 0`:\*\* runs normally\.$/);
    const cli = hover('    c|li');
    assert.match(cli, /\*\*In a VM \(non-root mode, guest ring 0\):\*\* Never exits: in non-root ring 0 it clears the guest's own IF/);
    assert.doesNotMatch(cli, /Same as in root mode/);
    assert.match(hover('    i|ret'), /guest ring 0\):\*\* Never exits: in non-root ring 0 it returns within the guest/);
    assert.doesNotMatch(hover('    i|ret'), /VM bit/);
    assert.match(hover('    wr|sr cr3, r1'), /guest ring 0\):\*\* `wrsr cr3` exits \(28 CR3 access/);
  });

  it("an instruction's words on this line", () => {
    const h = hover('    m|ov r1, 5');
    assert.match(h, /This line:\*\* `mov rd, imm` — opcode 0x[0-9A-F]{2}, 2 words .*: `0x[0-9A-F]{8} 0x00000005`/);
  });

  it('a privileged instruction in ring 3 code says it traps', () => {
    assert.match(hover(lines('.ring 3', '    |cli')), /traps with #GP \(trap 13\) at CPL 3/);
  });

  it('a label: address, load address and defining line', () => {
    const h = hover(lines('.org 0x1000, 0xC0001000', '    nop', 'kmain: jmp km|ain'));
    assert.match(h, /\*\*kmain\*\* — label at `0xc0001004`, loaded at physical `0x00001004`/);
    assert.match(h, /defined at \/w\/main.rasm:3/);
  });

  it('a local label and its definition', () => {
    const h = hover(lines('f:', '.l|oop: jmp .loop'));
    assert.match(h, /\*\*f\.loop\*\* — label at `0x00000000`/);
  });

  it('an .equ: its value', () => {
    assert.match(hover(lines('.equ SIZE, 0x40 * 2', '    mov r1, SI|ZE')), /\*\*SIZE\*\* — constant = `0x00000080` \(128\)/);
  });

  it('a label defined in an included file', () => {
    assert.match(hover('.include "lib.rasm"\n    call he|lper', { 'lib.rasm': 'helper: ret' }), /defined at \/w\/lib.rasm:1/);
  });

  it('system registers and VMCS fields: their meaning', () => {
    assert.match(hover('    wrsr c|r3, r1'), /Physical address of the page directory/);
    assert.match(hover('    vmread r1, exit_rea|son'), /VMCS field 20 .*read-only[\s\S]*Why the last VM exit happened/);
  });

  it('a system call number moved into r0 before syscall: the call name', () => {
    const src = lines('.equ SYS_EXIT, 60', '    mov r0, SYS_EX|IT', '    mov r1, 0', '    syscall');
    assert.match(hover(src), /System call 60: `exit`/);
    assert.match(hover(lines('    mov r0, |1', '    syscall')), /System call 1: `write`/);
    assert.match(hover(lines('    mov r0, 39', '    mov r1, 2', '    sys|call')), /System call 39: `getpid`/);
  });

  it('no system call name when r0 is overwritten in between', () => {
    assert.doesNotMatch(hover(lines('    mov r0, |1', '    add r0, 1', '    syscall')), /System call/);
  });

  it('registers, directives, numbers; nothing in comments', () => {
    assert.match(hover('    mov s|p, 1'), /stack pointer/);
    assert.match(hover('    .ri|ng 3'), /privilege level/);
    assert.match(hover('    mov r1, 0x4|1'), /`65` = `0x00000041` = `'A'`/);
    assert.strictEqual(hover('    nop ; mov |r1'), '');
  });
});
