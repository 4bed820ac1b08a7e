/** Restricted Mode's decision (extension/trust.ts) with the editor's trust state faked at the seam. */
import * as assert from 'assert';
import { MANAGE_TRUST, requireTrust, type TrustSeam } from '../../extension/trust';

/** A seam whose trust state the test sets, answering the warning with `pick` (and granting trust on the trust page when `grant`). */
function fake(trusted: boolean, pick?: string, grant = false) {
  const log: string[] = [];
  const seam: TrustSeam = {
    isTrusted: () => trusted,
    warn: async (message, ...actions) => {
      log.push(`warn ${message} [${actions.join('|')}]`);
      return pick;
    },
    manageTrust: async () => {
      log.push('manage');
      if (grant) trusted = true;
    },
  };
  return { seam, log };
}

describe('Restricted Mode: what may run (extension/trust.ts)', () => {
  it('a trusted workspace runs with no question', async () => {
    const f = fake(true);
    assert.strictEqual(await requireTrust('Debugging', f.seam), true);
    assert.deepStrictEqual(f.log, []);
  });

  it('an untrusted one does not run: the student is told why and offered the trust page', async () => {
    const f = fake(false);
    assert.strictEqual(await requireTrust('Debugging', f.seam), false);
    assert.strictEqual(f.log.length, 1);
    assert.match(f.log[0], /^warn Ringside: Debugging is off in Restricted Mode\. .*trusted workspace.*\[Manage Workspace Trust\]$/);
  });

  it('choosing the trust page opens it; still untrusted means still no run', async () => {
    const f = fake(false, MANAGE_TRUST);
    assert.strictEqual(await requireTrust('Run headless', f.seam), false);
    assert.deepStrictEqual(f.log.slice(1), ['manage']);
  });

  it('trust granted on the trust page lets the run go ahead', async () => {
    const f = fake(false, MANAGE_TRUST, true);
    assert.strictEqual(await requireTrust('Running the checks', f.seam), true);
    assert.deepStrictEqual(f.log.slice(1), ['manage']);
  });

  it('the warning and its button are in the words the seam gives (the display language)', async () => {
    const f = fake(false, '신뢰 관리', true);
    const seam: TrustSeam = { ...f.seam, words: { restricted: (what) => `${what}: 제한 모드`, manage: '신뢰 관리' } };
    assert.strictEqual(await requireTrust('Debugging', seam), true);
    assert.deepStrictEqual(f.log, ['warn Debugging: 제한 모드 [신뢰 관리]', 'manage']);
  });
});
