// The realistic workloads of benchWorkloads.ts as 32-bit x86 programs for v86, so `npm run bench:v86`
// can run both emulators on the same algorithm doing the same work. Each program mirrors its R32
// twin instruction for instruction (ld/st become mov, syscall int 0x80, rdsr/wrsr mov to/from a
// control register; no folding of a load into an add), so the two instruction counts stay close.
// The text is GNU as (Intel syntax), assembled at bench/test time by the `as` and `ld` that come
// with the system C compiler, like the native C builds of bench.ts.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ARRAY, COPY_PASSES, FAULT_PASSES, FIB_N, FIB_TIMES, MISS_PASSES, PAGES, SORT_N, SUM_PASSES, SYSCALLS, WORDS } from './benchWorkloads';

export interface X86Workload {
  /** The name of the R32 workload in benchWorkloads.ts it mirrors. */
  name: string;
  /** GNU as source (Intel syntax) of the body; `x86Program` adds the multiboot header and the start/end marks. */
  body: string;
}

/** Where the image is loaded: clear of the R32 programs' data (array at 1 MiB, tables, stacks). */
const LOAD = 0x40000;
/**
 * The guest writes this port twice: first instruction (the clock starts) and the checksum just
 * before `cli; hlt` (v86 reports the halt, the clock stops). v86 maps only an 8-bit write there.
 */
export const MARK_PORT = 0xe9;

/** lcgFill's twin: the array's first `words` words from an LCG, state in ebx. */
export const x86LcgFill = (words: number, seed: number, mul: number, add: number) => `
        mov esi, ${ARRAY}
        mov ecx, ${words}
        mov ebx, ${seed}
fill:   imul ebx, ebx, ${mul}
        add ebx, ${add}
        mov dword ptr [esi], ebx
        add esi, 4
        sub ecx, 1
        jnz fill`;
/** The suite's fill (benchWorkloads' constants). */
const fill = (words = WORDS) => x86LcgFill(words, 12345, 1103515245, 12345);

/**
 * TO_RING3's twin: to `user` in ring 3 through iret (user stack 0x9000, IF clear). The user data
 * selector is loaded first: iret clears a data segment register that holds a ring 0 selector.
 */
export const X86_TO_RING3 = `        mov ax, 0x23
        mov ds, ax
        mov es, ax
        push 0x23
        push 0x9000
        push 0x2
        push 0x1b
        push offset user
        iret
`;

/** UNMAP_HIGH's twin: every high page unmapped again, the TLB flushed by reloading cr3. */
export const X86_UNMAP_HIGH = `        mov esi, 0x12000
        mov ecx, ${PAGES}
        mov edx, 0
zero:   mov dword ptr [esi], edx
        add esi, 4
        sub ecx, 1
        jnz zero
        mov esi, 0x10000
        mov cr3, esi
`;

/** mapOnFault's twin, `scratch` for r11 (x86's #PF also pushes an error code: one more instruction). */
export const x86MapOnFault = (scratch: string, count = '') => `pf:     mov eax, cr2
${count}        mov ${scratch}, eax
        sub ${scratch}, 0x400000
        shr ${scratch}, 12
        shl ${scratch}, 2
        and eax, 0xfffff000
        or eax, 7
        mov dword ptr [${scratch} + 0x12000], eax
        add esp, 4
        iret`;

/**
 * Ring 0 scaffolding, as benchWorkloads' kernel(): flat GDT with ring 3 segments and a TSS (kernel
 * stack 0x7000), an IDT at 0x1000 with the given gates, identity paging of 0..4 MiB (directory
 * 0x10000, table 0x11000), `tables` and then paging on. x86 needs the GDT and TSS where R32 has
 * the ksp register; they are a few instructions of setup, run once.
 */
