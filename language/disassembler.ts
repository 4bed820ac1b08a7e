/** Disassembly with the instruction table's decoder; output assembles back to the same words. */
import { decode, formatInstruction, Symbolize } from '../emulator/isa/codec';
import { SymbolInfo } from './asmTypes';
import { hexDigits } from '../emulator/isa/hex';

export interface DisasmLine {
  /** Address of the first byte (as given by `base`: normally the link address). */
  address: number;
  /** Instruction words (1 or 2), or for a trailing partial word its bytes' value. */
  words: number[];
  length: number;
  /** Assembler text: an instruction, `.word 0x...` for an undefined encoding, or `.byte` for a tail. */
  text: string;
  /** Whether the words are a defined instruction encoding. */
  defined: boolean;
  /** Labels at this address. */
  labels: string[];
}

export type SymbolSource = Map<string, SymbolInfo> | Symbolize;

/** Address → label names (labels only; global names first, then local ones). */
export function labelsByAddress(symbols: Map<string, SymbolInfo>): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const s of symbols.values()) {
    if (s.kind !== 'label') continue;
    const list = m.get(s.value >>> 0);
    if (list) list.push(s.name);
    else m.set(s.value >>> 0, [s.name]);
  }
  for (const list of m.values()) list.sort((a, b) => Number(a.includes('.')) - Number(b.includes('.')) || a.localeCompare(b));
  return m;
}

const hex32 = (v: number) => hexDigits(v, 8);

function readWord(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * Disassemble `bytes` as if loaded at `base`. Jump and call targets and absolute
 * memory operands are shown as labels when `symbols` names them. `dataAt` (from a source map)
 * says which addresses hold data, shown as words even where they look like instructions.
 */
export function disassemble(bytes: Uint8Array, base: number, symbols?: SymbolSource, dataAt?: (address: number) => boolean): DisasmLine[] {
  const labels = symbols instanceof Map ? labelsByAddress(symbols) : undefined;
  const symbolize: Symbolize | undefined = labels ? (a) => labels.get(a >>> 0)?.[0] : (symbols as Symbolize | undefined);
  const out: DisasmLine[] = [];
  let at = 0;
  while (at < bytes.length) {
    const address = (base + at) >>> 0;
    const here = labels?.get(address) ?? [];
    // Instructions are word-aligned: bytes before the next word boundary (a region at an odd .org) are bytes.
    const odd = (4 - (address & 3)) & 3;
    if (odd !== 0 || bytes.length - at < 4) {
      const n = Math.min(odd || 4, bytes.length - at);
      const tail = Array.from(bytes.subarray(at, at + n), (b) => '0x' + hexDigits(b, 2));
      out.push({ address, words: [], length: n, text: `.byte ${tail.join(', ')}`, defined: false, labels: here });
      at += n;
      continue;
    }
    const w0 = readWord(bytes, at);
    const w1 = bytes.length - at >= 8 ? readWord(bytes, at + 4) : 0;
    const d = dataAt?.(address) ? undefined : decode(w0, w1);
    if (!d || d.length > bytes.length - at) {
      out.push({ address, words: [w0], length: 4, text: `.word 0x${hex32(w0)}`, defined: false, labels: here });
      at += 4;
      continue;
    }
    // formatInstruction names addresses only.
    const text = formatInstruction(d, symbolize);
    out.push({ address, words: d.length === 8 ? [w0, w1] : [w0], length: d.length, text, defined: true, labels: here });
    at += d.length;
  }
  return out;
}

/** `address  words  text` lines, with `label:` lines before labelled addresses. */
export function formatDisassembly(lines: readonly DisasmLine[]): string {
  const rows: string[] = [];
  for (const l of lines) {
    for (const name of l.labels) rows.push(`${name}:`);
    const enc = l.words.map(hex32).join(' ');
    rows.push(`${hex32(l.address)}  ${enc.padEnd(17)}  ${l.text}`);
  }
  return rows.join('\n') + (rows.length ? '\n' : '');
}
