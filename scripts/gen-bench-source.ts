/** The generated 10,000-line source `npm run bench:lsp` measures on (also usable from tests). */

/** A plausible kernel-ish source: constants, functions with local labels, system calls, data, two rings. */
export function generate(lines: number): string {
  const out: string[] = ['; generated for the language-server benchmark', '.equ BASE, 0x1000', '.equ SYS_WRITE, 1', '.equ SYS_EXIT, 60', '.org 0', '.ring 0', '_start:'];
  let i = 0;
  while (out.length < lines) {
    if (i === Math.floor(lines / 20)) out.push('.org 0x200000, 0x400000', '.ring 3');
    out.push(
      `func${i}:                       ; function ${i}`,
      `        mov r1, BASE + ${i * 4}`,
      `        mov r2, data${i}`,
      `.loop:  ld r3, [r2 + 4]`,
      `        add r3, r1`,
      `        st [r2], r3`,
      `        cmp r3, ${i % 100}`,
      `        jnz .loop`,
      `        mov r0, SYS_WRITE`,
      `        syscall`,
      `        call func${Math.max(0, i - 1)}`,
      `        ret`,
      `data${i}: .word ${i}, func${i}   ; a pointer back`,
      '',
    );
    i++;
  }
  return out.slice(0, lines).join('\n');
}
