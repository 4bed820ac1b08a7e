/**
 * THE instruction table. The decoder, the assembler, the disassembler, the
 * language server's hover/completion and docs/isa.md all read this one list.
 *
 * Encoding (one or two little-endian 32-bit words):
 *   word 0: bits 0-7 opcode | bits 8-11 A | bits 12-15 B | bits 16-31 X
 *   word 1: a 32-bit immediate, displacement or absolute address (forms with imm/mdisp/mabs)
 * Operand placement: a memory operand's base register goes in B and its
 * displacement/address in word 1; other registers fill A, then B; immediates
 * and jump targets go in word 1; system-register ids, VMCS field ids, ports
 * and vectors go in X. Fields a form does not use must be zero (else trap 6).
 */
import { Op } from './opcodes';

export type OperandKind =
  | 'reg' // r0..r15, sp, fp
  | 'imm' // expression, 32 bits (word 1)
  | 'mreg' // [reg]
  | 'mdisp' // [reg + expr] / [reg - expr]
  | 'mabs' // [expr]
  | 'sreg' // system register name
  | 'field' // VMCS field name
  | 'port' // port number 0..0xFFFF
  | 'vector'; // interrupt vector 0..255

export interface Form {
  op: Op;
  operands: readonly OperandKind[];
  words: 1 | 2;
}

/** Who may execute it: anyone; CPL 0 only (else #GP); CPL 0 except `rdsr status`; VMX root CPL 0 only (else trap 6). */
export type Privilege = 'none' | 'cpl0' | 'cpl0-but-status' | 'vmx-root';
export type Sensitivity = 'control' | 'behaviour' | null;
/**
 * Where control goes after the instruction: `next` falls through; `branch` falls through or
 * jumps; `jump`, `call`, `return` transfer; `trap` raises a vector (a handler, or the hypervisor,
 * runs and may change any register); `trap-return` is iret; `halt` waits for an interrupt;
 * `vm-entry` runs a guest until it exits.
 */
export type Flow = 'next' | 'branch' | 'jump' | 'call' | 'return' | 'trap' | 'trap-return' | 'halt' | 'vm-entry';
export type Group = 'move' | 'load/store' | 'stack' | 'ALU' | 'compare' | 'jumps' | 'calls' | 'traps' | 'system' | 'VMX' | 'other';

export interface InstructionDef {
  mnemonic: string;
  aliases: readonly string[];
  group: Group;
  /** Operand names for the syntax line, one list per form (same order as `forms`). */
  syntax: readonly string[];
  forms: readonly Form[];
  privileged: Privilege;
  sensitive: Sensitivity;
  setsFlags: boolean;
  flow: Flow;
  /** Its first operand is a register it writes (rd). */
  writesFirst: boolean;
  /** It may fault with no memory access and no privilege check involved (division by zero). */
  canFault?: boolean;
  /** The vector it raises through the IVT: a fixed one, or its operand's (`int n`). */
  gate?: number | 'operand';
  summary: string;
  doc: string;
  /** What it does in VMX non-root mode, when that differs or matters. */
  nonRoot: string;
  /** What it does to Z N C V when that is not an ALU result (setsFlags) nor nothing: popf, iret, the VMX instructions' results. */
  flagsNote?: string;
}

function form(op: Op, ...operands: OperandKind[]): Form {
  const words = operands.some((k) => k === 'imm' || k === 'mdisp' || k === 'mabs') ? 2 : 1;
  return { op, operands, words };
}

const MEM_LOAD = (a: Op, b: Op, c: Op) => [form(a, 'reg', 'mreg'), form(b, 'reg', 'mdisp'), form(c, 'reg', 'mabs')];
const MEM_STORE = (a: Op, b: Op, c: Op) => [form(a, 'mreg', 'reg'), form(b, 'mdisp', 'reg'), form(c, 'mabs', 'reg')];
const RR_RI = (rr: Op, ri: Op) => [form(rr, 'reg', 'reg'), form(ri, 'reg', 'imm')];
const TARGET = (i: Op, r: Op) => [form(i, 'imm'), form(r, 'reg')];

const ASIS = 'Same as in root mode.';

