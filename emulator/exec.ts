/**
 * The interpreter loop. Each step: translate pc (one-page fetch cache), check
 * the breakpoint bitmap, decode the word in place (no predecode cache is
 * needed: the encoding is fixed fields), execute. Timers, interrupts and stop
 * requests are looked at only when icount reaches `deadline`. Runs of steps on
 * one page keep the machine's hot fields in locals (see `put`).
 */
import type { Cpu } from './cpu';
import type { StopReason } from './stops';
import { Op } from './isa/opcodes';
import { RESERVED } from './isa/codec';
import { system } from './system';
import { WORDS_BY_OPCODE } from './isa/table';
import { SP, Status } from './isa/registers';
import { Vector } from './isa/abi';
import { breakpoint, exception, softwareInterrupt } from './traps';
import { peekTranslate } from './mmu';
import { ACC_R } from './access';
import { compileLoop, LOOP_HOT_JUMPS, stillValid } from './jit';
import { compiling, hasEntry, runBlocks } from './blocks';
import { service } from './service';
import { C, condLazy, LAZY_ADD, LAZY_NONE, LAZY_SUB, LAZY_ZN, lazyFlags, mulFlags, shiftFlags, V, zn } from './flags';


/**
 * Write the loop's locals back to the machine: before any call that can trap, stop, read or change
 * them. `fh` is the fetch-cache hits less the step count (one hit per step while the locals run).
 */
