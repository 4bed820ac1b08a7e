/**
 * How every view writes a number in hex: lower-case digits, as gdb, lldb and VS Code's own views
 * (memory, disassembly addresses) do. Written once so that a student never sees `0x…a` in one
 * view and `0x…A` in another.
 */

/** The digits alone, at least `width` of them: `hexDigits(42, 4)` is `002a`. */
export const hexDigits = (v: number, width = 8): string => (v >>> 0).toString(16).padStart(width, '0');

/** A 32-bit word as an address or a value: `0x0040002a`. */
export const hex32 = (v: number): string => '0x' + hexDigits(v, 8);

/** A number without padding, as an operand is written: `0x2a`. */
export const hex = (v: number): string => '0x' + (v >>> 0).toString(16);