interface Spec extends Partial<InstructionDef> {
  mnemonic: string;
  group: Group;
  forms: Form[];
  syntax: string[];
  summary: string;
}

function def(s: Spec): InstructionDef {
  return {
    aliases: [],
    privileged: 'none',
    sensitive: null,
    setsFlags: false,
    flow: 'next',
    writesFirst: false,
    doc: s.summary,
    nonRoot: ASIS,
    ...s,
  };
}

const alu = (mnemonic: string, rr: Op, ri: Op, summary: string, doc: string) =>
  def({ mnemonic, group: 'ALU', forms: RR_RI(rr, ri), syntax: ['rd, rs', 'rd, imm'], setsFlags: true, writesFirst: true, summary, doc });

const jcc = (mnemonic: string, i: Op, r: Op, cond: string, aliases: string[] = []) =>
  def({ mnemonic, aliases, group: 'jumps', flow: 'branch', forms: TARGET(i, r), syntax: ['target', 'rs'], summary: `Jump if ${cond}.`, doc: `Jumps to the target (a label/expression, or the address in a register) if ${cond}; otherwise falls through.` });

export const INSTRUCTIONS: readonly InstructionDef[] = [
  def({ mnemonic: 'mov', writesFirst: true, group: 'move', forms: RR_RI(Op.MOV_RR, Op.MOV_RI), syntax: ['rd, rs', 'rd, imm'], summary: 'Copy a register or an immediate into rd.', doc: 'rd ← src. Flags are not changed.' }),

  def({ mnemonic: 'ld', writesFirst: true, group: 'load/store', forms: MEM_LOAD(Op.LD_MR, Op.LD_MD, Op.LD_MA), syntax: ['rd, [rb]', 'rd, [rb + disp]', 'rd, [addr]'], summary: 'Load a 32-bit word from memory.', doc: 'rd ← word at the linear address. Goes through paging (and EPT in a VM); may page-fault.' }),
  def({ mnemonic: 'ldb', writesFirst: true, group: 'load/store', forms: MEM_LOAD(Op.LDB_MR, Op.LDB_MD, Op.LDB_MA), syntax: ['rd, [rb]', 'rd, [rb + disp]', 'rd, [addr]'], summary: 'Load a byte, zero-extended.', doc: 'rd ← byte at the linear address, zero-extended to 32 bits.' }),
  def({ mnemonic: 'st', group: 'load/store', forms: MEM_STORE(Op.ST_MR, Op.ST_MD, Op.ST_MA), syntax: ['[rb], rs', '[rb + disp], rs', '[addr], rs'], summary: 'Store a 32-bit word to memory.', doc: 'word at the linear address ← rs. A write: needs W at both paging levels (supervisor only when cr0.WP), sets the PTE dirty bit.' }),
  def({ mnemonic: 'stb', group: 'load/store', forms: MEM_STORE(Op.STB_MR, Op.STB_MD, Op.STB_MA), syntax: ['[rb], rs', '[rb + disp], rs', '[addr], rs'], summary: 'Store the low byte of rs.', doc: 'byte at the linear address ← rs & 0xFF.' }),

  def({ mnemonic: 'push', group: 'stack', forms: [form(Op.PUSH_R, 'reg'), form(Op.PUSH_I, 'imm')], syntax: ['rs', 'imm'], summary: 'Push a word on the stack.', doc: 'sp ← sp - 4; [sp] ← src. If the store faults, sp is unchanged.' }),
  def({ mnemonic: 'pop', writesFirst: true, group: 'stack', forms: [form(Op.POP, 'reg')], syntax: ['rd'], summary: 'Pop a word from the stack.', doc: 'rd ← [sp]; sp ← sp + 4 (pop sp loads sp).' }),
  def({ mnemonic: 'pushf', group: 'stack', forms: [form(Op.PUSHF)], syntax: [''], sensitive: 'behaviour', summary: 'Push flags (Z N C V and IF).', doc: 'Pushes status & 0x20F. Unprivileged but sensitive: it pushes the real IF, so a deprivileged kernel can see that its cli had no effect.', nonRoot: 'Never exits (VT-x has no such exit): it pushes the guest\'s own flags and IF. In non-root ring 0 that IF is the one the guest kernel set, so nothing is revealed.' }),
  def({ mnemonic: 'popf', group: 'stack', forms: [form(Op.POPF)], syntax: [''], sensitive: 'control', summary: 'Pop flags (Z N C V, and IF at CPL 0).', doc: 'Pops a word into the flags. At CPL 0 it also sets IF; at CPL 1-3 IF is silently left unchanged: no trap. This is a Popek-Goldberg violation (after x86 POPF): sensitive but not privileged, so trap-and-emulate misses it.', nonRoot: 'Never exits (VT-x has no such exit). In non-root ring 0 it really changes the guest\'s own IF, which is how VT-x fixes the Popek-Goldberg hole: the guest kernel is not deprivileged, and the host keeps control through external-interrupt exiting.', flagsNote: 'Z N C V from the popped word (and IF at CPL 0).' }),

  alu('add', Op.ADD_RR, Op.ADD_RI, 'Add.', 'rd ← rd + src. Z N from the result, C unsigned carry, V signed overflow.'),
  alu('sub', Op.SUB_RR, Op.SUB_RI, 'Subtract.', 'rd ← rd - src. C is the borrow (rd < src unsigned), V signed overflow.'),
  alu('and', Op.AND_RR, Op.AND_RI, 'Bitwise and.', 'rd ← rd & src. C and V cleared.'),
  alu('or', Op.OR_RR, Op.OR_RI, 'Bitwise or.', 'rd ← rd | src. C and V cleared.'),
  alu('xor', Op.XOR_RR, Op.XOR_RI, 'Bitwise exclusive or.', 'rd ← rd ^ src. C and V cleared.'),
  alu('shl', Op.SHL_RR, Op.SHL_RI, 'Shift left.', 'rd ← rd << (src & 31). C is the last bit shifted out (0 for a zero count), V cleared.'),
  alu('shr', Op.SHR_RR, Op.SHR_RI, 'Logical shift right.', 'rd ← rd >>> (src & 31), zeros shifted in. C is the last bit shifted out.'),
  alu('sar', Op.SAR_RR, Op.SAR_RI, 'Arithmetic shift right.', 'rd ← rd >> (src & 31), the sign bit shifted in. C is the last bit shifted out.'),
  alu('mul', Op.MUL_RR, Op.MUL_RI, 'Multiply (low 32 bits).', 'rd ← low 32 bits of rd * src. C and V set when the unsigned product does not fit in 32 bits.'),
  { ...alu('div', Op.DIV_RR, Op.DIV_RI, 'Unsigned divide.', 'rd ← rd / src, unsigned. Division by zero raises trap 0 (a fault: pc stays on the div). C and V cleared.'), canFault: true },
  { ...alu('mod', Op.MOD_RR, Op.MOD_RI, 'Unsigned remainder.', 'rd ← rd % src, unsigned. Division by zero raises trap 0. C and V cleared.'), canFault: true },
  def({ mnemonic: 'neg', writesFirst: true, group: 'ALU', forms: [form(Op.NEG, 'reg')], syntax: ['rd'], setsFlags: true, summary: 'Two\'s-complement negate.', doc: 'rd ← -rd. C set unless rd was 0; V set for 0x80000000.' }),
  def({ mnemonic: 'not', writesFirst: true, group: 'ALU', forms: [form(Op.NOT, 'reg')], syntax: ['rd'], setsFlags: true, summary: 'Bitwise not.', doc: 'rd ← ~rd. Z N from the result, C and V cleared.' }),

  def({ mnemonic: 'cmp', group: 'compare', forms: RR_RI(Op.CMP_RR, Op.CMP_RI), syntax: ['ra, rb', 'ra, imm'], setsFlags: true, summary: 'Compare: set flags as for ra - src.', doc: 'Sets Z N C V as sub would, without writing ra. Follow with jl/jg (signed) or jb/ja (unsigned).' }),
  def({ mnemonic: 'test', group: 'compare', forms: RR_RI(Op.TEST_RR, Op.TEST_RI), syntax: ['ra, rb', 'ra, imm'], setsFlags: true, summary: 'Test bits: set flags as for ra & src.', doc: 'Sets Z N from ra & src, clears C V; ra unchanged.' }),

  def({ mnemonic: 'jmp', flow: 'jump', group: 'jumps', forms: TARGET(Op.JMP_I, Op.JMP_R), syntax: ['target', 'rs'], summary: 'Jump.', doc: 'pc ← target (a label/expression, or the address in a register).' }),
  jcc('jz', Op.JZ_I, Op.JZ_R, 'Z is set (equal / zero)', ['je']),
  jcc('jnz', Op.JNZ_I, Op.JNZ_R, 'Z is clear (not equal / not zero)', ['jne']),
  jcc('jl', Op.JL_I, Op.JL_R, 'less, signed (N ≠ V)'),
  jcc('jle', Op.JLE_I, Op.JLE_R, 'less or equal, signed (Z or N ≠ V)'),
  jcc('jg', Op.JG_I, Op.JG_R, 'greater, signed (not Z and N = V)'),
  jcc('jge', Op.JGE_I, Op.JGE_R, 'greater or equal, signed (N = V)'),
  jcc('jb', Op.JB_I, Op.JB_R, 'below, unsigned (C)'),
  jcc('jbe', Op.JBE_I, Op.JBE_R, 'below or equal, unsigned (C or Z)'),
  jcc('ja', Op.JA_I, Op.JA_R, 'above, unsigned (not C and not Z)'),
  jcc('jae', Op.JAE_I, Op.JAE_R, 'above or equal, unsigned (not C)'),

  def({ mnemonic: 'call', flow: 'call', group: 'calls', forms: TARGET(Op.CALL_I, Op.CALL_R), syntax: ['target', 'rs'], summary: 'Call a subroutine.', doc: 'Pushes the address of the next instruction, then jumps to the target.' }),
  def({ mnemonic: 'ret', flow: 'return', group: 'calls', forms: [form(Op.RET)], syntax: [''], summary: 'Return from a subroutine.', doc: 'Pops pc.' }),

  def({ mnemonic: 'int', flow: 'trap', gate: 'operand', group: 'traps', forms: [form(Op.INT, 'vector')], syntax: ['n'], summary: 'Software interrupt through IVT entry n.', doc: 'Raises vector n. The gate must be present and its DPL ≥ CPL, else #GP (13). The handler runs at CPL 0 (stack switched to ksp from ring 1-3) with the five-word frame; the return pc is the next instruction. A ring-1 gate (flags bit 3) runs it at CPL 1 instead (stack switched to ksp1 from ring 2-3; #GP from ring 0).', nonRoot: 'Delivered through the guest IVT; never exits, `int 3` included: as on VT-x, a software interrupt is not an exception, and exception_bitmap selects exceptions only (a #GP it raises can exit).' }),
  def({ mnemonic: 'syscall', flow: 'trap', gate: 0x80, group: 'traps', forms: [form(Op.SYSCALL)], syntax: [''], summary: 'System call: int 0x80.', doc: 'Same as int 0x80. By convention the number is in r0, arguments in r1-r5, the result comes back in r0. The numbers are those of x86-64 Linux\'s `syscall` instruction (write 1, exit 60); on Linux, `int 0x80` uses the i386 table (write 4, exit 1), but here both take the x86-64 numbers.' }),
  def({ mnemonic: 'brk', flow: 'trap', gate: 3, group: 'traps', forms: [form(Op.BRK)], syntax: [''], summary: 'Breakpoint trap: int 3.', doc: 'Same as int 3 (a trap: the return pc is the next instruction).', nonRoot: 'Exits (reason 0, vector 3, guest_pc the next instruction) when exception_bitmap bit 3 is set, before its gate is looked at, as INT3 does on VT-x.' }),

  def({ mnemonic: 'iret', flow: 'trap-return', group: 'system', forms: [form(Op.IRET)], syntax: [''], privileged: 'cpl0', sensitive: 'control', summary: 'Return from a trap handler.', doc: 'Pops error code, vector, pc, status and sp (the five-word frame) and restores pc, the whole status (flags, IF, CPL) and sp. This is how a kernel drops to ring 3. The mode (root or non-root) is not in the frame: iret never leaves a VM.', nonRoot: 'Never exits: in non-root ring 0 it returns within the guest (to its ring 3, say) from the guest\'s own frame.', flagsNote: 'Z N C V (with IF and CPL) from the frame\'s status.' }),
  def({ mnemonic: 'hlt', flow: 'halt', group: 'system', forms: [form(Op.HLT)], syntax: [''], privileged: 'cpl0', sensitive: 'control', summary: 'Halt until an interrupt.', doc: 'Stops fetching until an interrupt is delivered. Idle ticks count as steps, so the timer keeps running. When nothing can wake it, the machine stops (deadlock): IF 0 (in a VM: and no external-interrupt exit or preemption timer), or no timer or console input to come.', nonRoot: 'With exit_ctls bit 0: VM exit 12.' }),
  def({ mnemonic: 'cli', group: 'system', forms: [form(Op.CLI)], syntax: [''], privileged: 'cpl0', sensitive: 'control', summary: 'Disable interrupts (IF ← 0).', doc: 'Clears IF. Privileged: #GP at CPL > 0.', nonRoot: 'Never exits: in non-root ring 0 it clears the guest\'s own IF. The host keeps control anyway through external-interrupt exiting (exit_ctls bit 5).' }),
  def({ mnemonic: 'sti', group: 'system', forms: [form(Op.STI)], syntax: [''], privileged: 'cpl0', sensitive: 'control', summary: 'Enable interrupts (IF ← 1).', doc: 'Sets IF. When IF was 0, a pending interrupt is taken after the next instruction, not before it (the STI interrupt shadow, as on x86): `sti; hlt` halts first, and the interrupt wakes it. Privileged: #GP at CPL > 0.', nonRoot: 'Never exits: in non-root ring 0 it sets the guest\'s own IF.' }),
  def({ mnemonic: 'in', writesFirst: true, group: 'system', forms: [form(Op.IN, 'reg', 'port')], syntax: ['rd, port'], privileged: 'cpl0', sensitive: 'control', summary: 'Read a device port.', doc: 'rd ← port. Port 0x11: next console input byte, or -1 when none; 0x44/0x45: the cycle counter; 0x46: TLB misses so far; 0x47: page-walk reads so far. Unknown ports read -1.', nonRoot: 'With exit_ctls bit 1: VM exit 30 (exit_qual = port << 16 | 8); the value the hypervisor leaves in io_value lands in rd on vmresume.' }),
  def({ mnemonic: 'out', group: 'system', forms: [form(Op.OUT, 'port', 'reg')], syntax: ['port, rs'], privileged: 'cpl0', sensitive: 'control', summary: 'Write a device port.', doc: 'port ← rs. 0x10 console byte, 0x40 timer period (0 stops), 0xF4 power off with exit code rs. Unknown ports ignore writes.', nonRoot: 'With exit_ctls bit 1: VM exit 30 (exit_qual = port << 16, io_value = rs).' }),
  def({ mnemonic: 'rdsr', writesFirst: true, group: 'system', forms: [form(Op.RDSR, 'reg', 'sreg')], syntax: ['rd, SR'], privileged: 'cpl0-but-status', sensitive: 'behaviour', summary: 'Read a system register.', doc: 'rd ← SR. Privileged (#GP at CPL > 0) except `rdsr rd, status`, which works at any CPL and reveals the real CPL: a Popek-Goldberg violation, like reading CS on x86 (its low two bits are the CPL).', nonRoot: '`rdsr status` never exits: in non-root ring 0 it truthfully says ring 0, and no bit of status tells the guest it runs in a VM. `rdsr rd, cr3` exits (28, exit_qual = rd | 0x10) with exit_ctls bit 4 (CR3 reads): the hypervisor puts the value the guest should see in rd and resumes past the instruction.' }),
  def({ mnemonic: 'wrsr', group: 'system', forms: [form(Op.WRSR, 'sreg', 'reg')], syntax: ['SR, rs'], privileged: 'cpl0', sensitive: 'control', summary: 'Write a system register.', doc: 'SR ← rs for cr0, cr2, cr3, ivt, ksp, ksp1 (status cannot be written whole: trap 6). Writing cr3 or cr0 flushes the TLB of the current address space.', nonRoot: '`wrsr cr3` exits (28 CR3 access, exit_qual = the source register, bit 4 clear) with exit_ctls bit 2.' }),
  def({ mnemonic: 'invlpg', group: 'system', forms: [form(Op.INVLPG, 'reg')], syntax: ['rs'], privileged: 'cpl0', sensitive: 'control', summary: 'Drop the TLB entry for one page.', doc: 'Removes the TLB entry for the page holding linear address rs, so a changed PTE is seen.', nonRoot: 'With exit_ctls bit 3: VM exit 14 (exit_qual = exit_gva = rs).' }),

  def({ mnemonic: 'vmptrld', group: 'VMX', forms: [form(Op.VMPTRLD, 'reg')], syntax: ['rs'], privileged: 'vmx-root', sensitive: 'control', summary: 'Make the VMCS at physical address rs current.', doc: 'Loads the current-VMCS pointer. rs must be 4 KiB aligned and inside memory, else VMfailInvalid (C set). Each distinct VMCS is a VM with its own number and TLB tag.', nonRoot: 'Trap 6 in the guest.', flagsNote: 'VMsucceed clears Z N C V; VMfailInvalid sets C and VMfailValid sets Z, the others cleared (as VT-x).' }),
  def({ mnemonic: 'vmread', writesFirst: true, group: 'VMX', forms: [form(Op.VMREAD, 'reg', 'field')], syntax: ['rd, FIELD'], privileged: 'vmx-root', sensitive: 'control', summary: 'Read a field of the current VMCS.', doc: 'rd ← FIELD of the current VMCS. No current VMCS: VMfailInvalid (C set).', nonRoot: 'Trap 6 in the guest.', flagsNote: 'VMsucceed clears Z N C V; VMfailInvalid sets C and VMfailValid sets Z, the others cleared (as VT-x).' }),
  def({ mnemonic: 'vmwrite', group: 'VMX', forms: [form(Op.VMWRITE, 'field', 'reg')], syntax: ['FIELD, rs'], privileged: 'vmx-root', sensitive: 'control', summary: 'Write a field of the current VMCS.', doc: 'FIELD ← rs. Read-only fields fail with VMfailValid (Z set, vm_error 13).', nonRoot: 'Trap 6 in the guest.', flagsNote: 'VMsucceed clears Z N C V; VMfailInvalid sets C and VMfailValid sets Z, the others cleared (as VT-x).' }),
  def({ mnemonic: 'vmlaunch', flow: 'vm-entry', group: 'VMX', forms: [form(Op.VMLAUNCH)], syntax: [''], privileged: 'vmx-root', sensitive: 'control', summary: 'Enter the guest of a clear VMCS.', doc: 'VM entry: loads guest state and enters non-root mode. On a launched VMCS, or with invalid state, it falls through with VMfailValid (Z set) and vm_error says why.', nonRoot: 'Trap 6 in the guest.', flagsNote: 'A failed entry: VMfailValid sets Z (VMfailInvalid C), the others cleared; a VM entry loads the guest\'s status.' }),
  def({ mnemonic: 'vmresume', flow: 'vm-entry', group: 'VMX', forms: [form(Op.VMRESUME)], syntax: [''], privileged: 'vmx-root', sensitive: 'control', summary: 'Re-enter the guest of a launched VMCS.', doc: 'VM entry as vmlaunch, for a VMCS already launched (else VMfailValid, vm_error 5). A pending in-exit value (io_value) lands in its register.', nonRoot: 'Trap 6 in the guest.', flagsNote: 'A failed entry: VMfailValid sets Z (VMfailInvalid C), the others cleared; a VM entry loads the guest\'s status.' }),
  def({ mnemonic: 'vmcall', flow: 'trap', group: 'VMX', forms: [form(Op.VMCALL)], syntax: [''], privileged: 'vmx-root', sensitive: 'control', summary: 'Call the hypervisor.', doc: 'In non-root mode (any CPL) it exits with reason 18: a hypercall. In root mode at CPL 0: VMfailValid (vm_error 1); at CPL > 0: trap 6.', nonRoot: 'VM exit 18 at any guest CPL.', flagsNote: 'In root mode: VMfailValid sets Z, the others cleared; a VM exit loads the host\'s flags (cleared).' }),

  def({ mnemonic: 'nop', group: 'other', forms: [form(Op.NOP)], syntax: [''], summary: 'Do nothing.', doc: 'No operation.' }),
];

