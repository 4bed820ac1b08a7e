// Realistic guest programs for `npm run bench` (issue 16's suite), each with a native C build of the
// same algorithm doing the same work, so the benchmark can print how far from native each one is.
import { assembleText } from '../language/assembler';
import { Machine } from '../emulator';
import { eptGuestLauncher, identityTable } from './asmSnippets';

/** A fresh Machine (compiler on, the default) with the R32 program `src` loaded: what every benchmark runs. */
export function benchMachine(src: string): Machine {
  const res = assembleText(src, 'bench.rasm');
  if (!res.ok) throw new Error(res.diagnostics.map((d) => `${d.line + 1}: ${d.message}`).join('\n'));
  const m = new Machine();
  m.load(res.segments, res.entry);
  return m;
}

export interface Workload {
  name: string;
  /** Guest source; it powers off when done. */
  src: string;
  /** The interpreter figure (MIPS) this workload had before the block compiler (issue 16's table). */
  before: number;
  /** How many times faster than `before` it should run. */
  factor: number;
  /** The C function body for the native build (returns a checksum); `n` is unused by most. */
  c: string;
}

export const ARRAY = 0x100000; // 64 KiB of data
export const WORDS = 16384;
export const SUM_PASSES = 60;
export const COPY_PASSES = 50;
export const SORT_N = 2000;
export const FIB_N = 25;
export const FIB_TIMES = 2;
export const SYSCALLS = 100_000;
export const FAULT_PASSES = 8;
export const PAGES = 2048;
export const MISS_PASSES = 40;

const sumBody = (passes: number) => `
        mov r7, ${passes}
sumpass: mov r1, ${ARRAY}
        mov r0, ${WORDS}
sumloop: ld r3, [r1]
        add r2, r3
        add r1, 4
        sub r0, 1
        jnz sumloop
        sub r7, 1
        jnz sumpass`;

/** Fill the array's first `words` words with an LCG sequence (r4 the state): x = x * mul + add from `seed`. */
export const lcgFill = (words: number, seed: number, mul: number, add: number) => `
        mov r1, ${ARRAY}
        mov r0, ${words}
        mov r4, ${seed}
.f:     mul r4, ${mul}
        add r4, ${add}
        st [r1], r4
        add r1, 4
        sub r0, 1
        jnz .f`;
/** The suite's fill of the 64 KiB array (or its first `words` words); the held-out programs use other constants. */
const fill = (words = WORDS) => lcgFill(words, 12345, 1103515245, 12345);

/** From ring 0 to `user` in ring 3 through iret (user stack 0x9000, flags 0x3000 = CPL 3). */
export const TO_RING3 = `        push 0x9000
        push 0x3000
        push user
        push 0
        push 0
        iret
`;

/** Ring 3's loop of `n` system calls 0 (r6 counting down), then system call 1: the system call workload's, and the tests' built on it. */
export const userCalls = (n: number) => `user:   mov r6, ${n}
.l:     mov r0, 0
        syscall
        sub r6, 1
        jnz .l
        mov r0, 1
        syscall`;

/** Demand paging's end of pass: every high page unmapped again and the TLB flushed by reloading cr3. */
export const UNMAP_HIGH = `        mov r1, 0x12000
        mov r0, ${PAGES}
        mov r2, 0
.z:     st [r1], r2
        add r1, 4
        sub r0, 1
        jnz .z
        mov r1, 0x10000
        wrsr cr3, r1
`;

/** The #PF handler that maps the faulting high page (identity + 0x400000 → the table at 0x12000); `count` runs first. */
export const mapOnFault = (count = '') => `pf:     rdsr r10, cr2
${count}        mov r11, r10
        sub r11, 0x400000
        shr r11, 12
        shl r11, 2
        and r10, 0xFFFFF000
        or r10, 7
        st [r11 + 0x12000], r10
        iret`;

/** Ring 0 kernel scaffolding: IVT at 0x1000 (gates given), ksp 0x7000, identity paging of 0..4 MiB. */
export function kernel(gates: [number, string, number][], body: string, tables = ''): string {
  return `
.org 0
_start: mov sp, 0x8000
${gates.map(([v, h, dpl]) => `        mov r2, ${h}\n        st [0x1000 + ${v} * 8], r2\n        mov r2, ${1 | (dpl << 1)}\n        st [0x1000 + ${v} * 8 + 4], r2`).join('\n')}
        mov r1, 0x1000
        wrsr ivt, r1
        mov r1, 0x7000
        wrsr ksp, r1
${identityTable(0x11000, 0x10000)}
${tables}
        mov r1, 0x10000
        wrsr cr3, r1
        mov r1, 1
        wrsr cr0, r1
        mov r1, 0
        mov r2, 0
        mov r3, 0
${body}`;
}

