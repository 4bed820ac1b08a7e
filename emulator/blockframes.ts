/**
 * The shadow frames of calls a compiled block followed (blockdecode.ts): a call and its ret inside
 * one block leave the shadow stack as they found it, so such a call's frame waits in a local of the
 * region and is pushed only if the block is left before its ret (blockgen.ts pushes them at every
 * way out).
 */
import { Op } from './isa/opcodes';
import type { Insn } from './blockdecode';
import { popCallsSource } from './shadow';

/** The frame of a call the block followed, kept in local `q` (sp after the push) until its ret or a way out of the block. */
export interface Frame {
  ret: number;
  target: number;
  q: string;
}

/**
 * The frames of followed calls not yet returned from, before each instruction of a block (and
 * after the last): a call and its ret inside one block leave the shadow stack as they found it
 * (unless the callee moved sp: popPending), so such a frame is pushed only if the block is left
 * in between.
 */
export function pendingFrames(insns: readonly Insn[], base: number): Frame[][] {
  const pend: Frame[][] = [];
  let cur: Frame[] = [];
  for (const i of insns) {
    pend.push(cur);
    if (i.follow && i.op === Op.CALL_I) cur = [...cur, { ret: base + i.off + i.size, target: i.imm | 0, q: `q${cur.length}` }];
    else if (i.retTo !== undefined) cur = cur.slice(0, -1);
  }
  pend.push(cur);
  return pend;
}

/** Deepest nesting of followed calls in the blocks: the locals q0... the region needs. */
export const frameLocals = (blocks: readonly Insn[][]) => Math.max(0, ...blocks.flatMap((b) => pendingFrames(b, 0).map((p) => p.length)));

/**
 * The interpreter's popCalls(sp) at a ret that matches the innermost pending frame (`fs`, innermost
 * last): that frame goes if its sp is below the new sp; then the next frame down, pending (it must
 * stay) or on the stack. Anything else — a callee that moved sp — pushes them all (`pushAll`, the
 * block's source for it), pops as the interpreter does, and leaves the block (`leave`).
 */
export function popPending(fs: readonly Frame[], pushAll: string, leave: string): string {
  const f = fs[fs.length - 1];
  const outer = fs[fs.length - 2];
  return `if (${f.q} >>> 0 < r15 >>> 0${outer ? ` && ${outer.q} >>> 0 >= r15 >>> 0` : ''}) { ${outer ? '' : popCallsSource('r15')} }
      else { ${pushAll} ${popCallsSource('r15')} ${leave} }`;
}

