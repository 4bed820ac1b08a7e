/** The stand-alone adapter's frame reader (debug-adapter/dap/framing.ts), fed directly: however the bytes are cut into chunks, it reads the same. */
import * as assert from 'assert';
import { FrameReader, MAX_FRAME_BYTES } from '../../debug-adapter/dap/framing';

function read(chunks: Buffer[]): string[] {
  const seen: string[] = [];
  const r = new FrameReader({ message: (t) => seen.push(t), skipped: () => seen.push('skipped'), tooLarge: (q) => seen.push(`tooLarge ${q.command} ${q.seq}`) });
  for (const c of chunks) r.push(c);
  return seen;
}

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('DAP: frame reader', () => {
  it('reads the same frames whole and one byte at a time, resynchronising after bad headers', () => {
    const stream = Buffer.from(
      [frame('{"a":"é"}'), 'Content-Length: abc\r\n\r\n{}', frame('{"b":1}'), 'junk' + frame('{"c":2}'), 'Content-Length: 900\r\n\r\n{}', frame('{"d":3}'), 'content-length:4\r\n\r\n{"e"', 'Content-Length: 0\r\n\r\n', frame('{}')].join(''),
    );
    const want = ['{"a":"é"}', 'skipped', '{"b":1}', 'skipped', '{"c":2}', 'skipped', '{"d":3}', '{"e"', 'skipped', '{}'];
    assert.deepStrictEqual(read([stream]), want);
    assert.deepStrictEqual(read([...stream].map((b) => Buffer.from([b]))), want);
  });

  it('a frame over the limit is dropped as it comes; its request is named from its first or last bytes', () => {
    const pad = ' '.repeat(MAX_FRAME_BYTES);
    for (const body of [`{"command":"launch","arguments":{"stdin":"x"}${pad},"type":"request","seq":7}`, `{"seq":7,"type":"request","command":"launch","arguments":{"stdin":"x"}${pad}}`]) {
      const bytes = Buffer.from(frame(body) + frame('{}'));
      const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
      assert.deepStrictEqual(read(chunks), ['skipped', 'tooLarge launch 7', '{}']);
    }
    // A seq inside the arguments is not the request's.
    assert.deepStrictEqual(read([Buffer.from(frame(`{"command":"launch","arguments":{"seq":7}${pad}}`))]), ['skipped']);
  });
});
