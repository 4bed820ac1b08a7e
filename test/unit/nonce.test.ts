/** The webviews' CSP nonce comes from the cryptographic generator, never Math.random. */
import * as assert from 'assert';
import { nonce } from '../../extension/panels/nonce';

describe('Webview CSP nonce', () => {
  it('is 128 bits from crypto.getRandomValues, as 32 hex digits, and different each time', () => {
    const crypto = (globalThis as unknown as { crypto: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
    const real = crypto.getRandomValues.bind(crypto);
    const random = Math.random;
    let asked = 0;
    crypto.getRandomValues = (a) => {
      asked += a.length;
      return real(a);
    };
    // A nonce that still used Math.random would throw here.
    Math.random = () => {
      throw new Error('Math.random is not a cryptographic source');
    };
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const n = nonce();
        assert.match(n, /^[0-9a-f]{32}$/);
        seen.add(n);
      }
      assert.strictEqual(seen.size, 1000);
      assert.strictEqual(asked, 1000 * 16);
    } finally {
      Math.random = random;
      crypto.getRandomValues = real;
    }
  });
});
