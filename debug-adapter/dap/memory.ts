/**
 * VS Code's memory and disassembly views: readMemory and writeMemory (virtual through the
 * current address space, or `phys:` physical) and disassemble.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { hex8 } from '../engine/expressions';
import { fromBase64, parseReference, readRange, toBase64, writeRange } from '../engine/memory';
import { disassembleRange } from '../views/disassembly';
import { dap, type Route } from './route';

export const memoryRequests: Route[] = [
  dap('readMemory', (s, args) => {
    const rt = s.stopped();
    const ref = parseReference(args.memoryReference);
    const r = readRange(rt.machine, ref.address + (args.offset ?? 0), ref.physical, Math.max(0, Math.min(args.count, 1 << 20)));
    return { address: (ref.physical ? 'phys:' : '') + hex8(r.address), data: toBase64(r.data), unreadableBytes: r.unreadable };
  }),
  dap('writeMemory', (s, args) => {
    const rt = s.stopped();
    const ref = parseReference(args.memoryReference);
    const n = writeRange(rt.machine, ref.address + (args.offset ?? 0), ref.physical, fromBase64(args.data));
    if (n > 0) rt.edited();
    return { bytesWritten: n, offset: args.offset };
  }),
  dap('disassemble', (s, args) => {
    const rt = s.stopped();
    const ref = parseReference(args.memoryReference);
    if (ref.physical) throw new Error('disassembly reads virtual addresses (as the pc sees them)');
    const list = disassembleRange(rt.machine, rt.program, ref.address + (args.offset ?? 0), args.instructionOffset ?? 0, Math.min(args.instructionCount, 10_000));
    let lastFile: string | undefined;
    return {
      instructions: list.map((d) => {
        const ins: DebugProtocol.DisassembledInstruction = { address: hex8(d.address), instructionBytes: d.bytes, instruction: d.text };
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
