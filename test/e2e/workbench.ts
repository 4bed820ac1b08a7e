// Driving the VS Code workbench in Chromium. Selectors are VS Code's own DOM classes and ids;
// every wait is a Playwright locator wait, never a fixed sleep.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { PageGlobals } from './pageTypes';
import { onCleanup } from './procs';

/** Flags from the machine notes: without the networking ones Chromium floods the closed network. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export async function openBrowser(executablePath: string, profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  fs.mkdirSync(profileDir, { recursive: true });
  // A persistent context on a new empty directory is the "fresh --user-data-dir".
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 900 },
    // The harness's own signal handlers close everything in order; Playwright's would exit
    // the process first and leave code-server running.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onCleanup(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly artifacts: string,
  ) {}

  /** Loads the workbench and waits until the explorer shows the opened folder's files. */
  async load(url: string, timeout = 90_000): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    await this.waitForWorkbench(timeout);
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
  }

  /** Waits for a (re)loaded workbench: its parts drawn. */
  async waitForWorkbench(timeout = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    await this.page.locator('.part.statusbar').waitFor({ timeout });
  }

  /** Quick Open (Ctrl+P): type a file path and open the matching entry. */
  async openFile(relPath: string): Promise<void> {
    // Clicked, not Enter: Enter takes the active row, which can still be an earlier result
    // while the search for the typed path is under way.
    await this.pickFresh(() => this.quickInput('Control+P', relPath, path.basename(relPath)), relPath);
    await this.activeTab(path.basename(relPath)).waitFor();
  }

  activeTab(label: string): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: label });
  }

  /** The status bar entry naming the active editor's language. */
  languageStatus(): Locator {
    return this.page.locator('[id="status.editor.mode"]');
  }

  /** Opens the command palette on `title` and returns the matching row (not yet run). */
  async findCommand(title: string): Promise<Locator> {
    return this.quickInput('F1', title, title);
  }

  async runCommand(title: string): Promise<void> {
    await this.pickFresh(() => this.findCommand(title), title);
  }

  /**
   * Runs a command that opens a picker of its own in the quick input (a theme, a walkthrough, a
   * file or folder), and resolves once `picker` shows (or, a function, resolves); false if it did
   * not within `timeout`. A click on the command's row can be lost when something else takes the
   * focus and closes the palette (a webview redrawn for a stop): its row stays in the page,
   * hidden, so each click is bounded and the whole is tried again from the palette.
   */
  async openPicker(title: string, picker: Locator | ((timeout: number) => Promise<unknown>), timeout = 5_000): Promise<boolean> {
    const shown = typeof picker === 'function' ? picker : (t: number) => picker.waitFor({ timeout: t });
    for (let attempt = 1; attempt <= 4; attempt++) {
      const row = await this.findCommand(title);
      await row.click({ timeout: 5_000 }).catch(() => undefined);
      if (await shown(timeout).then(() => true, () => false)) return true;
    }
    return false;
  }

  /**
   * Opens a quick input on a row and picks it, opening it again if it closed before the pick
   * landed: something else can take the focus (a webview redrawn for a stop) and close it under
   * us, and then nothing was picked even though the widget is gone.
   */
  private async pickFresh(open: () => Promise<Locator>, what: string): Promise<void> {
    for (let attempt = 1; attempt <= 4; attempt++) {
      if (await this.pick(await open())) return;
    }
    throw new Error(`"${what}": the quick input closed 4 times before the row could be picked`);
  }

  /**
   * Picks a quick-input row by clicking it: Enter would take whichever row is active. Fails if
   * the widget closed before the click landed (runCommand and openFile open it again then).
   */
  async accept(row: Locator): Promise<void> {
    if (!(await this.pick(row))) throw new Error('the quick input closed before its row could be picked (the focus went elsewhere)');
  }

  /**
   * Clicks a quick-input row (or button) until the widget closes; true if a click of ours closed
   * it, false if it closed without one. The list re-renders while it filters (a row can be
   * replaced under the pointer and a click that lands then is lost), so each click is bounded
   * and tried again while the widget stays open.
   */
  private async pick(target: Locator, what = 'a quick-input row'): Promise<boolean> {
    const widget = this.page.locator('.quick-input-widget');
    for (let attempt = 1; attempt <= 4; attempt++) {
      const clicked = await target.click({ timeout: 5_000 }).then(() => true, () => false);
      if (await widget.waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false)) return clicked;
    }
    const box = await this.page.locator('.quick-input-widget .quick-input-box input').inputValue().catch(() => '?');
    throw new Error(`${what} was clicked 4 times and the quick input stayed open on "${box}"`);
  }

  /** Clicks a quick input's button (a folder picker's OK) until the widget closes. */
  async clickUntilClosed(target: Locator, what: string): Promise<void> {
    await this.pick(target, what);
  }

  /**
   * Waits for a notification in the Notification Center, which lists every notification;
   * toasts are not reliable evidence because other toasts (errors) can push one out of view.
   */
  async expectNotification(text: string, timeout = 30_000): Promise<void> {
    if (!(await this.page.locator('.notifications-center').isVisible())) {
      await this.runCommand('Notifications: Show Notifications');
    }
    await this.page.locator('.notifications-center .notification-list-item', { hasText: text }).first().waitFor({ timeout });
    // Left open, the center would cover part of the editor area in later screenshots.
    await this.runCommand('Notifications: Hide Notifications');
  }

  /** Messages of error-severity notifications in the Notification Center. */
  async errorNotifications(): Promise<string[]> {
    if (!(await this.page.locator('.notifications-center').isVisible())) {
      await this.runCommand('Notifications: Show Notifications');
    }
    await this.page.locator('.notifications-center').waitFor();
    return this.page
      .locator('.notifications-center .notification-list-item', { has: this.page.locator('.codicon-error') })
      .locator('.notification-list-item-message')
      .allInnerTexts();
  }

  /**
   * "Preferences: Color Theme" and a click on the theme's label, as a person switches themes
   * (the picker writes workbench.colorTheme); resolves once the workbench wears it.
   * code-server does not pick up edits to settings.json made behind its back.
   */
  async setColorTheme(label: string, workbenchClass: string): Promise<void> {
    for (let attempt = 1; !(await this.pickColorTheme(label, attempt)); attempt++) {
      if (attempt === 4) throw new Error(`the color theme picker closed 4 times before "${label}" could be picked`);
    }
    // A high-contrast workbench may carry a base class too: the others must be gone.
    const others = ['vs', 'vs-dark', 'hc-black', 'hc-light'].filter((c) => c !== workbenchClass).map((c) => `:not(.${c})`).join('');
    await this.page.locator(`.monaco-workbench.${workbenchClass}${others}`).waitFor();
  }

  /**
   * One try of setColorTheme; false if the widget closed under us (a webview redrawn for a stop
   * takes the focus) before the theme was picked. Every wait is bounded so a lost try is retried
   * rather than waited on: a row of a closed widget stays in the page, hidden.
   */
  private async pickColorTheme(label: string, attempt: number): Promise<boolean> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input[placeholder*="Color Theme"]');
    if (!(await this.openPicker('Preferences: Color Theme', input, 10_000))) return false;
    await setInputValue(input, label, attempt);
    // "Dark High Contrast" also matches other rows: take the one whose label is exactly it.
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const theme = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exact }) }).first();
    if (!(await theme.waitFor({ timeout: 10_000 }).then(() => true, () => false))) {
      // The picker is left open on a filter that shows nothing: closed, the next try starts clean.
      if (await input.isVisible()) await this.page.keyboard.press('Escape');
      return false;
    }
    return this.pick(theme);
  }

  /** A modal dialog (VS Code shows a failed launch's message in one). */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /**
   * Reads the open dialog's message and dismisses it as a person would (Cancel). VS Code
   * queues dialogs: the next one can take this one's place at once, so "gone" means no
   * dialog, or one with another message.
   */
  async dismissDialog(): Promise<string> {
    const box = this.dialog();
    const text = (await box.textContent()) ?? '';
    await box.getByRole('button', { name: 'Cancel' }).click();
    await this.page.waitForFunction((before) => {
      const now = (globalThis as unknown as PageGlobals).document.querySelectorAll('.monaco-dialog-box');
      for (const b of now) if (b.textContent === before) return false;
      return true;
    }, text);
    return text;
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(this.artifacts, `${name}.png`);
    // Two animation frames: whatever the last step changed (a theme, a stop) is painted.
    await this.page.evaluate(() => new Promise<void>((resolve) => { const { requestAnimationFrame: raf } = globalThis as unknown as PageGlobals; raf(() => raf(() => resolve())); })).catch(() => undefined);
    await this.page.screenshot({ path: file });
    return file;
  }

  private async quickInput(shortcut: string, text: string, expectRow: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    // F1 prefills '>' (command mode): the text goes after that prefix. The whole value is set
    // at once (typed keys can be lost while the widget is still initialising its value).
    const prefix = shortcut === 'F1' ? '>' : '';
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: expectRow }).first();
    // Each try is bounded and starts over from opening the widget: a key pressed while the
    // workbench is still wiring keybindings can be dropped, and the widget can close under us
    // when something else takes the focus (a webview redrawn for a stop).
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await input.isVisible())) await this.page.keyboard.press(shortcut);
        await input.waitFor({ timeout: 5_000 });
        await setInputValue(input, prefix + text, attempt);
        await row.waitFor({ timeout: 10_000 });
        return row;
      } catch (e) {
        if (attempt === 4) throw e;
      }
    }
  }
}

/**
 * Sets a quick input's text on the element itself (its value, then the input event VS Code's box
 * listens to). Playwright's fill() focuses the element and then types into whatever has the focus:
 * when the widget closed in between (a webview redrawn for a stop takes the focus), the text went
 * into the editor behind it, and a later F5 found the program no longer assembling. From the
 * third try on, fill() as before, should the box ever ignore the event.
 */
async function setInputValue(input: Locator, value: string, attempt: number): Promise<void> {
  if (attempt >= 3) {
    await input.fill(value, { timeout: 5_000 });
    return;
  }
  await input.evaluate((el, v) => {
    const box = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
    box.value = v;
    box.dispatchEvent(new (globalThis as unknown as { Event: new (type: string, init: { bubbles: boolean }) => unknown }).Event('input', { bubbles: true }));
  }, value);
}