/** Every form by opcode (undefined entries are undefined encodings). */
export const FORM_BY_OPCODE: readonly ({ def: InstructionDef; form: Form; index: number } | undefined)[] = (() => {
  const t: ({ def: InstructionDef; form: Form; index: number } | undefined)[] = new Array(256).fill(undefined);
  for (const d of INSTRUCTIONS) {
    d.forms.forEach((f, index) => {
      if (t[f.op]) throw new Error(`opcode 0x${f.op.toString(16)} used twice`);
      t[f.op] = { def: d, form: f, index };
    });
  }
  return t;
})();

/** Instruction length in words (1 or 2) by opcode, 0 for an undefined opcode: the decoder's and the block compiler's view of the table. */
export const WORDS_BY_OPCODE: Uint8Array = (() => {
  const words = new Uint8Array(256);
  FORM_BY_OPCODE.forEach((e, op) => {
    if (e) words[op] = e.form.words;
  });
  return words;
})();

/** Who may execute each opcode (the decoder's view of `privileged`); 'undefined' for an undefined opcode. */
export const PRIVILEGE_BY_OPCODE: readonly (Privilege | 'undefined')[] = FORM_BY_OPCODE.map((e) => e?.def.privileged ?? 'undefined');

/** Whether control may reach the next instruction with every register as this one left it. */
export function fallsThrough(d: InstructionDef): boolean {
  return d.flow === 'next' || d.flow === 'branch';
}

