/** Kinds of memory access, as translation sees them. */
export const ACC_R = 0;
export const ACC_W = 1;
export const ACC_X = 2;
/** Only whether the address is mapped: no permission is checked (the debugger's reads). */
export const ACC_ANY = 3;
