/**
 * The transition log's push() as source for compiled code (events.ts TransitionLog, blocktrap.ts):
 * its first case, an event that continues the open repeat, written out at each trap and iret site
 * of a region; any other event is the call.
 */
/** Whether generated source `x` is made of literals alone (a constant wherever it runs). */
const isConst = (x: string) => /^[-\d\s()|<>=+]*$/.test(x);

/** A compiled region's cache of the templates its event sites pushed last: the locals pushSource() declares. */
export interface EventSites {
  decls: string[];
}

/**
 * push()'s first case — the next event of the open repeat: counted, nothing written — as source
 * over `log` (a TransitionLog) for compiled code (blocktrap.ts), which saves a call with fourteen
 * arguments per transition; any other event goes to push(). `a`: push()'s arguments, as simple
 * expressions (each may be evaluated twice). It repeats push()'s test: change the two together.
 *
 * The site keeps in locals of its own (declared from `sites`) the template its last event had
 * (push()'s lastId) and those of its words that are not constants here. While the repeat expects
 * that template and those words are the same again, the event is the one expected: templates are
 * interned (one number, one list of words), so the template's words need not be read from the
 * log. Against the full compare this took 5% off a system call loop's time.
 */
export function pushSource(log: string, a: readonly string[], sites: EventSites): string {
  const [icount, cycles, kind, fromCpl, toCpl, fromVm, toVm, vector, syscall, exitReason, pcBefore, pcAfter, spBefore, detail] = a;
  const words = [
    `(${fromCpl}) | ((${toCpl}) << 2) | ((${kind}) << 4) | (((${vector}) + 1) << 8) | (((${exitReason}) + 1) << 20)`,
    `(${fromVm}) | ((${toVm}) << 16)`,
    `${syscall}`,
    `(${pcBefore}) | 0`,
    `(${pcAfter}) | 0`,
    `(${spBefore}) | 0`,
    `(${detail}) | 0`,
  ];
  const narrow = `((${fromVm}) | (${toVm})) >>> 16 === 0`;
  const args = [kind, fromCpl, toCpl, fromVm, toVm, vector, syscall, exitReason, pcBefore, pcAfter, spBefore, detail].join(', ');
  const counted = `L.rI[s] = i0 + L.rdI; L.rC[s] = c0 + L.rdC; L.rs = s + 1 === L.rp ? 0 : s + 1;
        const n = L.n + 1; L.n = L.high = n; if (n === L.capacity) L.rp = 0;`;
  // The words that are not constants (a literal, or literals combined) are compared with the site's locals.
  const e = `e${sites.decls.length}`;
  const dyn = words.map((x, k) => ({ x, k })).filter(({ x }) => !isConst(x));
  sites.decls.push(`${e} = -1`, ...dyn.map(({ k }) => `${e}w${k} = 0`));
  return `{ const L = ${log}, i0 = ${icount}, c0 = ${cycles}, s = L.rs${dyn.map(({ x, k }) => `, x${k} = ${x}`).join('')};
      if (${['L.rp !== 0', `L.rT[s] === ${e}`, ...dyn.map(({ k }) => `x${k} === ${e}w${k}`), ...(isConst(narrow) ? [] : [narrow]), 'i0 === L.rI[s]', 'c0 === L.rC[s]'].join(' && ')}) {
        ${counted}
      } else { L.push(i0, c0, ${args}); ${e} = L.lastId;${dyn.map(({ k }) => ` ${e}w${k} = x${k};`).join('')} } }`;
}
