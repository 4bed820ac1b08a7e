// The text editor as a person uses it while debugging: go to a line, click the gutter, see
// which line the debugger stopped on. Lines are 1-based, as the editor shows them.
import type { Locator, Page } from 'playwright-core';
import type { PageGlobals } from './pageTypes';

export class Editor {
  readonly root: Locator;

  constructor(
    private readonly page: Page,
    /** The end of the file's URI, e.g. 'hello/hello.rasm' (code-server's URIs are vscode-remote://). */
    private readonly uriSuffix: string,
  ) {
    this.root = page.locator(`.monaco-editor[data-uri$="${uriSuffix}"]`).first();
  }

  /**
   * Gives the editor keyboard focus with a mouse click just right of the line numbers, half
   * way down. Not an element click: Playwright would first scroll the element into view with
   * the browser's own scrolling, which Monaco does not expect (it then draws lines shifted).
   */
  async focus(): Promise<void> {
    const margin = await this.root.locator('.margin').first().boundingBox(); // VS Code 1.91 also has a textAreaCover .margin
    const box = await this.root.boundingBox();
    if (!margin || !box) throw new Error(`the editor for ${this.uriSuffix} is not on screen`);
    await this.page.mouse.click(margin.x + margin.width + 4, box.y + box.height / 2);
  }

  /** Ctrl+G: reveal a line (it then has a line-number element to aim at). */
  async goToLine(line: number): Promise<void> {
    await this.focus();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.pressSequentially(String(line));
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.lineNumber(line).waitFor();
  }

  lineNumber(line: number): Locator {
    return this.root.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) });
  }

  /** Clicks the glyph margin (left of the line numbers) on a line: toggles a breakpoint. */
  async clickGutter(line: number): Promise<void> {
    const ln = await this.lineNumber(line).boundingBox();
    const margin = await this.root.locator('.glyph-margin').boundingBox();
    if (!ln || !margin) throw new Error(`line ${line} or the glyph margin is not on screen`);
    await this.page.mouse.click(margin.x + margin.width / 2, ln.y + ln.height / 2);
  }

  /**
   * Waits until a glyph-margin decoration with codicon `icon` (debug-breakpoint,
   * debug-stackframe) sits on `line`: the editor's own drawing, as a person sees it.
   */
  async waitForGlyph(icon: string, line: number, timeout = 20_000): Promise<void> {
    await this.page.waitForFunction(
      ({ suffix, line, icon }) => {
        const { document } = globalThis as unknown as PageGlobals;
        const ed = [...document.querySelectorAll('.monaco-editor')].find((e) => e.getAttribute('data-uri')?.endsWith(suffix));
        const ln = ed && [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => e.textContent?.trim() === String(line));
        if (!ed || !ln) return false;
        const y = ln.getBoundingClientRect().top;
        return [...ed.querySelectorAll(`.glyph-margin-widgets .codicon-${icon}`)].some((g) => Math.abs(g.getBoundingClientRect().top - y) < 3);
      },
      { suffix: this.uriSuffix, line, icon },
      { timeout },
    );
  }

  /**
   * Waits until a whole-line decoration (class `cls`, e.g. debug-top-stack-frame-line: the line
   * the debugger stopped on, highlighted even where another glyph takes the margin) is on `line`.
   */
  async waitForLineDecoration(cls: string, line: number, timeout = 20_000): Promise<void> {
    await this.page.waitForFunction(
      ({ suffix, line, cls }) => {
        const { document } = globalThis as unknown as PageGlobals;
        const ed = [...document.querySelectorAll('.monaco-editor')].find((e) => e.getAttribute('data-uri')?.endsWith(suffix));
        const ln = ed && [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => e.textContent?.trim() === String(line));
        if (!ed || !ln) return false;
        const y = ln.getBoundingClientRect().top;
        return [...ed.querySelectorAll(`.view-overlays .${cls}`)].some((d) => Math.abs(d.getBoundingClientRect().top - y) < 3);
      },
      { suffix: this.uriSuffix, line, cls },
      { timeout },
    );
  }

  /** What the page has of this editor, for a message when a wait on it fails. */
  async describe(): Promise<string> {
    return this.page.evaluate((suffix) => {
      const { document } = globalThis as unknown as PageGlobals;
      const eds = [...document.querySelectorAll('.monaco-editor')].filter((e) => e.getAttribute('data-uri')?.endsWith(suffix));
      return eds
        .map((ed) => {
          const lines = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => e.textContent?.trim());
          const deco = [...ed.querySelectorAll('.view-overlays [class]')].map((e) => e.getAttribute('class')).filter((c) => c && /debug|stack/.test(c));
          const glyphs = [...ed.querySelectorAll('.glyph-margin-widgets [class*="codicon"]')].map((e) => e.getAttribute('class'));
          return `editor ${ed.getAttribute('data-uri')}: lines ${lines[0]}..${lines[lines.length - 1]}; decorations ${JSON.stringify(deco)}; glyphs ${JSON.stringify(glyphs)}`;
        })
        .join('\n') || `no editor for ${suffix}`;
    }, this.uriSuffix);
  }

  /** 1-based lines of a glyph kind, for messages when a wait fails. */
  async glyphLines(icon: string): Promise<number[]> {
    return this.page.evaluate(
      ({ suffix, icon }) => {
        const { document } = globalThis as unknown as PageGlobals;
        const ed = [...document.querySelectorAll('.monaco-editor')].find((e) => e.getAttribute('data-uri')?.endsWith(suffix));
        if (!ed) return [];
        const lines = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({ n: Number(e.textContent), y: e.getBoundingClientRect().top }));
        return [...ed.querySelectorAll(`.glyph-margin-widgets .codicon-${icon}`)]
          .map((g) => lines.find((l) => Math.abs(l.y - g.getBoundingClientRect().top) < 3)?.n ?? -1);
      },
      { suffix: this.uriSuffix, icon },
    );
  }
}
