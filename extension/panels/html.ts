// The webview page: a strict Content-Security-Policy with a per-load nonce, only local
// resources (the extension's media/ and dist/webview/), VS Code theme colours via CSS variables.
import * as vscode from 'vscode';
import { nonce } from './nonce';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

/** Text for HTML (content or a quoted attribute): the five characters that could end it escaped. */
function escapeHtml(s: string): string {
  return s.replace(/[&"<>']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script: string, title: string): string {
  const n = nonce();
  const media = (p: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', p));
  const js = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', script));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  // The page's words (webview/l10n.ts): the bundle of the display language, English when none.
  const words = escapeHtml(JSON.stringify(vscode.l10n.bundle ?? {}));
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${media('codicons/codicon.css')}" rel="stylesheet">
<link href="${media('panel.css')}" rel="stylesheet">
<title>${escapeHtml(title)}</title>
</head>
<body data-l10n="${words}">
<main id="app"><p class="muted">${escapeHtml(vscode.l10n.t('Loading…'))}</p></main>
<div id="status" class="visually-hidden" role="status"></div>
<script nonce="${n}" src="${js}"></script>
</body>
</html>`;
}
