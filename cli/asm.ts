/** `ringside asm` and `ringside disasm`. argv excludes the subcommand itself. */
import * as fs from 'fs';
import * as path from 'path';
import { assemble, AssembleResult, Segment } from '../language/assembler';
import { disassemble, formatDisassembly } from '../language/disassembler';
import { formatDiagnostic } from '../language/formatDiagnostic';
import { formatListing } from '../language/listing';
import { nodeHost } from '../language/nodeHost';
import { parseCount, splitArgs, UsageError } from './args';
import { hex32 as hex } from '../emulator/isa/hex';

type Write = (s: string) => void;

/** A flat image larger than this is almost certainly a mistake (.org 0 and .org 0xC0000000). */
const MAX_FLAT = 256 * 1024 * 1024;

const rel = (f: string) => {
  const r = path.relative(process.cwd(), f);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : f;
};

function assembleReporting(file: string, err: Write): AssembleResult | undefined {
  // Files named in messages as in the line prefixes: relative to the working directory.
  const res = assemble(path.resolve(file), { ...nodeHost, display: rel });
  const text = res.diagnostics.map((d) => formatDiagnostic(d, rel) + '\n').join('');
  if (text) err(text);
  return res.ok ? res : undefined;
}

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
  const { positional, options } = splitArgs(args, ['output'], ['listing']);
  output = output ?? options.get('output');
  if (positional.length !== 1) throw new UsageError('asm takes exactly one FILE.rasm');
  const res = assembleReporting(positional[0], err);
  if (!res) return 1;
  if (options.has('listing')) out(formatListing(res.listing, { fileLabel: rel }));
  if (output !== undefined) {
    const { base, bytes } = flatImage(res.segments);
    fs.writeFileSync(output, bytes);
    out(`wrote ${output}: ${bytes.length} bytes, base ${hex(base)}, entry ${hex(res.entry)}\n`);
  } else if (!options.has('listing')) {
    const size = res.segments.reduce((n, s) => n + s.bytes.length, 0);
    out(`${rel(path.resolve(positional[0]))}: ${size} bytes in ${res.segments.length} region(s), entry ${hex(res.entry)}\n`);
  }
  return 0;
}

/** `ringside disasm FILE [--base ADDR]`: a .rasm is assembled first and shown with its labels. */
export function runDisasm(argv: string[], out: Write, err: Write): number {
  const { positional, options } = splitArgs(argv, ['base'], []);
  if (positional.length !== 1) throw new UsageError('disasm takes exactly one FILE');
  const file = positional[0];
  if (/\.rasm$/i.test(file)) {
    if (options.has('base')) throw new UsageError('--base applies to raw binaries; a .rasm says where it goes with .org');
    const res = assembleReporting(file, err);
    if (!res) return 1;
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
    err(`${file}: cannot read: ${(e as Error).message}\n`);
    return 1;
  }
  out(formatDisassembly(disassemble(bytes, base)));
  return 0;
}
