// One of our webview pages (dist/webview/<script>) in headless Chromium, outside VS Code: the
// page as html.ts writes it, with VS Code's webview API replaced by a recorder (window.__posted
// holds what the page posted; the webview state, getState/setState, outlives a reload of the page as
// it outlives VS Code discarding a hidden webview). Used by the extension benchmark and the e2e page checks.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `root`: the repository (bundles put this file's code in different folders). `l10n`: the bundle
 * of a display language, put in the page as the host does (panels/html.ts); none: English.
 */
export async function withWebviewPage<T>(root: string, chromium: string, script: string, viewport: { width: number; height: number }, body: (page: import('playwright-core').Page) => Promise<T>, l10n?: Record<string, string>): Promise<T> {
  const { chromium: pw } = await import('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-page-'));
  const browser = await pw.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
  try {
    const file = (p: string) => `file://${path.join(root, p)}`;
    fs.writeFileSync(path.join(dir, 'page.html'), `<!DOCTYPE html><html><head>
<link href="${file('media/codicons/codicon.css')}" rel="stylesheet"><link href="${file('media/panel.css')}" rel="stylesheet">
<script>window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => { try { return JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null') ?? undefined; } catch { return undefined; } }, setState: (s) => { try { sessionStorage.setItem('vscodeState', JSON.stringify(s)); } catch {} } });</script>
</head><body${l10n ? ` data-l10n="${JSON.stringify(l10n).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"` : ''}><main id="app"></main><script src="${file(`dist/webview/${script}`)}"></script></body></html>`);
    const page = await browser.newPage({ viewport });
    await page.goto(`file://${path.join(dir, 'page.html')}`);
    return await body(page);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
