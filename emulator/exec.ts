/**
 * The interpreter loop. Each step: translate pc (one-page fetch cache), check
 * the breakpoint bitmap, decode the word in place (no predecode cache is
 * needed: the encoding is fixed fields), execute. Timers, interrupts and stop
 * requests are looked at only when icount reaches `deadline`.
 */
import type { Cpu } from './cpu';
import type { StopReason } from './stops';
import { Op } from './isa/opcodes';
import { RESERVED } from './isa/codec';
import { system } from './system';
import { WORDS_BY_OPCODE } from './isa/table';
import { SP, Status } from './isa/registers';
import { Vector } from './isa/abi';
import { exception, softwareInterrupt } from './traps';
import { peekTranslate } from './mmu';
import { compileLoop, HOT, stillValid } from './jit';
import { runBlocks } from './blocks';
import { service } from './service';
import { addFlags, C, cond, mulFlags, shiftFlags, subFlags, V, zn } from './flags';


/** Run until `maxSteps` more steps have been taken or something stops the machine. */
export function run(cpu: Cpu, maxSteps: number): StopReason {
  if (!cpu.powered) return cpu.stopReq ?? 'poweroff';
  cpu.limit = cpu.icount + maxSteps;
  cpu.deadline = 0;
  const startIcount = cpu.icount;
  const r = cpu.r;
  const m32 = cpu.m32;
  const m8 = cpu.m8;
  const bp = cpu.bp;
  for (;;) {
    if (cpu.icount >= cpu.deadline) {
      const stop = service(cpu);
      if (stop) return stop;
      continue;
    }
    const pc = cpu.pc;
    let pa: number;
    // The breakpoint check comes before any side effect of the fetch, so a stop
    // at a breakpoint leaves the machine exactly as a run through that point would.
    // Hot path: pc is aligned and on the page of the one-page fetch cache (flat or paged).
    if ((pc & -4093) === cpu.fVa) {
      pa = cpu.fPa | (pc & 0xfff);
      // fBp: whether the cached page holds any breakpoint, so pages without one pay nothing.
      if (cpu.fBp) {
        if ((bp[pa >>> 7] & (1 << ((pa >>> 2) & 31))) !== 0 && cpu.icount !== startIcount) return 'breakpoint';
      } else if (cpu.jit && !cpu.watchOn && runBlocks(cpu, pa)) continue;
      cpu.fetchHits++;
    } else {
      if (cpu.bpCount !== 0 && cpu.icount !== startIcount) {
        const p = peekTranslate(cpu, pc);
        if (p >= 0 && (pc & 3) === 0 && (bp[p >>> 7] & (1 << ((p >>> 2) & 31))) !== 0) return 'breakpoint';
      }
      cpu.icount++;
      if ((pc & 3) !== 0) {
        exception(cpu, Vector.UNDEFINED, 0);
        continue;
      }
      pa = cpu.fetchPa(pc);
      if (pa < 0) continue;
      cpu.icount--;
    }
    cpu.icount++;
    const w = m32[pa >>> 2];
    const op = w & 0xff;
    if ((w & RESERVED[op]) !== 0) {
      exception(cpu, Vector.UNDEFINED, 0);
      continue;
    }
    let ipa = pa + 4;
    if ((pc & 0xffc) === 0xffc && WORDS_BY_OPCODE[op] === 2) {
      ipa = cpu.paging ? cpu.fetchPa((pc + 4) | 0) : ipa >>> 0 < cpu.memSize ? ipa : (exception(cpu, Vector.GP, 0), -1);
      if (ipa < 0) continue;
      cpu.fVa = -1;
    }
    const a = (w >>> 8) & 15;
    const b = (w >>> 12) & 15;
    let npc = (pc + 4) | 0;
    switch (op) {
      case Op.MOV_RR: r[a] = r[b]; break;
      case Op.MOV_RI: r[a] = m32[ipa >>> 2]; npc = (pc + 8) | 0; break;

      case Op.LD_MR: case Op.LD_MD: case Op.LD_MA: {
        const va = op === Op.LD_MR ? r[b] : op === Op.LD_MD ? (r[b] + m32[ipa >>> 2]) | 0 : m32[ipa >>> 2];
        if (op !== Op.LD_MR) npc = (pc + 8) | 0;
        if ((va & 3) === 0) {
          const p = cpu.tr(va, 0);
          if (p < 0) continue;
          r[a] = m32[p >>> 2];
        } else {
          cpu.faulted = false;
          const v = cpu.load32(va);
          if (cpu.faulted) { cpu.faulted = false; continue; }
          r[a] = v;
        }
        break;
      }
      case Op.LDB_MR: case Op.LDB_MD: case Op.LDB_MA: {
        const va = op === Op.LDB_MR ? r[b] : op === Op.LDB_MD ? (r[b] + m32[ipa >>> 2]) | 0 : m32[ipa >>> 2];
        if (op !== Op.LDB_MR) npc = (pc + 8) | 0;
        const p = cpu.tr(va, 0);
        if (p < 0) continue;
        r[a] = m8[p];
        break;
      }
      case Op.ST_MR: case Op.ST_MD: case Op.ST_MA: {
        const va = op === Op.ST_MR ? r[b] : op === Op.ST_MD ? (r[b] + m32[ipa >>> 2]) | 0 : m32[ipa >>> 2];
        if (op !== Op.ST_MR) npc = (pc + 8) | 0;
        if (!cpu.store32(va, r[a])) continue;
        break;
      }
      case Op.STB_MR: case Op.STB_MD: case Op.STB_MA: {
        const va = op === Op.STB_MR ? r[b] : op === Op.STB_MD ? (r[b] + m32[ipa >>> 2]) | 0 : m32[ipa >>> 2];
        if (op !== Op.STB_MR) npc = (pc + 8) | 0;
        if (!cpu.store8(va, r[a])) continue;
        break;
      }

      case Op.PUSH_R: if (!cpu.push(r[a])) continue; break;
      case Op.PUSH_I: if (!cpu.push(m32[ipa >>> 2])) continue; npc = (pc + 8) | 0; break;
      case Op.POP: {
        cpu.faulted = false;
        const v = cpu.load32(r[SP]);
        if (cpu.faulted) { cpu.faulted = false; continue; }
        r[SP] = (r[SP] + 4) | 0;
        r[a] = v;
        break;
      }
      // pushf, popf and rdsr status never exit (as on VT-x): in a VM they act on the guest's own state.
      case Op.PUSHF:
        if (!cpu.push(cpu.status & Status.FLAGS)) continue;
        break;
      case Op.POPF: {
        cpu.faulted = false;
        const v = cpu.load32(r[SP]);
        if (cpu.faulted) { cpu.faulted = false; continue; }
        r[SP] = (r[SP] + 4) | 0;
        cpu.fl = v & Status.ARITH;
        // At CPL > 0 IF is silently kept: the Popek-Goldberg hole.
        if (cpu.cpl === 0) { cpu.st = (cpu.st & ~Status.IF) | (v & Status.IF); cpu.reschedule(); }
        break;
      }

      case Op.ADD_RR: case Op.ADD_RI: {
        const x = r[a]; const y = op === Op.ADD_RR ? r[b] : m32[ipa >>> 2];
        const s = (x + y) | 0; r[a] = s; cpu.fl = addFlags(x, y, s);
        if (op === Op.ADD_RI) npc = (pc + 8) | 0;
        break;
      }
      case Op.SUB_RR: case Op.SUB_RI: case Op.CMP_RR: case Op.CMP_RI: {
        const x = r[a]; const y = op === Op.SUB_RR || op === Op.CMP_RR ? r[b] : m32[ipa >>> 2];
        const s = (x - y) | 0; cpu.fl = subFlags(x, y, s);
        if (op === Op.SUB_RR || op === Op.SUB_RI) r[a] = s;
        if (op === Op.SUB_RI || op === Op.CMP_RI) npc = (pc + 8) | 0;
        break;
      }
      case Op.AND_RR: { const s = r[a] & r[b]; r[a] = s; cpu.fl = zn(s); break; }
      case Op.AND_RI: { const s = r[a] & m32[ipa >>> 2]; r[a] = s; cpu.fl = zn(s); npc = (pc + 8) | 0; break; }
      case Op.OR_RR: { const s = r[a] | r[b]; r[a] = s; cpu.fl = zn(s); break; }
      case Op.OR_RI: { const s = r[a] | m32[ipa >>> 2]; r[a] = s; cpu.fl = zn(s); npc = (pc + 8) | 0; break; }
      case Op.XOR_RR: { const s = r[a] ^ r[b]; r[a] = s; cpu.fl = zn(s); break; }
      case Op.XOR_RI: { const s = r[a] ^ m32[ipa >>> 2]; r[a] = s; cpu.fl = zn(s); npc = (pc + 8) | 0; break; }
      case Op.TEST_RR: cpu.fl = zn(r[a] & r[b]); break;
      case Op.TEST_RI: cpu.fl = zn(r[a] & m32[ipa >>> 2]); npc = (pc + 8) | 0; break;
      case Op.SHL_RR: case Op.SHL_RI: case Op.SHR_RR: case Op.SHR_RI: case Op.SAR_RR: case Op.SAR_RI: {
        const ri = (op & 1) === 1;
        const n = (ri ? m32[ipa >>> 2] : r[b]) & 31;
        const x = r[a];
        let s: number;
        let carry = 0;
        if (op <= Op.SHL_RI) { s = x << n; if (n) carry = (x >>> (32 - n)) & 1; }
        else if (op <= Op.SHR_RI) { s = x >>> n | 0; if (n) carry = (x >>> (n - 1)) & 1; }
        else { s = x >> n; if (n) carry = (x >> (n - 1)) & 1; }
        r[a] = s; cpu.fl = shiftFlags(s, carry);
        if (ri) npc = (pc + 8) | 0;
        break;
      }
      case Op.MUL_RR: case Op.MUL_RI: {
        const x = r[a]; const y = op === Op.MUL_RR ? r[b] : m32[ipa >>> 2];
        const s = Math.imul(x, y); r[a] = s;
        cpu.fl = mulFlags(x, y, s);
        if (op === Op.MUL_RI) npc = (pc + 8) | 0;
        break;
      }
      case Op.DIV_RR: case Op.DIV_RI: case Op.MOD_RR: case Op.MOD_RI: {
        const ri = (op & 1) === 1;
        const y = (ri ? m32[ipa >>> 2] : r[b]) >>> 0;
        if (y === 0) { exception(cpu, Vector.DIVIDE, 0); continue; }
        const x = r[a] >>> 0;
        const s = (op <= Op.DIV_RI ? Math.floor(x / y) : x % y) | 0;
        r[a] = s; cpu.fl = zn(s);
        if (ri) npc = (pc + 8) | 0;
        break;
      }
      case Op.NEG: { const x = r[a]; const s = -x | 0; r[a] = s; cpu.fl = zn(s) | (x !== 0 ? C : 0) | (x === -0x80000000 ? V : 0); break; }
      case Op.NOT: { const s = ~r[a]; r[a] = s; cpu.fl = zn(s); break; }

      case Op.JMP_I:
        npc = m32[ipa >>> 2];
        if (npc - pc <= 0 && cpu.jit && runLoop(cpu, pc, npc)) continue;
        break;
      case Op.JMP_R: npc = r[a]; break;
      case Op.JZ_I: case Op.JNZ_I: case Op.JL_I: case Op.JLE_I: case Op.JG_I: case Op.JGE_I:
      case Op.JB_I: case Op.JBE_I: case Op.JA_I: case Op.JAE_I:
        npc = cond(op, cpu.fl) ? m32[ipa >>> 2] : (pc + 8) | 0;
        if (npc - pc <= 0 && cpu.jit && runLoop(cpu, pc, npc)) continue;
        break;
      case Op.JZ_R: case Op.JNZ_R: case Op.JL_R: case Op.JLE_R: case Op.JG_R: case Op.JGE_R:
      case Op.JB_R: case Op.JBE_R: case Op.JA_R: case Op.JAE_R:
        if (cond(op, cpu.fl)) npc = r[a];
        break;
      case Op.CALL_I: if (!cpu.push((pc + 8) | 0)) continue; npc = m32[ipa >>> 2]; cpu.shadow.push(0, (pc + 8) | 0, r[SP], npc, cpu.cpl); break;
      case Op.CALL_R: { const t = r[a]; if (!cpu.push(npc)) continue; cpu.shadow.push(0, npc, r[SP], t, cpu.cpl); npc = t; break; }
      case Op.RET: {
        cpu.faulted = false;
        const v = cpu.load32(r[SP]);
        if (cpu.faulted) { cpu.faulted = false; continue; }
        r[SP] = (r[SP] + 4) | 0;
        npc = v;
        if (cpu.shadow.depth !== 0) cpu.shadow.popCalls(r[SP]);
        break;
      }

      case Op.INT:
        if (w >>> 16 > 255) exception(cpu, Vector.UNDEFINED, 0);
        else softwareInterrupt(cpu, w >>> 16, 4);
        continue;
      case Op.SYSCALL: softwareInterrupt(cpu, Vector.SYSCALL, 4); continue;
      case Op.BRK: softwareInterrupt(cpu, Vector.BREAKPOINT, 4); continue;

      default:
        if (!system(cpu, op, w, a, pc)) continue;
        if (cpu.pc !== pc) continue; // the instruction transferred control itself (iret, VM entry)
    }
    cpu.pc = npc;
  }
}

