/**
 * Listing text: `address  encoding  source`. Instructions show their 32-bit
 * words; data shows bytes, 8 a row; `.space` and `.align` fill is not printed.
 * The address is the link address (what labels and the pc see); `.org` lines
 * with a different load address say so in their source text.
 */
import { ListingLine } from './asmTypes';
import { hexDigits } from '../emulator/isa/hex';

const hex32 = (v: number) => hexDigits(v, 8);
const hex8 = (v: number) => hexDigits(v, 2);

const ENC_WIDTH = 23;
const BLANK_ADDR = ' '.repeat(8);

export interface ListingOptions {
  /** How to show a file name in the `;; file` lines printed when the listing enters another file. */
  fileLabel?: (file: string) => string;
  /** Most data rows printed for one line (the rest is elided); default 4. */
  maxDataRows?: number;
}

function words(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(hex32(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)));
  return out.join(' ');
}

export function formatListing(lines: readonly ListingLine[], opts: ListingOptions = {}): string {
  const label = opts.fileLabel ?? ((f: string) => f);
  const maxRows = opts.maxDataRows ?? 4;
  const rows: string[] = [];
  let file = lines.length ? lines[0].file : '';
  const row = (addr: number | undefined, enc: string, src: string) =>
    rows.push(`${addr === undefined ? BLANK_ADDR : hex32(addr)}  ${enc.padEnd(ENC_WIDTH)}  ${src}`.trimEnd());
  for (const l of lines) {
    if (l.file !== file) {
      file = l.file;
      rows.push(`;; file ${label(file)}`);
    }
    const src = l.source.replace(/\t/g, '    ');
    const bytes = l.bytes;
    if (l.instruction) {
      row(l.address, words(bytes), src);
      continue;
    }
    if (bytes.length === 0 || isFill(l.source)) {
      row(l.address, '', src);
      continue;
    }
    const total = Math.ceil(bytes.length / 8);
    for (let r = 0; r < Math.min(total, maxRows); r++) {
      const chunk = Array.from(bytes.subarray(r * 8, r * 8 + 8), hex8).join(' ');
      row(l.address === undefined ? undefined : l.address + r * 8, chunk, r === 0 ? src : '');
    }
    if (total > maxRows) row(undefined, `... ${bytes.length - maxRows * 8} more`, '');
  }
  return rows.join('\n') + (rows.length ? '\n' : '');
}

/** `.space` lines: their zero bytes are not worth printing. */
function isFill(source: string): boolean {
  return /^\s*(?:[A-Za-z_.][\w.$]*\s*:\s*)*\.space\b/i.test(source);
}
