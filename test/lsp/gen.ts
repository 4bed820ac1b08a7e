/** Seeded random R32 sources for the differential and fuzz tests. */

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const NAMES = ['start', 'loop', 'done', 'buf', 'kmain', 'status', 'guest_pc', 'x', 'handler', 'N', 'SIZE', 'BASE'];
const LOCALS = ['.l1', '.l2', '.loop', '.end'];
const REGS = ['r0', 'r1', 'r2', 'r15', 'sp', 'fp', 'r16', 'R3'];
const EXPRS = ['0', '1', '-1', '0x10', '0xFFFF', '0x10000', '256', '300', "'A'", 'N', 'SIZE * 4', 'BASE + 8', 'buf', '.loop', 'x / 0', '(1 << 4) | 3', 'start - 4', 'kmain.l1', 'undefinedname'];
const MNEMONICS = ['mov', 'ld', 'ldb', 'st', 'stb', 'push', 'pop', 'pushf', 'popf', 'add', 'cmp', 'jmp', 'jnz', 'call', 'ret', 'int', 'syscall', 'iret', 'hlt', 'cli', 'in', 'out', 'rdsr', 'wrsr', 'invlpg', 'vmptrld', 'vmread', 'vmwrite', 'vmlaunch', 'vmcall', 'nop', 'mvo', 'jne'];

function operand(r: () => number): string {
  switch (Math.floor(r() * 7)) {
    case 0:
    case 1:
      return pick(r, REGS);
    case 2:
      return pick(r, EXPRS);
    case 3:
      return `[${pick(r, REGS)}]`;
    case 4:
      return `[${pick(r, REGS)} + ${pick(r, EXPRS)}]`;
    case 5:
      return `[${pick(r, EXPRS)}]`;
    default:
      return pick(r, ['cr0', 'cr3', 'status', 'ksp', 'guest_pc', 'exit_reason', 'io_value']);
  }
}

export function randomLine(r: () => number, includes: readonly string[] = []): string {
  const label = r() < 0.25 ? (r() < 0.5 ? pick(r, NAMES) : pick(r, LOCALS)) + ': ' : '';
  const comment = r() < 0.2 ? ' ; note' : '';
  let stmt: string;
  const k = r();
  if (k < 0.55) {
    const n = Math.floor(r() * 3);
    stmt = pick(r, MNEMONICS) + (n ? ' ' + Array.from({ length: n }, () => operand(r)).join(', ') : '');
  } else if (k < 0.9) {
    stmt = pick(r, [
      `.equ ${pick(r, NAMES)}, ${pick(r, EXPRS)}`,
      `.org ${pick(r, ['0', '0x100', '0x1000', 'BASE', '0x1000, 0xC0001000', 'later'])}`,
      `.word ${pick(r, EXPRS)}, ${pick(r, EXPRS)}`,
      `.byte ${pick(r, EXPRS)}`,
      `.ascii "hi\\n"`,
      `.asciz "x"`,
      `.space ${pick(r, ['4', 'N', '0x2000000', '-1'])}`,
      `.align ${pick(r, ['4', '3', '8', 'SIZE'])}`,
      `.ring ${pick(r, ['0', '1', '2', '3', '4', 'N'])}`,
      `.include "${includes.length ? pick(r, includes) : 'missing.rasm'}"`,
      `.bogus 1`,
      `.equ`,
    ]);
  } else stmt = '';
  return `${label}${label ? '' : '    '}${stmt}${comment}`;
}

export function randomProgram(r: () => number, lineCount: number, includes: readonly string[] = []): string {
  return Array.from({ length: lineCount }, () => randomLine(r, includes)).join('\n');
}

/** Random edits of a text: delete, duplicate or insert characters (including quotes, brackets and junk). */
export function mutate(r: () => number, text: string, edits = 3): string {
  let t = text;
  const junk = ['"', "'", '[', ']', '(', ')', ',', ':', ';', '\\', '\n', '\r\n', '\0', '\uFFFD', 'é', '🙂', '.', '0x', '<<', ' '];
  for (let i = 0; i < edits; i++) {
    const p = Math.floor(r() * (t.length + 1));
    const k = r();
    if (k < 0.35) t = t.slice(0, p) + t.slice(p + 1 + Math.floor(r() * 4));
    else if (k < 0.7) t = t.slice(0, p) + pick(r, junk) + t.slice(p);
    else t = t.slice(0, p) + t.slice(Math.max(0, p - 8), p) + t.slice(p);
  }
  return t;
}

/** Bytes of no particular meaning, as a string. */
export function garbage(r: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(Math.floor(r() * (r() < 0.9 ? 128 : 0x10000)));
  return s;
}
