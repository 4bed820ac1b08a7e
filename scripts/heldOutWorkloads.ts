// Held-out programs for the v86 comparison: one of each kind of the realistic suite (a loop over
// memory, a copy, a sort, recursion, system calls, demand paging, TLB misses) but a different
// program, written for the comparison and not used to tune the block compiler, so a compiler
// shaped to the suite's own loops cannot look better than it is. Each is given as R32 source and
// as its x86 twin (GNU as, Intel syntax), instruction for instruction as in v86Workloads.ts.
import { kernel, highTables, lcgFill, mapOnFault, ARRAY, PAGES, TO_RING3, UNMAP_HIGH } from './benchWorkloads';
import { x86Done, x86Kernel, x86HighTables, x86LcgFill, x86MapOnFault, X86_TO_RING3, X86_UNMAP_HIGH, type X86Workload } from './v86Workloads';

export interface HeldOut extends X86Workload {
  /** R32 source; it powers off with the checksum. */
  src: string;
}

const BYTES = 0x10000;
const FLETCHER_PASSES = 4;
const REVERSE_PASSES = 30;
const SELECT_N = 800;
const ACK_M = 2;
const ACK_N = 400;
const ARG_CALLS = 60_000;
const READ_FAULT_PASSES = 6;
const RANDOM_TOUCHES = 120_000;

/** An LCG fill of the 64 KiB array other than the suite's (Numerical Recipes' constants). */
const r32Fill = (words: number) => lcgFill(words, 7, 1664525, 1013904223);
const x86Fill = (words: number) => x86LcgFill(words, 7, 1664525, 1013904223);

