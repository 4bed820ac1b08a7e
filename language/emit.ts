/** Pass 2 of the assembler: each item's values (operands.ts), encoded into the segments' bytes. */
import { encode, Operand } from '../emulator/isa/codec';
import type { Layout } from './layout';
import { lineValues, ValueContext } from './operands';
import { Kind } from './lineInfo';
import { runsPastEnd } from './layoutChecks';
import { Origin } from './passTypes';
import { MapEntry } from './sourcemap';

function writeWord(bytes: Uint8Array, at: number, w: number): void {
  bytes[at] = w & 0xff;
  bytes[at + 1] = (w >>> 8) & 0xff;
  bytes[at + 2] = (w >>> 16) & 0xff;
  bytes[at + 3] = (w >>> 24) & 0xff;
}

export function emit(L: Layout): MapEntry[] {
  // A region past 4 GiB (the layout reported it) gets no image: it could not be allocated.
  for (const seg of L.segments) if (!runsPastEnd(seg)) seg.bytes = new Uint8Array(seg.size);
  const entries: MapEntry[] = [];
  let file = '';
  let line = 0;
  const cx: ValueContext = {
    symbols: L.symbols,
    noValue: L.noValue,
    report: (start, end, message, code, data) => L.sink.diag(file, line, start, end, 'error', message, code, Origin.Value, undefined, data),
  };
  const values: (Operand | number)[] = [];
  for (const item of L.items) {
    const { seg, info } = item;
    const bytes = seg.bytes;
    if (!bytes) continue;
    file = item.file;
    line = item.line;
    values.length = 0;
    let ok: boolean;
    if (item.kind === 'insn') {
      ok = info.formOk && lineValues(cx, info, item.scope, values);
      if (ok) {
        const words = encode(info.form!, values as Operand[]);
        for (let i = 0; i < words.length; i++) writeWord(bytes, item.offset + 4 * i, words[i]);
      }
    } else if (info.kind === Kind.Directive && (info.directive === '.word' || info.directive === '.byte')) {
      ok = lineValues(cx, info, item.scope, values);
      const wide = info.directive === '.word';
      // With a value missing the program has an error and its image is not used.
      for (let i = 0; ok && i < values.length; i++) {
        if (wide) writeWord(bytes, item.offset + 4 * i, values[i] as number);
        else bytes[item.offset + i] = (values[i] as number) & 0xff;
      }
    } else {
      ok = true;
      const s = info.stmt!;
      if (s.kind === 'directive' && (s.name === '.ascii' || s.name === '.asciz')) {
        let at = item.offset;
        for (const a of s.args) {
          if (a.kind !== 'string') continue;
          bytes.set(a.bytes, at);
          at += a.bytes.length + (s.name === '.asciz' ? 1 : 0);
        }
      }
      // .space: zeros are already there
    }
    if (ok) entries.push({ pa: seg.load + item.offset, la: seg.link + item.offset, size: item.size, file: item.file, line: item.line, instruction: item.kind === 'insn' });
  }
  return entries;
}
