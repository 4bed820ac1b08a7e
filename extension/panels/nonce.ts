/**
 * The webviews' CSP nonce. It must be unguessable (a page that could guess it could run script
 * in the panel), so it comes from the platform's cryptographic generator, which both extension
 * hosts have: Node's and the browser's globalThis.crypto. Not vscode-bound, so a unit test runs it.
 */

// Typed by hand: the project compiles without the DOM library.
interface Crypto {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/** 128 random bits as 32 hexadecimal digits. */
export function nonce(): string {
  const bytes = (globalThis as unknown as { crypto: Crypto }).crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
