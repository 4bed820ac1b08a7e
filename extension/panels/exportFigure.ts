// Saves a figure a panel drew (the page walk, the page-table tree, the timeline) as SVG or PNG,
// for slides and lab reports: the page draws it, the host asks where to put it and writes it.
// No Node here (Buffer, path): the browser's extension host runs this too.
import * as vscode from 'vscode';
import type { ExportRequest } from './messages';

const PNG_PREFIX = 'data:image/png;base64,';

/** The file's bytes, or an error in words: the page is ours, but a message is still data. */
export function figureBytes(m: ExportRequest): Uint8Array {
  if (m.format === 'svg') {
    if (typeof m.data !== 'string' || !m.data.startsWith('<svg')) throw new Error('the panel sent no SVG figure to save');
    return new TextEncoder().encode(m.data);
  }
  if (m.format === 'png') {
    if (typeof m.data !== 'string' || !m.data.startsWith(PNG_PREFIX)) throw new Error('the panel sent no PNG figure to save');
    let bin: string;
    try {
      bin = atob(m.data.slice(PNG_PREFIX.length));
    } catch {
      throw new Error('the panel sent a PNG figure that is not base64');
    }
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  }
  throw new Error(`figures are saved as SVG or PNG, not '${String(m.format)}'`);
}

/** A file name from the page's suggestion: letters, digits, dots and dashes only. */
export function figureFileName(m: ExportRequest): string {
  const base = String(m.name ?? 'figure').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'figure';
  return `${base}.${m.format}`;
}

export async function saveFigure(m: ExportRequest, program: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const bytes = figureBytes(m);
  const name = figureFileName(m);
  const folder = program ? vscode.Uri.joinPath(program, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the figure as {0}', m.format.toUpperCase()),
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: m.format === 'svg' ? { [vscode.l10n.t('SVG image')]: ['svg'] } : { [vscode.l10n.t('PNG image')]: ['png'] },
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', vscode.workspace.asRelativePath(target, false)));
  return target;
}