/** Whether other code (a callee, a trap handler, the code an iret returns to, a guest) may run before the next instruction, changing any register. */
export function runsOtherCode(d: InstructionDef): boolean {
  return d.flow === 'call' || d.flow === 'trap' || d.flow === 'trap-return' || d.flow === 'vm-entry';
}

/** Whether a form reads or writes memory: a memory operand, or the stack (push, pop, call, ret, traps and iret). */
export function touchesMemory(d: InstructionDef, f: Form): boolean {
  return f.operands.some((k) => k === 'mreg' || k === 'mdisp' || k === 'mabs') || d.group === 'stack' || (d.flow !== 'next' && d.flow !== 'branch' && d.flow !== 'jump');
}

/**
 * Whether an instruction may leave a straight run of code before it completes, or hand its
 * state to other code: a fault (memory, privilege, division), a jump, a trap. Only instructions
 * for which this is false can have the flags they set dropped when a later one overwrites them.
 */
export function mayLeave(d: InstructionDef, f: Form): boolean {
  return d.flow !== 'next' || d.privileged !== 'none' || d.canFault === true || touchesMemory(d, f);
}

/** Whether an instruction needs ring 0 (a #GP above it); VMX instructions need root mode too and raise #UD instead. */
export function ring0Only(d: InstructionDef): boolean {
  return d.privileged === 'cpl0' || d.privileged === 'cpl0-but-status';
}

const BY_NAME = new Map<string, InstructionDef>();
for (const d of INSTRUCTIONS) {
  BY_NAME.set(d.mnemonic, d);
  for (const a of d.aliases) BY_NAME.set(a, d);
}

/** Look up a mnemonic or alias (case-insensitive). */
export function instructionByName(name: string): InstructionDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function allMnemonics(): string[] {
  return [...BY_NAME.keys()];
}

/** Bits of word 0 that a form leaves unused: they must be zero. */
export function reservedMask(f: Form): number {
  let used = 0xff;
  let regs = 0;
  for (const k of f.operands) {
    if (k === 'mreg' || k === 'mdisp') used |= 0xf000;
    else if (k === 'reg') used |= regs++ === 0 ? 0x0f00 : 0xf000;
    else if (k === 'sreg' || k === 'field' || k === 'port' || k === 'vector') used |= 0xffff0000;
  }
  // A form with a memory base and one register: the register goes in A.
  return ~used >>> 0;
}
