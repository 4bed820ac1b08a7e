/**
 * The block compiler's slow paths (blockgen.ts): when compiled code cannot finish a load, a
 * store, a push or a pop by itself (a TLB miss it did not walk, an unaligned access, flat memory
 * out of range), it writes the state back and calls one of these, which are the interpreter's own
 * steps for the instruction. Each returns false after a fault (already raised).
 */
import type { Cpu } from './cpu';

export function slowLoad(cpu: Cpu, va: number, a: number, word: boolean, next: number): boolean {
  if (word) {
    if ((va & 3) === 0) {
      const p = cpu.tr(va, 0);
      if (p < 0) return false;
      cpu.r[a] = cpu.m32[p >>> 2];
    } else {
      cpu.faulted = false;
      const v = cpu.load32(va);
      if (cpu.faulted) {
        cpu.faulted = false;
        return false;
      }
      cpu.r[a] = v;
    }
  } else {
    const p = cpu.tr(va, 0);
    if (p < 0) return false;
    cpu.r[a] = cpu.m8[p];
  }
  cpu.pc = next;
  return true;
}

export function slowStore(cpu: Cpu, va: number, v: number, word: boolean, next: number): boolean {
  if (!(word ? cpu.store32(va, v) : cpu.store8(va, v))) return false;
  cpu.pc = next;
  return true;
}

/** push (kind 0), call to an immediate (1) or a register (2): `t` the target. */
export function slowPush(cpu: Cpu, va: number, v: number, kind: number, t: number, next: number): boolean {
  void va;
  if (!cpu.push(v)) return false;
  if (kind === 0) {
    cpu.pc = next;
    return true;
  }
  cpu.shadow.push(0, next, cpu.r[15], t, cpu.cpl);
  cpu.pc = t;
  return true;
}

/** pop into register `a`, or ret (a = -1). */
export function slowPop(cpu: Cpu, va: number, a: number, next: number): boolean {
  cpu.faulted = false;
  const v = cpu.load32(va);
  if (cpu.faulted) {
    cpu.faulted = false;
    return false;
  }
  const r = cpu.r;
  r[15] = (r[15] + 4) | 0;
  if (a >= 0) {
    r[a] = v;
    cpu.pc = next;
    return true;
  }
  cpu.pc = v;
  if (cpu.shadow.depth !== 0) cpu.shadow.popCalls(r[15]);
  return true;
}
