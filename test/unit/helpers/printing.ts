/** A guest that prints the bytes at `msg` through the console port up to a 0, then powers off (exit 0). */
export function printing(msg: string): string {
  return `_start: mov r1, msg
.l:     ldb r2, [r1]
        cmp r2, 0
        jz .done
        out 0x10, r2
        add r1, 1
        jmp .l
.done:  out 0xF4, r2
msg:    ${msg}`;
}

/** The program printing `text` (an .asciz string: escapes as the assembler has them). */
export const printText = (text: string) => printing(`.asciz "${text}"`);

/** The program printing `bytes` (no 0 among them). */
export const printBytes = (bytes: number[]) => printing(`.byte ${[...bytes, 0].join(', ')}`);
