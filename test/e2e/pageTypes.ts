// Types for code that Playwright runs inside the page (page.evaluate, waitForFunction). The
// project compiles without the DOM library (it is Node code), so the little of the DOM those
// functions touch is typed here; each function reads it from globalThis at run time.
export interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  getBoundingClientRect(): { top: number; left: number; width: number; height: number };
}

export interface PageGlobals {
  readonly document: { readonly activeElement: PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> };
  postMessage(message: unknown, targetOrigin: string): void;
  requestAnimationFrame(callback: () => void): number;
}

export interface ScriptElement extends PageElement {
  readonly src: string;
  readonly nonce: string;
}

export interface LinkElement extends PageElement {
  readonly href: string;
}
