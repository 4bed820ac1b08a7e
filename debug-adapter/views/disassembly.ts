/**
 * Disassembly for VS Code's disassembly view and the stop texts: instructions
 * are read through the current address space (addresses are virtual, as the
 * pc sees them), named with the program's labels and placed at their source
 * line through the physical address. Going backward from an address uses the
 * source map to find where instructions start, since a two-word instruction's
 * immediate would otherwise be taken for an instruction.
 */
import { isa, Machine } from '../../emulator';
import { disassemble as disasmBytes } from '../../language/disassembler';
import { originAt } from '../engine/codeOrigins';
import { hex8 } from '../engine/expressions';
import type { Program } from '../engine/program';
import { cpuSpace, type Translate } from '../engine/memory';

export interface DisasmInstruction {
  address: number;
  bytes: string;
  text: string;
  symbol?: string;
  file?: string;
  line?: number;
  invalid?: boolean;
}

/** Up to `n` bytes (whole words) at word-aligned `a` through `tr`, as far as they are mapped. */
function readThrough(m: Machine, tr: Translate, a: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let k = 0;
  for (; k < n; k += 4) {
    const pa = tr((a + k) | 0);
    if (pa < 0) break;
    out.set(m.readPhysical(pa, 4), k);
  }
  return out.subarray(0, k);
}

/** Instruction offsets further than this are counted in words, not walked. */
const FAR = 1 << 16;

/**
 * The length of the instruction at `a` as the view shows it: decoded where the source map says
 * code (or a translator generated it) and where it says nothing (code a program wrote), one word
 * where it says data or the word is no instruction.
 */
function lengthAt(m: Machine, program: Program, a: number, tr: Translate): number {
  const pa = tr(a | 0);
  if (pa < 0 || a > 0xffffffff) return 4;
  const d = isa.decode(m.readWordPhysical(pa), 0);
  if (!d) return 4;
  const known = program.instructionAt(pa) || originAt(m, program.codeOrigins, a) !== undefined;
  return known || !program.location(pa) ? d.length : 4;
}

/** Starts of the instructions from `from` up to (not including) `to`, as the view lays them out. */
function starts(m: Machine, program: Program, from: number, to: number, tr: Translate): number[] {
  const out: number[] = [];
  let a = from >>> 0;
  while (a < to) {
    out.push(a);
    const len = lengthAt(m, program, a, tr);
    // Never across `to`: it is an instruction start (DAP's memoryReference), whatever came before.
    a += a + len > to ? 4 : len;
  }
  return out;
}

/**
 * `count` instructions starting `offset` instructions away from `address`
 * (negative: before it). Unmapped addresses give invalid entries, so the
 * view can still scroll through them.
 */
export function disassembleRange(m: Machine, program: Program, address: number, offset: number, count: number, tr: Translate = cpuSpace(m)): DisasmInstruction[] {
  let start = address >>> 0;
  // Instructions asked for before address 0: DAP wants exactly `count`, so they are invalid
  // entries (address -1, which VS Code shows without an address) and the rest keep their places.
  let before = 0;
  if (Math.abs(offset) > FAR) {
    // Too far to walk instruction by instruction (and past the address space anyway): count words.
    before = Math.max(0, Math.ceil(-(start + offset * 4) / 4));
    start = Math.max(0, start + offset * 4);
  } else if (offset < 0) {
    const back = -offset;
    const from = Math.max(0, start - back * 8 - 16);
    const list = starts(m, program, from & ~3, start, tr);
    if (list.length >= back) start = list[list.length - back];
    else {
      before = back - list.length;
      start = list.length ? list[0] : start;
    }
  } else if (offset > 0) {
    const list = starts(m, program, start, start + offset * 8 + 8, tr);
    start = list[Math.min(offset, list.length - 1)];
  }
  const out: DisasmInstruction[] = [];
  for (; out.length < Math.min(before, count); ) out.push({ address: -1, bytes: '', text: '?? (before address 0)', invalid: true });
  let a = start;
  while (out.length < count) {
    if (a > 0xffffffff) {
      out.push({ address: a, bytes: '', text: '??', invalid: true });
      a += 4;
      continue;
    }
    const pa = tr(a | 0);
    if (pa < 0) {
      out.push({ address: a, bytes: '', text: '?? (not mapped)', invalid: true });
      a += 4;
      continue;
    }
    const bytes = readThrough(m, tr, a, 8);
    // Labels as the code here names them: an overlay's own, once copied over other code.
    const d = disasmBytes(bytes.length >= 8 ? bytes : bytes.subarray(0, 4), a, (x) => program.labelAt(x, pa))[0];
    // Generated code (codeOrigins.ts) is code although the source map says `.space` there.
    const piece = originAt(m, program.codeOrigins, a);
    // Laid out as starts() counted them; backward from `address`, decoding may run into it from a
    // word that is not an instruction: `address` still starts one, as DAP says it does.
    const whole = d && d.defined ? lengthAt(m, program, a, tr) : 4;
    const len = a < address >>> 0 && a + whole > address >>> 0 ? 4 : whole;
    const text = d && d.defined && len === d.length ? d.text : `.word ${hex8(m.readWordPhysical(pa))}`;
    // ... and is placed at the line of the instruction it came from.
    const origin = piece?.origin;
    const originPa = origin === undefined ? -1 : tr(origin | 0);
    const loc = program.location(originPa >= 0 ? originPa : pa);
    out.push({
      address: a,
      bytes: Array.from(bytes.subarray(0, len), (b) => b.toString(16).padStart(2, '0')).join(' '),
      text,
      symbol: program.labelHere(a, pa) ?? (origin !== undefined && piece?.start === a ? `translation of ${program.labelAt(origin) ?? hex8(origin)}` : undefined),
      file: loc?.file,
      line: loc?.line,
      invalid: !(d && d.defined),
    });
    a += len;
  }
  return out;
}
