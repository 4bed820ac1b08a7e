// Saving a panel's figure: what the host accepts from the page and the file name it suggests.
import * as assert from 'node:assert/strict';
import { figureBytes, figureFileName } from '../../extension/panels/exportFigure';

describe('Panel figures (SVG / PNG export)', () => {
  it('an SVG figure is saved as its text; a PNG from its data: URL', () => {
    const svg = figureBytes({ type: 'export', format: 'svg', name: 'walk', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
    assert.equal(new TextDecoder().decode(svg), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    const png = figureBytes({ type: 'export', format: 'png', name: 'walk', data: 'data:image/png;base64,iVBORw0KGgo=' });
    assert.deepEqual([...png.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });

  it('anything else is refused with a reason', () => {
    assert.throws(() => figureBytes({ type: 'export', format: 'svg', name: 'x', data: '<script>' }), /no SVG figure/);
    assert.throws(() => figureBytes({ type: 'export', format: 'png', name: 'x', data: 'data:text/html,hi' }), /no PNG figure/);
    assert.throws(() => figureBytes({ type: 'export', format: 'gif' as 'png', name: 'x', data: '' }), /SVG or PNG/);
  });

  it('the suggested file name keeps letters, digits, dots and dashes', () => {
    assert.equal(figureFileName({ type: 'export', format: 'svg', name: 'page-walk-0x00400000', data: '' }), 'page-walk-0x00400000.svg');
    assert.equal(figureFileName({ type: 'export', format: 'png', name: '../../etc/passwd VM 1', data: '' }), '..-..-etc-passwd-VM-1.png');
    assert.equal(figureFileName({ type: 'export', format: 'png', name: '', data: '' }), 'figure.png');
  });
});