/**
 * At a taken backward jump from `pc` to `target`: count the loop head's heat,
 * compile it when hot, and run whole iterations of a compiled loop while the
 * step budget allows. Returns true when it ran the loop (cpu.pc is set).
 */
function runLoop(cpu: Cpu, pc: number, target: number): boolean {
  // Same page as the jump, whose fetch translation is cached, and no breakpoint there.
  if (((pc ^ target) & -4096) !== 0 || (pc & -4096) !== cpu.fVa || cpu.fBp) return false;
  const tpa = cpu.fPa | (target & 0xfff);
  const key = (tpa >>> 2) & 8191;
  const h = cpu.hot[key];
  if (h < HOT) {
    cpu.hot[key] = h + 1;
    return false;
  }
  if (h === 255) return false; // not compilable
  let loop = cpu.loops.get(tpa);
  if (!loop || !stillValid(loop, cpu.m32)) {
    if (loop) cpu.loops.delete(tpa);
    loop = compileLoop(cpu.m32, tpa, target);
    if (!loop) {
      cpu.hot[key] = 255;
      return false;
    }
    cpu.loops.set(tpa, loop);
    cpu.hot[key] = 254;
  }
  const maxIter = Math.floor((cpu.deadline - cpu.icount) / loop.len);
  if (maxIter < 1) return false;
  const steps = loop.run(cpu.r, cpu, maxIter);
  cpu.icount += steps;
  cpu.fetchHits += steps;
  return true;
}