function put(cpu: Cpu, pc: number, ic: number, fh: number, fk: number, fl: number, fx: number, fy: number, fs: number): void {
  cpu.pc = pc;
  cpu.icount = ic;
  cpu.fl = lazyFlags(fk, fl, fx, fy, fs);
  cpu.fetchHits = fh + ic;
}

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
  next: for (;;) {
    if (cpu.icount >= cpu.deadline) {
      const stop = service(cpu);
      if (stop) return stop;
      continue;
    }
    let pc = cpu.pc;
    let pa: number;
    // The compilers are offered code only once they could compile it, or have code to run (blocks.ts compiling).
    const jit = cpu.jit && compiling(cpu);
    const blocks = jit && !cpu.watchOn;
    // The breakpoint check comes before any side effect of the fetch, so a stop
    // at a breakpoint leaves the machine exactly as a run through that point would.
    // Hot path: pc is aligned and on the page of the one-page fetch cache (flat or paged).
    if ((pc & -4093) === cpu.fVa) {
      pa = cpu.fPa | (pc & 0xfff);
      // fBp: whether the cached page holds any breakpoint, so pages without one pay nothing.
      if (cpu.fBp) {
        if ((bp[pa >>> 7] & (1 << ((pa >>> 2) & 31))) !== 0 && cpu.icount !== startIcount) return 'breakpoint';
      } else if (blocks && runBlocks(cpu, pa)) continue;
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
      // Offered to the block compiler too (control came here from another page); compiled code counts
      // this fetch as its own, as it does at a fetch-cache hit.
      if (blocks && !cpu.fBp && (pc & -4093) === cpu.fVa) {
        cpu.fetchHits--;
        if (runBlocks(cpu, pa)) continue;
        cpu.fetchHits++;
      }
    }
    cpu.icount++;
    // From here instructions run on locals (pc, the step count, the flags, the fetch cache), one
    // after another while the next one is on the fetch cache's page, before the deadline, not at a
    // breakpoint and not to be offered to the block compiler: a step on registers alone touches no
    // field of the machine. `put` writes the locals back before any call that can trap or read them;
    // after a trap the loop goes on at `next` (the machine holds the state). A memory access that
    // returned can only have moved the deadline (a data breakpoint, popf's IF) or dropped the fetch
    // cache (its walk took the code page's TLB slot: fVa -1, which ends the run): those are read back.
    let ic = cpu.icount;
    // The flags: `fl`, or the last flag-setting step's kind and operands (flags.ts lazyFlags).
    let fl = cpu.fl;
    let fk = LAZY_NONE;
    let fx = 0;
    let fy = 0;
    let fs = 0;
    let dl = cpu.deadline;
    let fva = cpu.fVa;
    const fpa = cpu.fPa;
    const fbp = cpu.fBp;
    let fh = cpu.fetchHits - ic;
    // The block compiler is offered the first fetch (above) and where control went, on a page without breakpoints; the loop compiler each backward jump.
    for (;;) {
      const w = m32[pa >>> 2];
      const op = w & 0xff;
      if ((w & RESERVED[op]) !== 0) {
        put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
        exception(cpu, Vector.UNDEFINED, 0);
        continue next;
      }
      let ipa = pa + 4;
      if ((pc & 0xffc) === 0xffc && WORDS_BY_OPCODE[op] === 2) {
        put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
        ipa = cpu.paging ? cpu.fetchPa((pc + 4) | 0) : ipa >>> 0 < cpu.memSize ? ipa : (exception(cpu, Vector.GP, 0), -1);
        if (ipa < 0) continue next;
        cpu.fVa = -1;
        fva = -1;
        fh = cpu.fetchHits - ic;
      }
      const a = (w >>> 8) & 15;
      const b = (w >>> 12) & 15;
      let npc = (pc + 4) | 0;
      switch (op) {
        case Op.MOV_RR: r[a] = r[b]; break;
        case Op.MOV_RI: r[a] = m32[ipa >>> 2]; npc = (pc + 8) | 0; break;

        // Memory: the quick path (flat, or a TLB hit; no data breakpoint) cannot fault or stop, so it
        // runs on the locals; anything else writes them back, takes the full path and reads back the
        // deadline and the fetch page (see above).
        case Op.LD_MR: case Op.LD_MD: case Op.LD_MA: {
          const va = op === Op.LD_MR ? r[b] : op === Op.LD_MD ? (r[b] + m32[ipa >>> 2]) | 0 : m32[ipa >>> 2];
          if (op !== Op.LD_MR) npc = (pc + 8) | 0;
          const p = (va & 3) === 0 ? cpu.quick(va, ACC_R) : -1;
          if (p >= 0) r[a] = m32[p >>> 2];
          else if ((va & 3) === 0) {
            put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
            const q = cpu.trMiss(va, ACC_R);
            if (q < 0) continue next;
            r[a] = m32[q >>> 2];
            dl = cpu.deadline; fva = cpu.fVa;
          } else {
            put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
            cpu.faulted = false;
            const v = cpu.load32(va);
            if (cpu.faulted) { cpu.faulted = false; continue next; }
            r[a] = v;
            dl = cpu.deadline; fva = cpu.fVa;
          }
          break;
        }
        case Op.LDB_MR: case Op.LDB_MD: case Op.LDB_MA: {
          const va = op === Op.LDB_MR ? r[b] : op === Op.LDB_MD ? (r[b] + m32[ipa >>> 2]) | 0 : m32[ipa >>> 2];
          if (op !== Op.LDB_MR) npc = (pc + 8) | 0;
          let p = cpu.quick(va, ACC_R);
          if (p < 0) {
            put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
            p = cpu.trMiss(va, ACC_R);
            if (p < 0) continue next;
            dl = cpu.deadline; fva = cpu.fVa;
          }
          r[a] = m8[p];
          break;
        }
        case Op.ST_MR: case Op.ST_MD: case Op.ST_MA: case Op.STB_MR: case Op.STB_MD: case Op.STB_MA: {
          const word = op <= Op.ST_MA;
          const form = op - (word ? Op.ST_MR : Op.STB_MR);
          const va = form === 0 ? r[b] : form === 1 ? (r[b] + m32[ipa >>> 2]) | 0 : m32[ipa >>> 2];
          if (form !== 0) npc = (pc + 8) | 0;
          if (!(word ? cpu.quickStore32(va, r[a]) : cpu.quickStore8(va, r[a]))) {
            put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
            if (!(word ? cpu.store32Miss(va, r[a]) : cpu.store8Miss(va, r[a]))) continue next;
            dl = cpu.deadline; fva = cpu.fVa;
          }
          break;
        }

        case Op.PUSH_R: case Op.PUSH_I: {
          const v = op === Op.PUSH_R ? r[a] : m32[ipa >>> 2];
          if (op === Op.PUSH_I) npc = (pc + 8) | 0;
          if (!cpu.quickPush(v)) {
            put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
            if (!cpu.pushMiss(v)) continue next;
            dl = cpu.deadline; fva = cpu.fVa;
          }
          break;
        }
        case Op.POP: case Op.RET: {
          const sp = r[SP];
          const p = (sp & 3) === 0 ? cpu.quick(sp, ACC_R) : -1;
          let v: number;
          if (p >= 0) v = m32[p >>> 2];
          else {
            put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
            cpu.faulted = false;
            v = cpu.load32(sp);
            if (cpu.faulted) { cpu.faulted = false; continue next; }
            dl = cpu.deadline; fva = cpu.fVa;
          }
          r[SP] = (sp + 4) | 0;
          if (op === Op.POP) r[a] = v;
          else {
            npc = v;
            if (cpu.shadow.depth !== 0) cpu.shadow.popCalls(r[SP]);
          }
          break;
        }
        // pushf, popf and rdsr status never exit (as on VT-x): in a VM they act on the guest's own state.
        case Op.PUSHF:
          put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
          if (!cpu.push(cpu.status & Status.FLAGS)) continue next;
          dl = cpu.deadline; fva = cpu.fVa;
          break;
        case Op.POPF: {
          put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
          cpu.faulted = false;
          const v = cpu.load32(r[SP]);
          if (cpu.faulted) { cpu.faulted = false; continue next; }
          r[SP] = (r[SP] + 4) | 0;
          fl = v & Status.ARITH;
          fk = LAZY_NONE;
          // At CPL > 0 IF is silently kept: the Popek-Goldberg hole.
          if (cpu.cpl === 0) { cpu.st = (cpu.st & ~Status.IF) | (v & Status.IF); cpu.reschedule(); }
          dl = cpu.deadline; fva = cpu.fVa;
          break;
        }

        case Op.ADD_RR: case Op.ADD_RI: {
          const x = r[a]; const y = op === Op.ADD_RR ? r[b] : m32[ipa >>> 2];
          const s = (x + y) | 0; r[a] = s; fk = LAZY_ADD; fx = x; fy = y; fs = s;
          if (op === Op.ADD_RI) npc = (pc + 8) | 0;
          break;
        }
        case Op.SUB_RR: case Op.SUB_RI: case Op.CMP_RR: case Op.CMP_RI: {
          const x = r[a]; const y = op === Op.SUB_RR || op === Op.CMP_RR ? r[b] : m32[ipa >>> 2];
          const s = (x - y) | 0; fk = LAZY_SUB; fx = x; fy = y; fs = s;
          if (op === Op.SUB_RR || op === Op.SUB_RI) r[a] = s;
          if (op === Op.SUB_RI || op === Op.CMP_RI) npc = (pc + 8) | 0;
          break;
        }
        case Op.AND_RR: { const s = r[a] & r[b]; r[a] = s; fk = LAZY_ZN; fs = s; break; }
        case Op.AND_RI: { const s = r[a] & m32[ipa >>> 2]; r[a] = s; fk = LAZY_ZN; fs = s; npc = (pc + 8) | 0; break; }
        case Op.OR_RR: { const s = r[a] | r[b]; r[a] = s; fk = LAZY_ZN; fs = s; break; }
        case Op.OR_RI: { const s = r[a] | m32[ipa >>> 2]; r[a] = s; fk = LAZY_ZN; fs = s; npc = (pc + 8) | 0; break; }
        case Op.XOR_RR: { const s = r[a] ^ r[b]; r[a] = s; fk = LAZY_ZN; fs = s; break; }
        case Op.XOR_RI: { const s = r[a] ^ m32[ipa >>> 2]; r[a] = s; fk = LAZY_ZN; fs = s; npc = (pc + 8) | 0; break; }
        case Op.TEST_RR: fk = LAZY_ZN; fs = r[a] & r[b]; break;
        case Op.TEST_RI: fk = LAZY_ZN; fs = r[a] & m32[ipa >>> 2]; npc = (pc + 8) | 0; break;
        case Op.SHL_RR: case Op.SHL_RI: case Op.SHR_RR: case Op.SHR_RI: case Op.SAR_RR: case Op.SAR_RI: {
          const ri = (op & 1) === 1;
          const n = (ri ? m32[ipa >>> 2] : r[b]) & 31;
          const x = r[a];
          let s: number;
          let carry = 0;
          if (op <= Op.SHL_RI) { s = x << n; if (n) carry = (x >>> (32 - n)) & 1; }
          else if (op <= Op.SHR_RI) { s = x >>> n | 0; if (n) carry = (x >>> (n - 1)) & 1; }
          else { s = x >> n; if (n) carry = (x >> (n - 1)) & 1; }
          r[a] = s; fl = shiftFlags(s, carry); fk = LAZY_NONE;
          if (ri) npc = (pc + 8) | 0;
          break;
        }
        case Op.MUL_RR: case Op.MUL_RI: {
          const x = r[a]; const y = op === Op.MUL_RR ? r[b] : m32[ipa >>> 2];
          const s = Math.imul(x, y); r[a] = s;
          fl = mulFlags(x, y, s); fk = LAZY_NONE;
          if (op === Op.MUL_RI) npc = (pc + 8) | 0;
          break;
        }
        case Op.DIV_RR: case Op.DIV_RI: case Op.MOD_RR: case Op.MOD_RI: {
          const ri = (op & 1) === 1;
          const y = (ri ? m32[ipa >>> 2] : r[b]) >>> 0;
          if (y === 0) { put(cpu, pc, ic, fh, fk, fl, fx, fy, fs); exception(cpu, Vector.DIVIDE, 0); continue next; }
          const x = r[a] >>> 0;
          const s = (op <= Op.DIV_RI ? Math.floor(x / y) : x % y) | 0;
          r[a] = s; fk = LAZY_ZN; fs = s;
          if (ri) npc = (pc + 8) | 0;
          break;
        }
        case Op.NEG: { const x = r[a]; const s = -x | 0; r[a] = s; fl = zn(s) | (x !== 0 ? C : 0) | (x === -0x80000000 ? V : 0); fk = LAZY_NONE; break; }
        case Op.NOT: { const s = ~r[a]; r[a] = s; fk = LAZY_ZN; fs = s; break; }

        case Op.JMP_I:
          npc = m32[ipa >>> 2];
          if (npc - pc <= 0 && jit) { put(cpu, pc, ic, fh, fk, fl, fx, fy, fs); if (runLoop(cpu, pc, npc)) continue next; }
          break;
        case Op.JMP_R: npc = r[a]; break;
        case Op.JZ_I: case Op.JNZ_I: case Op.JL_I: case Op.JLE_I: case Op.JG_I: case Op.JGE_I:
        case Op.JB_I: case Op.JBE_I: case Op.JA_I: case Op.JAE_I:
          npc = condLazy(op, fk, fl, fx, fy, fs) ? m32[ipa >>> 2] : (pc + 8) | 0;
          if (npc - pc <= 0 && jit) { put(cpu, pc, ic, fh, fk, fl, fx, fy, fs); if (runLoop(cpu, pc, npc)) continue next; }
          break;
        case Op.JZ_R: case Op.JNZ_R: case Op.JL_R: case Op.JLE_R: case Op.JG_R: case Op.JGE_R:
        case Op.JB_R: case Op.JBE_R: case Op.JA_R: case Op.JAE_R:
          if (condLazy(op, fk, fl, fx, fy, fs)) npc = r[a];
          break;
        case Op.CALL_I: case Op.CALL_R: {
          const ret = op === Op.CALL_I ? (pc + 8) | 0 : npc;
          const ra = r[a]; // call r: the target as it was before the push (it can be sp)
          if (!cpu.quickPush(ret)) {
            put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
            if (!cpu.pushMiss(ret)) continue next;
            dl = cpu.deadline; fva = cpu.fVa;
          }
          npc = op === Op.CALL_I ? m32[ipa >>> 2] : ra;
          cpu.shadow.push(0, ret, r[SP], npc, cpu.cpl);
          break;
        }

        case Op.INT:
          put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
          if (w >>> 16 > 255) exception(cpu, Vector.UNDEFINED, 0);
          else softwareInterrupt(cpu, w >>> 16, 4);
          continue next;
        case Op.SYSCALL: put(cpu, pc, ic, fh, fk, fl, fx, fy, fs); softwareInterrupt(cpu, Vector.SYSCALL, 4); continue next;
        case Op.BRK: put(cpu, pc, ic, fh, fk, fl, fx, fy, fs); breakpoint(cpu, 4); continue next;

        default:
          // A system instruction can change anything (flags, ring, paging, the deadline): the loop reads it all again.
          put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
          if (system(cpu, op, w, a, pc) && cpu.pc === pc) cpu.pc = npc; // else it faulted or transferred control itself (iret, VM entry)
          continue next;
      }
      // The block compiler is offered where control went (a jump, call or return taken), not the
      // next instruction of a straight run. (Asking it here, without leaving the locals, made this
      // function 10% to 18% slower for every machine of a process that also runs compiled ones.)
      const went = blocks && npc !== ((pc + (WORDS_BY_OPCODE[op] === 2 ? 8 : 4)) | 0);
      pc = npc;
      // On to the next instruction without leaving the locals while it is on the fetch cache's page,
      // before the deadline, and not where a breakpoint or the block compiler may take over.
      if (ic >= dl || (pc & -4093) !== fva) break;
      pa = fpa | (pc & 0xfff);
      if (fbp ? (bp[pa >>> 7] & (1 << ((pa >>> 2) & 31))) !== 0 : went) break;
      ic++;
    }
    put(cpu, pc, ic, fh, fk, fl, fx, fy, fs);
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
  // A loop head the block compiler has is its (runBlocks, where control went): its blocks run a
  // one-block loop about twice as fast, and a region left at the end of its slice would otherwise
  // hand the loop compiler one backward jump each time until it compiled the loop and took it over.
  if (hasEntry(cpu, tpa)) return false;
  const key = (tpa >>> 2) & 8191;
  const h = cpu.hot[key];
  if (h < LOOP_HOT_JUMPS) {
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
