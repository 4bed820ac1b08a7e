// Layout probes run inside a panel's page, alone in Chromium or inside VS Code's webview frame:
// what lies outside the page's viewport, and which transition rows' texts overlap.
import type { Locator, Page } from 'playwright-core';

/** Something whose page we can evaluate in: a Page, or a locator inside a webview's frame. */
type Where = Page | Locator;

const bodyOf = (w: Where): Locator => ('locator' in w && 'goto' in w ? (w as Page).locator('body') : (w as Locator));

interface R {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Elements of the page (visible ones) that reach past its left or right edge, in words; and the page's own scroll width. */
export async function outsideViewport(where: Where, selector = '#app'): Promise<string[]> {
  return bodyOf(where).evaluate((_, sel) => {
    const g = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelector(s: string): { querySelectorAll(s: string): ArrayLike<unknown> } | null };
      getComputedStyle(e: unknown): { visibility: string; overflowX: string; overflow: string };
    };
    const root = g.document.querySelector(sel);
    if (!root) return [`no ${sel} in the page`];
    const width = g.document.documentElement.clientWidth;
    const out: string[] = [];
    if (g.document.documentElement.scrollWidth > width + 1) out.push(`the page scrolls sideways: ${g.document.documentElement.scrollWidth} px wide in ${width} px`);
    const all = Array.from(root.querySelectorAll('*')) as { tagName: string; className: unknown; textContent: string | null; getBoundingClientRect(): { left: number; right: number; width: number; height: number }; parentElement: unknown; closest(s: string): unknown }[];
    for (const e of all) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || g.getComputedStyle(e).visibility === 'hidden') continue;
      // Inside a box that scrolls or clips sideways (a memory dump, a cell ending in "…"), the box is what shows.
      if (e.closest('pre, .list .row > span')) continue;
      if (r.left < -1 || r.right > width + 1) out.push(`<${e.tagName.toLowerCase()} class="${String(e.className)}"> "${(e.textContent ?? '').trim().slice(0, 40)}" spans ${Math.round(r.left)}–${Math.round(r.right)} px`);
      if (out.length > 8) break;
    }
    return out;
  }, selector);
}

/** Pairs of texts in the transition list that overlap on screen (what shows of each: a clipped cell shows only its box). */
export async function overlappingRowTexts(where: Where): Promise<string[]> {
  return bodyOf(where).evaluate(() => {
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<unknown>; createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): R } };
      getComputedStyle(e: unknown): { overflow: string; overflowX: string };
    };
    type El = { textContent: string | null; children: ArrayLike<El>; getBoundingClientRect(): R };
    const meet = (a: R, b: R): R => ({ left: Math.max(a.left, b.left), right: Math.min(a.right, b.right), top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom) });
    const area = (r: R) => Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
    const shown = (e: El): R => {
      const range = g.document.createRange();
      range.selectNodeContents(e);
      const text = range.getBoundingClientRect();
      const clips = g.getComputedStyle(e).overflowX !== 'visible';
      return clips ? meet(text, e.getBoundingClientRect()) : text;
    };
    const rows = Array.from(g.document.querySelectorAll('.list .row')) as El[];
    const texts: { what: string; r: R }[] = [];
    for (const row of rows) {
      const rr = row.getBoundingClientRect();
      for (const s of Array.from(row.children)) {
        if (!(s.textContent ?? '').trim()) continue;
        const r = shown(s);
        if (area(r) === 0) continue;
        // Text that runs out of its own row lies over the next one.
        if (r.bottom > rr.bottom + 0.5 || r.top < rr.top - 0.5) texts.push({ what: `"${s.textContent}" (out of its row)`, r: { ...r, left: -1e9, right: 1e9 } });
        texts.push({ what: `"${s.textContent}"`, r });
      }
    }
    const out: string[] = [];
    for (let i = 0; i < texts.length && out.length < 10; i++) {
      for (let j = i + 1; j < texts.length && out.length < 10; j++) {
        if (area(meet(texts[i].r, texts[j].r)) > 1) out.push(`${texts[i].what} over ${texts[j].what}`);
      }
    }
    return out;
  });
}

/**
 * Transition rows' texts that do not show whole: a cell that clips its text (ends in "…"), or
 * text that runs out of its row. Wrapped onto more lines is fine: that is what a narrow list does.
 */
export async function cutRowTexts(where: Where): Promise<string[]> {
  return bodyOf(where).evaluate(() => {
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<unknown>; createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): R } };
      getComputedStyle(e: unknown): { overflowX: string; overflowY: string };
    };
    type El = { textContent: string | null; className: unknown; scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number; children: ArrayLike<El>; getBoundingClientRect(): R };
    const out: string[] = [];
    for (const row of Array.from(g.document.querySelectorAll('.list .row:not(.probe)')) as El[]) {
      const rr = row.getBoundingClientRect();
      for (const cell of Array.from(row.children)) {
        const text = (cell.textContent ?? '').trim();
        if (!text) continue;
        const style = g.getComputedStyle(cell);
        if ((style.overflowX !== 'visible' && cell.scrollWidth > cell.clientWidth + 1) || (style.overflowY !== 'visible' && cell.scrollHeight > cell.clientHeight + 1)) out.push(`"${text}" cut to its ${cell.clientWidth} px cell`);
        const range = g.document.createRange();
        range.selectNodeContents(cell);
        const r = range.getBoundingClientRect();
        if (r.right > rr.right + 1 || r.bottom > rr.bottom + 1 || r.left < rr.left - 1) out.push(`"${text}" runs out of its row (text ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)}, row ${Math.round(rr.left)}–${Math.round(rr.right)} × ${Math.round(rr.top)}–${Math.round(rr.bottom)})`);
        if (out.length >= 8) return out;
      }
    }
    return out;
  });
}

/** Pairs of the elements matching `selector` whose texts overlap on screen (the timeline's axis labels). */
export async function overlappingTexts(where: Where, selector: string): Promise<string[]> {
  return bodyOf(where).evaluate((_, sel) => {
    const g = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown>; createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): R } } };
    const els = Array.from(g.document.querySelectorAll(sel)) as { textContent: string | null }[];
    const boxes = els.filter((e) => (e.textContent ?? '').trim()).map((e) => {
      const range = g.document.createRange();
      range.selectNodeContents(e);
      return { text: e.textContent ?? '', r: range.getBoundingClientRect() };
    });
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i].r, boxes[j].r];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0.5 && h > 0.5) out.push(`"${boxes[i].text}" over "${boxes[j].text}"`);
      }
    }
    return out;
  }, selector);
}
