// Assembly text that the benchmark and the unit tests both build their guest programs from.

/**
 * Fill the page table at `table` so that it maps 0..4 MiB to itself (entries P|W|U, which
 * for an EPT table read R|W|X), and point directory entry 0 at `dir` to it. Uses r1-r3 and
 * the local label `label`.
 */
export function identityTable(table: number, dir: number, label = '.pt'): string {
  const hex = (v: number) => '0x' + v.toString(16);
  return `
    mov r1, ${hex(table)}
    mov r2, 7
    mov r3, 1024
${label}: st [r1], r2
    add r1, 4
    add r2, 0x1000
    sub r3, 1
    jnz ${label}
    mov r1, ${hex(table | 7)}
    st [${hex(dir)}], r1`;
}
