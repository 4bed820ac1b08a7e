/** Kinds of memory access, as translation sees them. */
export const ACC_R = 0;
export const ACC_W = 1;
export const ACC_X = 2;
