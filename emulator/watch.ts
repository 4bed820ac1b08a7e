/**
 * Data breakpoints: physical ones as a per-word mode map, virtual ones as a
 * short list. Checked only while any is set (cpu.watchOn), off the fast path.
 */
import type { Cpu } from './cpu';
import { ACC_W } from './access';

export const WATCH_READ = 1;
export const WATCH_WRITE = 2;

export function checkWatch(cpu: Cpu, va: number, pa: number, acc: number): void {
  const bit = acc === ACC_W ? WATCH_WRITE : WATCH_READ;
  const phys = cpu.watchPhys;
  if (phys && phys[pa >>> 2] & bit) {
    hit(cpu, va, pa, acc, phys[pa >>> 2] >>> 2);
    return;
  }
  for (const w of cpu.watchVirt) {
    // The same linear address in another process or VM is other memory.
    const here = w.tag === undefined || (w.tag === (cpu.nonRoot ? cpu.tag : 0) && (w.cr3 === undefined || w.cr3 === cpu.cr3 >>> 0));
    if (w.mode & bit && ((va - w.va) >>> 0) < w.len && here) {
      hit(cpu, va, pa, acc, w.id);
      return;
    }
  }
}

function hit(cpu: Cpu, va: number, pa: number, acc: number, id: number): void {
  if (cpu.watchHit) return;
  cpu.watchHit = { va: va >>> 0, pa, access: acc === ACC_W ? 'write' : 'read', id };
  cpu.requestStop('watchpoint');
}
