// Figures for slides and lab reports: a panel describes what it shows as boxes, lines and text,
// and the same description becomes an SVG (text, scalable) or a PNG (drawn on a canvas). Fixed
// colours on white, whatever the editor's theme: a figure is read on a slide or on paper.
import { vscode } from './common';
import { t as tr } from './l10n';

export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string; dash?: boolean }
  | { kind: 'line'; points: number[]; stroke: string; width?: number; dash?: boolean; arrow?: boolean }
  | { kind: 'text'; x: number; y: number; text: string; size?: number; bold?: boolean; mono?: boolean; fill?: string; anchor?: 'start' | 'middle' | 'end' };

export interface Figure {
  width: number;
  height: number;
  /** What the figure shows, in words: the SVG's <title>, for screen readers and file browsers. */
  title: string;
  shapes: Shape[];
}

export const INK = '#1f1f1f';
export const GREY = '#6b6b6b';
export const RULE = '#c8c8c8';
export const PAPER = '#ffffff';
export const ACCENT = '#0b63c5';
/** Transition kinds: trap, interrupt, iret, vmentry, vmexit, triple fault (the order of the ISA's TRANSITION_KINDS). */
export const KIND_INK = ['#c62828', '#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#a67c00'];
/** VMs' colours: the host is INK, VM n is VM_INK[(n - 1) % length]. */
export const VM_INK = ['#0b63c5', '#c2185b', '#00838f', '#7b5e00'];

const SANS = 'Segoe UI, Helvetica, Arial, sans-serif';
const MONO = 'Consolas, Menlo, monospace';

const escXml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function toSvg(f: Figure): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="${SANS}">`,
    `<title>${escXml(f.title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="context-stroke"/></marker></defs>',
    `<rect width="100%" height="100%" fill="${PAPER}"/>`,
  ];
  for (const s of f.shapes) {
    if (s.kind === 'rect') out.push(`<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" fill="${s.fill ?? 'none'}" stroke="${s.stroke ?? 'none'}"${s.dash ? ' stroke-dasharray="4 3"' : ''}/>`);
    else if (s.kind === 'line') {
      const pts = [];
      for (let i = 0; i + 1 < s.points.length; i += 2) pts.push(`${round(s.points[i])},${round(s.points[i + 1])}`);
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.stroke}" stroke-width="${s.width ?? 1}"${s.dash ? ' stroke-dasharray="4 3"' : ''}${s.arrow ? ' marker-end="url(#arrow)"' : ''}/>`);
    } else {
      const anchor = s.anchor === 'middle' ? ' text-anchor="middle"' : s.anchor === 'end' ? ' text-anchor="end"' : '';
      out.push(`<text x="${s.x}" y="${s.y}" font-size="${s.size ?? 12}"${s.bold ? ' font-weight="bold"' : ''}${s.mono ? ` font-family="${MONO}"` : ''} fill="${s.fill ?? INK}"${anchor}>${escXml(s.text)}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

const round = (v: number) => Math.round(v * 10) / 10;

/** The figure drawn on a canvas at `scale` (2: sharp on a slide), as a PNG data: URL. */
export function toPng(f: Figure, scale = 2): string {
  const c = document.createElement('canvas');
  c.width = Math.ceil(f.width * scale);
  c.height = Math.ceil(f.height * scale);
  const g = c.getContext('2d')!;
  g.scale(scale, scale);
  g.fillStyle = PAPER;
  g.fillRect(0, 0, f.width, f.height);
  for (const s of f.shapes) {
    g.setLineDash('dash' in s && s.dash ? [4, 3] : []);
    if (s.kind === 'rect') {
      if (s.fill) {
        g.fillStyle = s.fill;
        g.fillRect(s.x, s.y, s.w, s.h);
      }
      if (s.stroke) {
        g.strokeStyle = s.stroke;
        g.lineWidth = 1;
        g.strokeRect(s.x, s.y, s.w, s.h);
      }
    } else if (s.kind === 'line') {
      g.strokeStyle = s.stroke;
      g.lineWidth = s.width ?? 1;
      g.beginPath();
      g.moveTo(s.points[0], s.points[1]);
      for (let i = 2; i + 1 < s.points.length; i += 2) g.lineTo(s.points[i], s.points[i + 1]);
      g.stroke();
      const n = s.points.length;
      if (s.arrow && n >= 4) {
        const [x0, y0, x1, y1] = [s.points[n - 4], s.points[n - 3], s.points[n - 2], s.points[n - 1]];
        const a = Math.atan2(y1 - y0, x1 - x0);
        g.setLineDash([]);
        g.fillStyle = s.stroke;
        g.beginPath();
        g.moveTo(x1, y1);
        g.lineTo(x1 - 7 * Math.cos(a - 0.45), y1 - 7 * Math.sin(a - 0.45));
        g.lineTo(x1 - 7 * Math.cos(a + 0.45), y1 - 7 * Math.sin(a + 0.45));
        g.fill();
      }
    } else {
      g.fillStyle = s.fill ?? INK;
      g.font = `${s.bold ? 'bold ' : ''}${s.size ?? 12}px ${s.mono ? MONO : SANS}`;
      g.textAlign = s.anchor === 'middle' ? 'center' : s.anchor === 'end' ? 'right' : 'left';
      g.fillText(s.text, s.x, s.y);
    }
  }
  return c.toDataURL('image/png');
}

/** Asks the host to save the figure (it shows a save dialog). */
export function exportFigure(f: Figure, format: 'svg' | 'png', name: string): void {
  vscode.postMessage({ type: 'export', format, name, data: format === 'svg' ? toSvg(f) : toPng(f) });
}

/** Two buttons, "SVG" and "PNG", that export whatever `figure()` describes when clicked. */
export function exportButtons(what: string, figure: () => { figure: Figure; name: string } | undefined): HTMLElement {
  const wrap = document.createElement('span');
  wrap.className = 'export';
  for (const format of ['svg', 'png'] as const) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `export-${format}`;
    b.title = tr('Save {0} as {1}, for slides and lab reports', what, format.toUpperCase());
    b.setAttribute('aria-label', b.title);
    b.innerHTML = `<span class="codicon codicon-export" aria-hidden="true"></span> ${format.toUpperCase()}`;
    b.addEventListener('click', () => {
      const f = figure();
      if (f) exportFigure(f.figure, format, f.name);
    });
    wrap.append(b);
  }
  return wrap;
}

/** Width of a text in the figure's font, near enough for laying out boxes (no canvas needed). */
export function textWidth(text: string, size = 12, mono = false): number {
  // Hangul and other wide characters take a whole em (a Korean label laid out as Latin overlapped the next).
  const wide = text.match(/[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/g)?.length ?? 0;
  return (text.length - wide) * size * (mono ? 0.6 : 0.55) + wide * size;
}
