/** `ringside asm` and `ringside disasm`. argv excludes the subcommand itself. */
import * as fs from 'fs';
import { Segment } from '../language/assembler';
import { disassemble, formatDisassembly } from '../language/disassembler';
import { formatListing } from '../language/listing';
import { cannotWrite, FileError, fsReason, parseCount, splitArgs, UsageError } from './args';
import { assembleOrExit, shownPath } from './diagnostics';
import { hex32 as hex } from '../emulator/isa/hex';

type Write = (s: string) => void;

/** A flat image larger than this is almost certainly a mistake (.org 0 and .org 0xC0000000). */
const MAX_FLAT = 256 * 1024 * 1024;

/** All segments as one image from the lowest load address; gaps are zero. */
export function flatImage(segments: readonly Segment[]): { base: number; bytes: Uint8Array } {
  if (segments.length === 0) return { base: 0, bytes: new Uint8Array(0) };
  const base = Math.min(...segments.map((s) => s.load));
  const end = Math.max(...segments.map((s) => s.load + s.bytes.length));
  if (end - base > MAX_FLAT) throw new UsageError(`the image would span ${end - base} bytes (${hex(base)}..${hex(end)}); more than ${MAX_FLAT}`);
  const bytes = new Uint8Array(end - base);
  for (const s of segments) bytes.set(s.bytes, s.load - base);
  return { base, bytes };
}

/** `ringside asm FILE [--listing] [-o OUT.bin]` */
export function runAsm(argv: string[], out: Write, err: Write): number {
  const args = [...argv];
  let output: string | undefined;
  const o = args.indexOf('-o');
  if (o >= 0) {
    output = args[o + 1];
    if (output === undefined) throw new UsageError('-o needs a file name');
    args.splice(o, 2);
  }
  const { positional, options } = splitArgs(args, ['output'], ['listing'], 'asm');
  output = output ?? options.get('output');
  if (positional.length !== 1) throw new UsageError('asm takes exactly one FILE.rasm');
  const res = assembleOrExit(positional[0], err);
  if (typeof res === 'number') return res;
  if (options.has('listing')) out(formatListing(res.listing, { fileLabel: shownPath }));
  if (output !== undefined) {
    const { base, bytes } = flatImage(res.segments);
    try {
      fs.writeFileSync(output, bytes);
    } catch (e) {
      throw cannotWrite(output, e);
    }
    out(`wrote ${output}: ${bytes.length} bytes, base ${hex(base)}, entry ${hex(res.entry)}\n`);
  } else if (!options.has('listing')) {
    const size = res.segments.reduce((n, s) => n + s.bytes.length, 0);
    out(`${shownPath(positional[0])}: ${size} bytes in ${res.segments.length} region(s), entry ${hex(res.entry)}\n`);
  }
  return 0;
}

/** `ringside disasm FILE [--base ADDR]`: a .rasm is assembled first and shown with its labels. */
export function runDisasm(argv: string[], out: Write, err: Write): number {
  const { positional, options } = splitArgs(argv, ['base'], [], 'disasm');
  if (positional.length !== 1) throw new UsageError('disasm takes exactly one FILE');
  const file = positional[0];
  if (/\.rasm$/i.test(file)) {
    if (options.has('base')) throw new UsageError('--base applies to raw binaries; a .rasm says where it goes with .org');
    const res = assembleOrExit(file, err);
    if (typeof res === 'number') return res;
    const parts = res.segments.map((s) => {
      const where = s.link === s.load ? `${hex(s.load)}` : `${hex(s.link)} (loaded at ${hex(s.load)})`;
      // The source map knows the data: a .word that looks like an opcode stays a .word.
      const dataAt = (a: number) => res.sourceMap.lookup((s.load + ((a - s.link) >>> 0)) >>> 0)?.instruction === false;
      return `; region at ${where}, ${s.bytes.length} bytes\n` + formatDisassembly(disassemble(s.bytes, s.link, res.symbols, dataAt));
    });
    out(parts.join('\n'));
    return 0;
  }
  const base = options.has('base') ? parseCount(options.get('base')!, '--base') : 0;
  if (base > 0xffffffff) throw new UsageError('--base must fit in 32 bits');
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new FileError(`cannot read '${file}': ${fsReason(e)}`);
  }
  out(formatDisassembly(disassemble(bytes, base)));
  return 0;
}
