/**
 * VS Code's memory and disassembly views: readMemory and writeMemory (virtual through the address
 * space of the frame the client shows, or `phys:` physical) and disassemble.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { hex8 } from '../engine/expressions';
import { fromBase64, parseReference, readRange, toBase64, writeRange } from '../engine/memory';
import { disassembleRange } from '../views/disassembly';
import { dap, type Route } from './route';
import { edit } from './edits';

/** The most one readMemory answers (its base64 is a third more). */
const MAX_READ = 16 << 20;

export const memoryRequests: Route[] = [
  dap('readMemory', (s, args) => {
    const rt = s.stopped();
    const ref = parseReference(args.memoryReference);
    // A shorter answer would tell the client memory ends there (DAP): a read too big is refused instead.
    if (args.count > MAX_READ) throw new Error(`readMemory reads at most ${MAX_READ / (1 << 20)} MiB at a time, not ${args.count} bytes: read it in parts`);
    const r = readRange(rt.machine, ref.address + (args.offset ?? 0), ref.physical, Math.max(0, args.count), s.focus?.tr);
    return { address: (ref.physical ? 'phys:' : '') + hex8(r.address), data: toBase64(r.data), unreadableBytes: r.unreadable };
  }),
  dap('writeMemory', (s, args, reply) => {
    const rt = s.stopped();
    const ref = parseReference(args.memoryReference);
    const at = ref.address + (args.offset ?? 0);
    const bytes = fromBase64(args.data);
    // DAP: without allowPartial, a write that cannot be whole fails and writes nothing.
    if (!args.allowPartial) {
      const can = writeRange(rt.machine, at, ref.physical, bytes, true, s.focus?.tr);
      if (can < bytes.length) throw new Error(`only ${can} of the ${bytes.length} bytes from ${ref.physical ? 'phys:' : ''}${hex8(at >>> 0)} can be written (then ${ref.physical ? 'memory ends' : 'an unmapped page or the end of memory'}): nothing written (allowPartial writes what can be)`);
    }
    // Another view of the same bytes (the other address, a variable) learns of it by the event.
    const n = edit(s, rt, reply, () => writeRange(rt.machine, at, ref.physical, bytes, false, s.focus?.tr), (w) => ({ memoryReference: args.memoryReference, offset: args.offset ?? 0, count: w }));
    if (n > 0) rt.edited();
    return { bytesWritten: n, offset: args.offset };
  }),
  dap('disassemble', (s, args) => {
    const rt = s.stopped();
    const ref = parseReference(args.memoryReference);
    if (ref.physical) throw new Error('disassembly reads virtual addresses (as the pc sees them)');
    // In the address space of the frame the client shows (a guest's frame: the guest's), else the CPU's.
    const list = disassembleRange(rt.machine, rt.program, ref.address + (args.offset ?? 0), args.instructionOffset ?? 0, Math.min(args.instructionCount, 10_000), s.focus?.tr);
    let lastFile: string | undefined;
    return {
      instructions: list.map((d) => {
        // Past the address space's end the address says so (never wraps to 0); before 0 it is -1.
        const address = d.address < 0 ? '-1' : d.address > 0xffffffff ? `0x${d.address.toString(16)}` : hex8(d.address);
        const ins: DebugProtocol.DisassembledInstruction = { address, instructionBytes: d.bytes, instruction: d.text };
        if (d.symbol && args.resolveSymbols !== false) ins.symbol = d.symbol;
        if (d.invalid) ins.presentationHint = 'invalid';
        if (d.file !== undefined && d.line !== undefined) {
          if (d.file !== lastFile) ins.location = rt.program.source(d.file);
          lastFile = d.file;
          ins.line = s.lineToClient(d.line);
        }
        return ins;
      }),
    };
  }),
];
