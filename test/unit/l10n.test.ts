import * as assert from 'assert';
import { bundle, codeKeys } from './l10nKeys';
import { currentLocale, setLocale, t } from '../../language/l10n';

const placeholders = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');

describe('l10n: the Korean bundle and the code agree', () => {
  const { uses, templated } = codeKeys();
  const ko = bundle('ko');

  it('finds the messages (the scan is not empty)', () => {
    assert.ok(uses.length > 150, `only ${uses.length} message uses found`);
    assert.ok(new Set(uses.map((u) => u.file)).size > 8);
  });

  it('no message is a template literal (a key must be a fixed string)', () => {
    assert.deepStrictEqual(templated, []);
  });

  it('every message the code uses has a Korean translation', () => {
    const missing = [...new Set(uses.filter((u) => !(u.key in ko) || !ko[u.key].trim()).map((u) => `${u.file}: ${JSON.stringify(u.key)}`))];
    assert.deepStrictEqual(missing, []);
  });

  it('the bundle has no message the code no longer uses', () => {
    const used = new Set(uses.map((u) => u.key));
    assert.deepStrictEqual(Object.keys(ko).filter((key) => !used.has(key)), []);
  });

  it('each translation keeps the placeholders {0}, {1}... of its English text', () => {
    const bad = Object.entries(ko).filter(([en, k]) => placeholders(en) !== placeholders(k)).map(([en]) => en);
    assert.deepStrictEqual(bad, []);
  });
});

describe('l10n: the wrapper', () => {
  after(() => setLocale(undefined));

  it('chooses Korean for ko, ko-KR and ko_kr, English otherwise, and fills the arguments', () => {
    for (const l of ['ko', 'ko-KR', 'ko_kr']) {
      setLocale(l);
      assert.strictEqual(currentLocale(), 'ko');
      assert.strictEqual(t('VM {0} ring {1}', 1, 3), 'VM 1 링 3');
    }
    for (const l of [undefined, '', 'en', 'en-US', 'ja', 'kok']) {
      setLocale(l);
      assert.strictEqual(currentLocale(), 'en', String(l));
      assert.strictEqual(t('VM {0} ring {1}', 1, 3), 'VM 1 ring 3');
    }
  });
});
