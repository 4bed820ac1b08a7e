// One page table in the Page Tables page: a <details> with its directory entry as the summary
// and its mappings as rows. It lives across stops: when the table is unchanged (the host's hash
// says so) a stop only moves the pc's highlight, so rows the user asked for, a table they
// closed and the keyboard focus all stay where they were.
import type { PageRun, TableView } from '../messages';
import { el, hex } from '../../page/common';
import { t as tr } from '../../page/l10n';
import { flags, markOf, runRow, type Marks } from './markup';

/** More rows per click of "more". */
export const MORE_ROWS = 256;

export interface RowsRequest {
  ept: boolean;
  dir: number;
  from: number;
  count: number;
}

export class TableBlock {
  readonly details: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly more: HTMLButtonElement;
  /** The runs drawn as rows 0..n-1 (the pc's extra row aside). */
  private drawn: PageRun[] = [];

  constructor(
    private t: TableView,
    readonly ept: boolean,
    private marks: Marks,
    open: boolean,
    private readonly ask: (r: RowsRequest) => void,
  ) {
    this.summary = el('summary');
    this.body = el('tbody');
    this.more = el('button', { type: 'button', class: 'more' });
    this.more.addEventListener('click', () => {
      this.more.disabled = true;
      this.ask({ ept, dir: t.dir, from: this.drawn.length, count: MORE_ROWS });
    });
    // The entry column is the first to go when the panel is narrow (panel.css): its flags say the same.
    const head = el('thead', {}, el('tr', {}, ...[ept ? tr('guest-physical') : tr('virtual'), ept ? tr('host-physical') : tr('physical'), tr('pages'), tr('flags'), tr('entry'), tr('actions')].map((h, i) => el('th', { scope: 'col', class: ['', '', '', '', 'entry', 'actions'][i] || undefined }, h))));
    this.details = el('details', { open }, this.summary, el('table', { class: 'pages', 'aria-rowcount': t.runCount + 1 }, head, this.body), this.more);
    this.fill(t);
  }

  get hash(): string {
    return this.t.hash;
  }

  /** A new stop. Unchanged table: the highlights move; changed: rows redrawn, as many as before. */
  update(t: TableView, marks: Marks): void {
    const same = t.hash === this.t.hash;
    this.marks = marks;
    if (!same) {
      const had = this.drawn.length;
      this.fill(t);
      // The user had asked for more rows: ask again for as many, from the new table.
      if (had > this.drawn.length && this.drawn.length < t.runCount) this.ask({ ept: this.ept, dir: t.dir, from: this.drawn.length, count: had - this.drawn.length });
      return;
    }
    this.t = t;
    this.drawSummary();
    const rows = this.body.rows;
    for (let i = 0; i < this.drawn.length; i++) {
      const mark = markOf(this.drawn[i], marks);
      const cls = `pt-row${mark.cls}`;
      if (rows[i].className !== cls) {
        rows[i].className = cls;
        if (mark.title) rows[i].title = mark.title;
        else rows[i].removeAttribute('title');
      }
    }
    this.drawExtras();
  }

  /** Rows that arrived for a "more" request (or the re-request after a change), for the table as it was then. */
  addRows(from: number, hash: string, runs: PageRun[]): void {
    if (hash === this.t.hash) this.append(from, runs);
  }

  private append(from: number, runs: PageRun[]): void {
    if (from !== this.drawn.length) return; // an answer to an older click
    this.body.querySelectorAll('.pc-extra').forEach((r) => r.remove());
    this.body.insertAdjacentHTML('beforeend', runs.map((r, i) => runRow(this.t, r, from + i, this.ept, this.marks)).join(''));
    this.drawn = this.drawn.concat(runs);
    this.drawExtras();
    this.drawMore();
  }

  private fill(t: TableView): void {
    this.t = t;
    this.drawn = [];
    this.body.replaceChildren();
    this.drawSummary();
    this.append(0, t.runs);
  }

  private drawSummary(): void {
    const t = this.t;
    const base = (t.dir << 22) >>> 0;
    const inDir = (va: number | undefined) => va !== undefined && va >>> 22 === t.dir;
    this.summary.className = `${inDir(this.marks.pc) ? 'current' : ''}${inDir(this.marks.data) ? ' data' : ''}`.trim();
    this.summary.replaceChildren(
      el('span', { class: 'mono' }, `${this.ept ? 'EPT PDE' : 'PDE'} ${t.dir}`), ' ',
      el('span', { class: 'mono' }, `${hex(base)}–${hex(base + 0x3fffff)}`), ` → ${tr('table at')} `, el('span', { class: 'mono' }, hex(t.tableAddress)), ' ',
      flags(t.entry, this.ept), ` · ${t.pageCount === 1 ? tr('1 page') : tr('{0} pages', t.pageCount)}`);
  }

  /** The rows of the pc and of the last data access stay in view, after the rows drawn so far, until those reach them. */
  private drawExtras(): void {
    this.body.querySelectorAll('.pc-extra').forEach((r) => r.remove());
    const extras = [this.t.pcRun, this.t.dataRun].filter((x): x is NonNullable<typeof x> => x !== undefined && x.index >= this.drawn.length);
    if (extras.length === 2 && extras[0].index === extras[1].index) extras.pop();
    extras.sort((a, b) => a.index - b.index);
    this.body.insertAdjacentHTML('beforeend', extras.map((x) => runRow(this.t, x.run, x.index, this.ept, this.marks, true)).join(''));
  }

  private drawMore(): void {
    const left = this.t.runCount - this.drawn.length;
    this.more.hidden = left <= 0;
    this.more.disabled = false;
    this.more.textContent = tr('Show {0} more of {1} rows', Math.min(MORE_ROWS, left), this.t.runCount);
  }
}
