// The panels' webviews inside the workbench. VS Code nests each in two iframes: an outer
// host frame (iframe.webview) and the page the extension wrote (#active-frame). A hidden
// panel's frames are discarded (retainContextWhenHidden is off), so the visible one is it.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { PageGlobals } from './pageTypes';

export class Webview {
  readonly frame: FrameLocator;

  constructor(readonly page: Page) {
    this.frame = page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
  }

  locator(selector: string, options?: { hasText?: string | RegExp }): Locator {
    return this.frame.locator(selector, options);
  }

  /** The page's Content-Security-Policy, as written in its meta tag. */
  async csp(): Promise<string> {
    return (await this.frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  }

  /** The `id` of the element that has keyboard focus inside the page ('' when none). */
  async focusedId(): Promise<string> {
    return this.frame.locator('body').evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id ?? '');
  }

  /** Sends the page a message as if the extension had posted it (data the panel must survive). */
  async inject(message: unknown): Promise<void> {
    await this.frame.locator('body').evaluate((_, m) => (globalThis as unknown as PageGlobals).postMessage(m, '*'), message);
  }

  /** The theme VS Code gave the page: vscode-light, vscode-dark, vscode-high-contrast… */
  async themeClass(): Promise<string> {
    return (await this.frame.locator('body').getAttribute('class')) ?? '';
  }
}