export const HELD_OUT: HeldOut[] = [
  {
    name: 'Fletcher sums over 64 KiB of bytes',
    src: `.org 0\n_start:${r32Fill(BYTES / 4)}
        mov r2, 0
        mov r4, 0
        mov r7, ${FLETCHER_PASSES}
.p:     mov r1, ${ARRAY}
        mov r0, ${BYTES}
.l:     ldb r3, [r1]
        add r2, r3
        add r4, r2
        add r1, 1
        sub r0, 1
        jnz .l
        sub r7, 1
        jnz .p
        xor r2, r4
        out 0xF4, r2`,
    body: `${x86Fill(BYTES / 4)}
        mov edx, 0
        mov ebx, 0
        mov edi, ${FLETCHER_PASSES}
pass:   mov esi, ${ARRAY}
        mov ecx, ${BYTES}
bytes:  movzx eax, byte ptr [esi]
        add edx, eax
        add ebx, edx
        add esi, 1
        sub ecx, 1
        jnz bytes
        sub edi, 1
        jnz pass
        xor edx, ebx${x86Done('edx')}`,
  },
  {
    name: 'reversing copy of 64 KiB',
    src: `.org 0\n_start:${r32Fill(BYTES / 4)}
        mov r7, ${REVERSE_PASSES}
.p:     mov r1, ${ARRAY}
        mov r2, ${ARRAY + 0x20000 - 4}
        mov r0, ${BYTES / 4}
.c:     ld r3, [r1]
        st [r2], r3
        add r1, 4
        sub r2, 4
        sub r0, 1
        jnz .c
        sub r7, 1
        jnz .p
        ld r3, [${ARRAY + 0x10000 + 4 * 100}]
        out 0xF4, r3`,
    body: `${x86Fill(BYTES / 4)}
        mov ebp, ${REVERSE_PASSES}
pass:   mov esi, ${ARRAY}
        mov edi, ${ARRAY + 0x20000 - 4}
        mov ecx, ${BYTES / 4}
copy:   mov eax, dword ptr [esi]
        mov dword ptr [edi], eax
        add esi, 4
        sub edi, 4
        sub ecx, 1
        jnz copy
        sub ebp, 1
        jnz pass
        mov eax, dword ptr [${ARRAY + 0x10000 + 4 * 100}]${x86Done('eax')}`,
  },
  {
    name: `selection sort, ${SELECT_N} words`,
    src: `.org 0\n_start:${r32Fill(SELECT_N)}
        mov r1, ${ARRAY}
        mov r9, ${ARRAY + SELECT_N * 4}
.outer: mov r4, r1
        ld r5, [r1]
        mov r6, r1
.inner: add r6, 4
        cmp r6, r9
        jz .swap
        ld r3, [r6]
        cmp r3, r5
        jge .inner
        mov r5, r3
        mov r4, r6
        jmp .inner
.swap:  ld r3, [r1]
        st [r4], r3
        st [r1], r5
        add r1, 4
        cmp r1, r9
        jnz .outer
        ld r3, [${ARRAY + 4 * (SELECT_N / 2)}]
        out 0xF4, r3`,
    body: `${x86Fill(SELECT_N)}
        mov esi, ${ARRAY}
        mov ebp, ${ARRAY + SELECT_N * 4}
outer:  mov edi, esi
        mov ebx, dword ptr [esi]
        mov edx, esi
inner:  add edx, 4
        cmp edx, ebp
        jz swap
        mov eax, dword ptr [edx]
        cmp eax, ebx
        jge inner
        mov ebx, eax
        mov edi, edx
        jmp inner
swap:   mov eax, dword ptr [esi]
        mov dword ptr [edi], eax
        mov dword ptr [esi], ebx
        add esi, 4
        cmp esi, ebp
        jnz outer
        mov eax, dword ptr [${ARRAY + 4 * (SELECT_N / 2)}]${x86Done('eax')}`,
  },
  {
    name: `recursive Ackermann(${ACK_M}, ${ACK_N})`,
    src: `.org 0
_start: mov sp, 0x80000
        mov r1, ${ACK_M}
        mov r2, ${ACK_N}
        call ack
        out 0xF4, r0
ack:    cmp r1, 0
        jnz .m
        mov r0, r2
        add r0, 1
        ret
.m:     cmp r2, 0
        jnz .n
        sub r1, 1
        mov r2, 1
        call ack
        add r1, 1
        ret
.n:     push r1
        sub r2, 1
        call ack
        pop r1
        sub r1, 1
        mov r2, r0
        call ack
        add r1, 1
        ret`,
    body: `
        mov esp, 0x80000
        mov ecx, ${ACK_M}
        mov edx, ${ACK_N}
        call ack${x86Done('eax')}
ack:    cmp ecx, 0
        jnz m
        mov eax, edx
        add eax, 1
        ret
m:      cmp edx, 0
        jnz n
        sub ecx, 1
        mov edx, 1
        call ack
        add ecx, 1
        ret
n:      push ecx
        sub edx, 1
        call ack
        pop ecx
        sub ecx, 1
        mov edx, eax
        call ack
        add ecx, 1
        ret`,
  },
  {
    name: `${ARG_CALLS.toLocaleString('en')} system calls through a table`,
    // The kernel dispatches on the number through a table of handlers (jmp through a register).
    src: kernel(
      [[0x80, 'sys', 3]],
      `${TO_RING3}sys:    mov r9, r0
        shl r9, 2
        ld r9, [r9 + systab]
        jmp r9
sysadd: add r5, r1
        iret
sysexit: out 0xF4, r5
systab: .word sysadd, sysexit
user:   mov r6, ${ARG_CALLS}
.l:     mov r0, 0
        mov r1, r6
        syscall
        sub r6, 1
        jnz .l
        mov r0, 1
        syscall`,
    ),
    body: x86Kernel(
      [[0x80, 'sys', 3]],
      `        xor ebp, ebp
${X86_TO_RING3}sys:    mov edx, eax
        shl edx, 2
        mov edx, dword ptr [edx + systab]
        jmp edx
sysadd: add ebp, ecx
        iret
sysexit:${x86Done('ebp')}
systab: .long sysadd, sysexit
user:   mov esi, ${ARG_CALLS}
uloop:  mov eax, 0
        mov ecx, esi
        int 0x80
        sub esi, 1
        jnz uloop
        mov eax, 1
        int 0x80`,
    ),
  },
  {
    name: `read faults downwards, ${(PAGES * READ_FAULT_PASSES).toLocaleString('en')} pages`,
    src: kernel(
      [[14, 'pf', 0]],
      `        mov r7, ${READ_FAULT_PASSES}
.pass:  mov r1, ${0x400000 + (PAGES - 1) * 4096}
        mov r0, ${PAGES}
.t:     ld r2, [r1]
        add r3, r2
        sub r1, 4096
        sub r0, 1
        jnz .t
${UNMAP_HIGH}        sub r7, 1
        jnz .pass
        add r3, r8
        out 0xF4, r3
${mapOnFault('        add r8, 1\n')}`,
      highTables(false),
    ),
    body: x86Kernel(
      [[14, 'pf', 0]],
      `        mov edi, ${READ_FAULT_PASSES}
        xor ebp, ebp
fpass:  mov esi, ${0x400000 + (PAGES - 1) * 4096}
        mov ecx, ${PAGES}
touch:  mov edx, dword ptr [esi]
        add ebx, edx
        sub esi, 4096
        sub ecx, 1
        jnz touch
${X86_UNMAP_HIGH}        sub edi, 1
        jnz fpass
        add ebx, ebp${x86Done('ebx')}
${x86MapOnFault('edx', '        add ebp, 1\n')}`,
      x86HighTables(false),
    ),
  },
  {
    name: `${RANDOM_TOUCHES.toLocaleString('en')} reads at random pages of ${PAGES.toLocaleString('en')}`,
    src: kernel(
      [],
      `        mov r4, 99
        mov r0, ${RANDOM_TOUCHES}
.t:     mul r4, 1664525
        add r4, 1013904223
        mov r5, r4
        shr r5, 21
        shl r5, 12
        add r5, 0x400000
        ld r2, [r5]
        add r3, r2
        add r3, r5
        sub r0, 1
        jnz .t
        out 0xF4, r3`,
      highTables(true),
    ),
    body: x86Kernel(
      [],
      `        mov edi, 99
        mov ecx, ${RANDOM_TOUCHES}
touch:  imul edi, edi, 1664525
        add edi, 1013904223
        mov esi, edi
        shr esi, 21
        shl esi, 12
        add esi, 0x400000
        mov edx, dword ptr [esi]
        add ebx, edx
        add ebx, esi
        sub ecx, 1
        jnz touch${x86Done('ebx')}`,
      x86HighTables(true),
    ),
  },
];