export function x86Kernel(gates: [number, string, number][], body: string, tables = ''): string {
  return `
        mov esp, 0x8000
        lgdt [gdtr]
        push 0x08
        push offset reloaded
        retf
reloaded:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov dword ptr [0x6004], 0x7000
        mov dword ptr [0x6008], 0x10
        mov word ptr [0x6066], 0x68
        mov ax, 0x28
        ltr ax
${gates.map(([v, h, dpl]) => `        mov eax, offset ${h}
        mov word ptr [0x1000 + ${v} * 8], ax
        shr eax, 16
        mov word ptr [0x1000 + ${v} * 8 + 6], ax
        mov word ptr [0x1000 + ${v} * 8 + 2], 0x08
        mov word ptr [0x1000 + ${v} * 8 + 4], ${0x8e00 | (dpl << 13)}`).join('\n')}
        lidt [idtr]
        mov esi, 0x11000
        mov edx, 7
        mov ecx, 1024
ident:  mov dword ptr [esi], edx
        add esi, 4
        add edx, 0x1000
        sub ecx, 1
        jnz ident
        mov dword ptr [0x10000], 0x11007
${tables}
        mov eax, 0x10000
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        xor esi, esi
        xor edx, edx
        xor ebx, ebx
${body}
        .p2align 3
gdt:    .quad 0
        .quad 0x00cf9a000000ffff
        .quad 0x00cf92000000ffff
        .quad 0x00cffa000000ffff
        .quad 0x00cff2000000ffff
        .quad 0x0000890060000067
gdtr:   .word 6 * 8 - 1
        .long gdt
idtr:   .word 256 * 8 - 1
        .long 0x1000`;
}

/** Directory entries 1 and 2 → tables at 0x12000 and 0x13000 (linear 0x400000..0xC00000), as highTables(). */
export function x86HighTables(present: boolean): string {
  return `
        mov dword ptr [0x10004], 0x12007
        mov dword ptr [0x10008], 0x13007
        mov esi, 0x12000
        mov edx, ${present ? '0x400007' : '0'}
        mov ebx, ${PAGES}
ht:     mov dword ptr [esi], edx
        add esi, 4
        add edx, ${present ? '0x1000' : '0'}
        sub ebx, 1
        jnz ht`;
}

/** The checksum in `reg` to the mark port, then stop for good (interrupts off). */
export const x86Done = (reg: string) => `
        mov eax, ${reg}
        out ${MARK_PORT}, eax
        cli
        hlt`;

