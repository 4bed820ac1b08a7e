/**
 * An address space's page tables for the Page Tables panel (protocol.ts pageTables): its own
 * tables, its EPT, a shadowed guest's own tables, a walk and the TLB.
 */
import { isa, Machine } from '../../emulator';
import type { PageTablesArguments, PageTablesResponseBody } from '../protocol';
import { spaceOf } from '../engine/spaces';
import { shadowedGuest } from '../engine/guestPaging';
import { words } from '../../language/l10n';

/** `guestPaging`: where the program publishes its guests' own paging (guestPaging.ts), if it does. */
export function pageTables(m: Machine, args: PageTablesArguments, guestPaging?: number): PageTablesResponseBody {
  const id = args.space ?? m.currentVm;
  const { space, running, cpl } = spaceOf(m, id);
  const limit = Math.max(1, Math.min(args.limit ?? 4096, 1 << 20));
  const paging = (space.cr0 & isa.Cr0.PG) !== 0;
  const toHost = m.guestToHost(space);
  const own = paging ? m.pageTables(space.cr3, false, limit, toHost) : { tables: [], truncated: false };
  const ept = space.eptp ? m.pageTables(space.eptp, true, limit) : undefined;
  // Shadow paging: the CPU walks the shadow (above); the guest's own tables sit beside it.
  const shadowed = !space.eptp ? shadowedGuest(m, guestPaging, id) : undefined;
  const guest = shadowed ? m.pageTables(shadowed.cr3, false, limit, shadowed.toHost) : undefined;
  const body: PageTablesResponseBody = {
    space: { id, name: words.space(id, m.vms().length > 0), running, paging, cr0: space.cr0, cr3: space.cr3, eptPointer: space.eptp },
    tables: own.tables,
    eptTables: ept?.tables,
    guestTables: guest?.tables,
    guestCr3: shadowed?.cr3,
    truncated: own.truncated || (ept?.truncated ?? false) || (guest?.truncated ?? false),
    tlb: m.tlbEntries(),
    counters: m.tlbStatsOf(id),
  };
  if (args.va !== undefined) body.walk = m.explainWalk(args.va, args.access ?? 'read', cpl, running ? undefined : space);
  return body;
}