/** Directory entries 1 and 2 → tables at 0x12000 and 0x13000 (linear 0x400000..0xC00000), entries filled with `pte` (r2 start). */
export function highTables(present: boolean): string {
  return `
        mov r1, 0x12007
        st [0x10004], r1
        mov r1, 0x13007
        st [0x10008], r1
        mov r1, 0x12000
        mov r2, ${present ? '0x400007' : '0'}
        mov r3, ${PAGES}
.ht:    st [r1], r2
        add r1, 4
        add r2, ${present ? '0x1000' : '0'}
        sub r3, 1
        jnz .ht`;
}

/**
 * The TLB-miss workload: `passes` passes reading one word in each of `pages` pages, `stride` bytes
 * apart from 0x400000 (highTables maps 8 MiB there): 4096 reads each page at its start, as the
 * suite does; 4160 reads each 64 bytes further into its page than the last, the same walks
 * (bench.ts hostCache: what the host's caches cost the suite's line).
 */
export function tlbMisses(passes: number, pages = PAGES, stride = 4096): string {
  return kernel(
    [],
    `        mov r7, ${passes}
.pass:  mov r1, 0x400000
        mov r0, ${pages}
.t:     ld r2, [r1]
        add r3, r2
        add r1, ${stride}
        sub r0, 1
        jnz .t
        sub r7, 1
        jnz .pass
        out 0xF4, r3`,
    highTables(true),
  );
}

/** The host-cache line's pages: fewer than the suite's 2,048, so that skewed by 64 bytes a page the reads stay inside the 8 MiB mapped. */
export const HOST_CACHE_PAGES = 1960;
/** The host-cache line's two programs (bench.ts hostCache): the TLB-miss workload's walks over HOST_CACHE_PAGES pages read at each page's start, and skewed. */
export const hostCachePrograms = (passes = MISS_PASSES): { aligned: string; skewed: string } => ({
  aligned: tlbMisses(passes, HOST_CACHE_PAGES, 4096),
  skewed: tlbMisses(passes, HOST_CACHE_PAGES, 4096 + 64),
});

/**
 * The realistic suite, with `k` times the work (its passes or counts; insertion sort, quadratic, on
 * √k times the words): `npm run bench` times k = 1 in one process, and runs k = 1 and 10 each as a
 * fresh `ringside run`, what a student starts (benchFresh.ts).
 */