export const X86_WORKLOADS: X86Workload[] = [
  {
    name: 'sum of a 64 KiB array',
    body: `${fill()}
        mov edx, 0
        mov edi, ${SUM_PASSES}
spass:  mov esi, ${ARRAY}
        mov ecx, ${WORDS}
sloop:  mov eax, dword ptr [esi]
        add edx, eax
        add esi, 4
        sub ecx, 1
        jnz sloop
        sub edi, 1
        jnz spass${x86Done('edx')}`,
  },
  {
    name: 'memcpy 64 KiB',
    body: `${fill()}
        mov ebp, ${COPY_PASSES}
cpass:  mov esi, ${ARRAY}
        mov edi, ${ARRAY + 0x10000}
        mov ecx, ${WORDS}
copy:   mov eax, dword ptr [esi]
        mov dword ptr [edi], eax
        add esi, 4
        add edi, 4
        sub ecx, 1
        jnz copy
        sub ebp, 1
        jnz cpass
        mov eax, dword ptr [${ARRAY + 0x10000 + 4 * 100}]${x86Done('eax')}`,
  },
  {
    name: `insertion sort, ${SORT_N.toLocaleString('en')} words`,
    body: `${fill(SORT_N)}
        mov esi, ${ARRAY}
        mov ebp, ${SORT_N * 4}
        mov edx, 4
outer:  mov edi, esi
        add edi, edx
        mov ebx, dword ptr [edi]
inner:  cmp edi, esi
        jz place
        mov eax, dword ptr [edi - 4]
        cmp eax, ebx
        jle place
        mov dword ptr [edi], eax
        sub edi, 4
        jmp inner
place:  mov dword ptr [edi], ebx
        add edx, 4
        cmp edx, ebp
        jnz outer
        mov eax, dword ptr [${ARRAY + 4 * 1000}]${x86Done('eax')}`,
  },
  {
    name: `recursive fib(${FIB_N})`,
    body: `
        mov esp, 0x80000
        mov edi, ${FIB_TIMES}
again:  mov ecx, ${FIB_N}
        call fib
        sub edi, 1
        jnz again${x86Done('eax')}
fib:    cmp ecx, 2
        jae rec
        mov eax, ecx
        ret
rec:    push ecx
        sub ecx, 1
        call fib
        pop ecx
        push eax
        sub ecx, 2
        call fib
        pop edx
        add eax, edx
        ret`,
  },
  {
    name: `${SYSCALLS.toLocaleString('en')} system calls, ring 3, paging`,
    // To ring 3 through iret (the user data selector loaded first: iret clears a ring 0 one).
    body: x86Kernel(
      [[0x80, 'sys', 3]],
      `        xor ebp, ebp
${X86_TO_RING3}sys:    cmp eax, 1
        jz exit
        add ebp, 1
        iret
exit:${x86Done('ebp')}
user:   mov esi, ${SYSCALLS}
uloop:  mov eax, 0
        int 0x80
        sub esi, 1
        jnz uloop
        mov eax, 1
        int 0x80`,
    ),
  },
  {
    name: `demand paging, ${(PAGES * FAULT_PASSES).toLocaleString('en')} faults`,
    // x86's #PF pushes an error code that R32's five-word frame holds itself: one more instruction.
    body: x86Kernel(
      [[14, 'pf', 0]],
      `        mov edi, ${FAULT_PASSES}
fpass:  mov esi, 0x400000
        mov ecx, ${PAGES}
touch:  mov dword ptr [esi], esi
        add esi, 4096
        sub ecx, 1
        jnz touch
${X86_UNMAP_HIGH}        sub edi, 1
        jnz fpass${x86Done('edi')}
${x86MapOnFault('ebx')}`,
      x86HighTables(false),
    ),
  },
  {
    name: `TLB misses over ${PAGES.toLocaleString('en')} pages`,
    body: x86Kernel(
      [],
      `        mov edi, ${MISS_PASSES}
mpass:  mov esi, 0x400000
        mov ecx, ${PAGES}
miss:   mov edx, dword ptr [esi]
        add ebx, edx
        add esi, 4096
        sub ecx, 1
        jnz miss
        sub edi, 1
        jnz mpass${x86Done('ebx')}`,
      x86HighTables(true),
    ),
  },
];

/** The whole program: a multiboot header (v86 loads it with no BIOS, in flat 32-bit protected mode), the start mark, the body. */
function x86Program(w: X86Workload): string {
  return `        .intel_syntax noprefix
        .code32
        .text
        .globl _start
mbhdr:  .long 0x1badb002, 0x00010000, -(0x1badb002 + 0x00010000)
        .long mbhdr, mbhdr, 0, 0, _start
_start: out ${MARK_PORT}, eax
${w.body}
`;
}

/** Whether GNU as and ld are on the PATH (they come with gcc); without them the comparison is skipped, as bench.ts skips native C without cc. */
export function hasBinutils(): boolean {
  try {
    for (const tool of ['as', 'ld']) execFileSync(tool, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Assemble a workload to a flat image loaded at LOAD, with the system's GNU as and ld. */
export function assembleX86(w: X86Workload): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-x86-'));
  try {
    fs.writeFileSync(path.join(dir, 'w.s'), x86Program(w));
    const run = (cmd: string, args: string[]) => {
      try {
        execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
      } catch (e) {
        const err = e as { code?: string; stderr?: Buffer };
        if (err.code === 'ENOENT') throw new Error(`'${cmd}' not found: the v86 comparison assembles its x86 programs with GNU binutils (installed with gcc)`);
        throw new Error(`${cmd} failed on the x86 program '${w.name}':\n${err.stderr?.toString() ?? e}`);
      }
    };
    run('as', ['--32', '-o', 'w.o', 'w.s']);
    run('ld', ['-m', 'elf_i386', `-Ttext=0x${LOAD.toString(16)}`, '--oformat', 'binary', '-e', '_start', '-o', 'w.bin', 'w.o']);
    return new Uint8Array(fs.readFileSync(path.join(dir, 'w.bin')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
