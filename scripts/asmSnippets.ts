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

/** Fill the 256 gates of an IVT at `ivt` with `handler` and the flags word `flags` (r1-r3 used). */
export function gateFill(ivt: number, handler: string, flags = 7, label = '.gates'): string {
  return `
    mov r1, 0x${ivt.toString(16)}
    mov r2, 0
${label}: mov r3, ${handler}
    st [r1], r3
    mov r3, ${flags}
    st [r1 + 4], r3
    add r1, 8
    add r2, 1
    cmp r2, 256
    jnz ${label}`;
}

/**
 * Boot a guest at label `guest` with an identity EPT of 0..4 MiB (VMCS at 0x20000, EPT at 0x50000),
 * exits landing at label `exit_handler`; `beforeLaunch` runs just before vmlaunch.
 */
export function eptGuestLauncher(beforeLaunch = ''): string {
  return `
.org 0
_start: mov sp, 0x8000${identityTable(0x51000, 0x50000, '.ept')}
        mov r1, 0x20000
        vmptrld r1
        mov r1, guest
        vmwrite guest_pc, r1
        mov r1, exit_handler
        vmwrite host_pc, r1
        mov r1, 0x8000
        vmwrite host_sp, r1
        mov r1, 0x50000
        vmwrite ept_pointer, r1${beforeLaunch}
        vmlaunch
exit_handler:`;
}