export function workloads(k = 1): Workload[] {
  const sumPasses = SUM_PASSES * k;
  const copyPasses = COPY_PASSES * k;
  const sortN = Math.round(SORT_N * Math.sqrt(k));
  const fibTimes = FIB_TIMES * k;
  const syscalls = SYSCALLS * k;
  const faultPasses = FAULT_PASSES * k;
  const missPasses = MISS_PASSES * k;
  return [
  {
    name: 'sum of a 64 KiB array',
    before: 113,
    factor: 6,
    src: `.org 0\n_start:${fill()}\n        mov r2, 0${sumBody(sumPasses)}\n        out 0xF4, r2`,
    c: `uint32_t s = 0; for (int p = 0; p < ${sumPasses}; p++) { for (int i = 0; i < ${WORDS}; i++) s += A[i]; BARRIER(); } return s;`,
  },
  {
    name: 'memcpy 64 KiB',
    before: 109,
    factor: 6,
    src: `.org 0\n_start:${fill()}
        mov r7, ${copyPasses}
.pass:  mov r1, ${ARRAY}
        mov r2, ${ARRAY + 0x10000}
        mov r0, ${WORDS}
.c:     ld r3, [r1]
        st [r2], r3
        add r1, 4
        add r2, 4
        sub r0, 1
        jnz .c
        sub r7, 1
        jnz .pass
        ld r3, [${ARRAY + 0x10000 + 4 * 100}]
        out 0xF4, r3`,
    c: `for (int p = 0; p < ${copyPasses}; p++) { for (int i = 0; i < ${WORDS}; i++) B[i] = A[i]; BARRIER(); } return B[100];`,
  },
  {
    name: `insertion sort, ${sortN.toLocaleString('en')} words`,
    before: 112,
    factor: 6,
    src: `.org 0\n_start:${fill(sortN)}
        mov r1, ${ARRAY}
        mov r9, ${sortN * 4}
        mov r2, 4
.outer: mov r4, r1
        add r4, r2
        ld r5, [r4]
.inner: cmp r4, r1
        jz .place
        ld r6, [r4 - 4]
        cmp r6, r5
        jle .place
        st [r4], r6
        sub r4, 4
        jmp .inner
.place: st [r4], r5
        add r2, 4
        cmp r2, r9
        jnz .outer
        ld r3, [${ARRAY + 4 * 1000}]
        out 0xF4, r3`,
    c: `int32_t *a = (int32_t *)A; for (int i = 1; i < ${sortN}; i++) { int32_t k = a[i]; int j = i - 1; while (j >= 0 && a[j] > k) { a[j + 1] = a[j]; j--; } a[j + 1] = k; } return a[1000];`,
  },
  {
    name: `recursive fib(${FIB_N})`,
    before: 73,
    factor: 6,
    src: `.org 0
_start: mov sp, 0x80000
        mov r7, ${fibTimes}
.again: mov r1, ${FIB_N}
        call fib
        sub r7, 1
        jnz .again
        out 0xF4, r0
fib:    cmp r1, 2
        jae .rec
        mov r0, r1
        ret
.rec:   push r1
        sub r1, 1
        call fib
        pop r1
        push r0
        sub r1, 2
        call fib
        pop r2
        add r0, r2
        ret`,
    c: `uint32_t s = 0; for (int t = 0; t < ${fibTimes}; t++) s += fib(${FIB_N}); return s;`,
  },
  {
    name: `${syscalls.toLocaleString('en')} system calls, ring 3, paging`,
    before: 44,
    factor: 3,
    src: kernel(
      [[0x80, 'sys', 3]],
      `${TO_RING3}sys:    cmp r0, 1
        jz .exit
        add r5, 1
        iret
.exit:  out 0xF4, r5
${userCalls(syscalls)}`,
    ),
    c: `uint32_t s = 0; for (int i = 0; i < ${syscalls}; i++) s += (uint32_t)syscall(SYS_getppid); return s;`,
  },
  {
    name: `demand paging, ${(PAGES * faultPasses).toLocaleString('en')} faults`,
    before: 73,
    factor: 3,
    src: kernel(
      [[14, 'pf', 0]],
      `        mov r7, ${faultPasses}
.pass:  mov r1, 0x400000
        mov r0, ${PAGES}
.t:     st [r1], r1
        add r1, 4096
        sub r0, 1
        jnz .t
${UNMAP_HIGH}        sub r7, 1
        jnz .pass
        out 0xF4, r7
${mapOnFault()}`,
      highTables(false),
    ),
    c: `uint32_t s = 0; for (int p = 0; p < ${faultPasses}; p++) { char *m = mmap(0, ${PAGES} * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); for (int i = 0; i < ${PAGES}; i++) m[i * 4096] = (char)i; s += m[4096]; munmap(m, ${PAGES} * 4096); } return s;`,
  },
  {
    name: `TLB misses over ${PAGES.toLocaleString('en')} pages`,
    before: 66,
    factor: 3,
    src: tlbMisses(missPasses),
    c: `uint32_t s = 0; for (int p = 0; p < ${missPasses}; p++) { for (int i = 0; i < ${PAGES}; i++) s += P[i * 1024]; BARRIER(); } return s;`,
  },
  {
    name: 'the sum loop as a VM guest with EPT',
    before: 99,
    factor: 6,
    src: `${eptGuestLauncher()}
        out 0xF4, r2
.org 0x10000
guest:${fill()}
        mov r2, 0${sumBody(sumPasses)}
        vmcall`,
    c: `uint32_t s = 0; for (int p = 0; p < ${sumPasses}; p++) { for (int i = 0; i < ${WORDS}; i++) s += A[i]; BARRIER(); } return s;`,
  },
  ];
}

export const WORKLOADS: Workload[] = workloads();

/** One C program holding every workload's native build: `./native K` prints "checksum seconds" for workload K. */
export function nativeSource(): string {
  return `#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#define BARRIER() __asm__ volatile("" ::: "memory")
static uint32_t A[${WORDS}], B[${WORDS}];
static uint32_t *P;
static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
${WORKLOADS.map((w, i) => `static uint32_t w${i}(void) { ${w.c} }`).join('\n')}
static uint32_t (*const W[])(void) = { ${WORKLOADS.map((_, i) => `w${i}`).join(', ')} };
int main(int argc, char **argv) {
  int k = atoi(argv[1]);
  uint32_t x = 12345;
  for (int i = 0; i < ${WORDS}; i++) { x = x * 1103515245u + 12345u; A[i] = x; }
  P = calloc(${PAGES} * 1024, 4);
  for (int i = 0; i < ${PAGES}; i++) P[i * 1024] = i;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  uint32_t r = W[k]();
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%u %.9f\\n", r, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  (void)argc;
  return 0;
}
`;
}

/** Into ring 3, two system calls there and back, a third that powers off: 6 transitions (the CLI's tests). */
export const THREE_SYSCALLS = kernel([[0x80, 'sys', 3]], `${TO_RING3}sys:    cmp r0, 1
        jz .exit
        iret
.exit:  out 0xF4, r0
user:   mov r0, 0
        syscall
        syscall
        mov r0, 1
        syscall`);
