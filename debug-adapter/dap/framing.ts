/**
 * The stand-alone adapter's reader of DAP frames (`Content-Length: n\r\n\r\n` and n bytes of
 * JSON), in place of @vscode/debugadapter's: that one takes a header it cannot read for a length
 * of NaN, or ignores it, and misreads every later frame; and it copies all it holds on every
 * chunk, quadratic in a frame's size. Here a bad header is reported and the reader resynchronises
 * on the next Content-Length; a frame over MAX_FRAME_BYTES is reported and its bytes are dropped
 * as they come. The web worker gets messages already parsed: there is nothing to frame there.
 */

/**
 * One frame at most. Far above what VS Code sends (a request's strings are at most 4 Mi
 * characters, validate.ts); it also bounds a launch's `stdin`.
 */
export const MAX_FRAME_BYTES = 16 << 20;
/** A header is a line or two ("Content-Length: n", perhaps a Content-Type). */
const MAX_HEADER_BYTES = 1024;
/** Bytes kept of a body's start and end: enough to read a request's seq and command. */
const EDGE = 256;

export interface FrameSink {
  /** A whole frame's body. */
  message(text: string): void;
  /** A frame (or the bytes between frames) that was skipped, and why. */
  skipped(why: string): void;
  /** The request in a frame skipped for its size, when its seq and command could be read. */
  tooLarge(request: { seq: number; command: string }, bytes: number): void;
}

interface Body {
  need: number;
  seen: number;
  /** The body so far; undefined when it is over the limit (dropped, not kept). */
  parts: Buffer[] | undefined;
  first: Buffer;
  last: Buffer;
}

// Not a constant: the module is also loaded in the web worker, which has no Buffer (and no frames).
const none = () => Buffer.alloc(0);
const mib = (n: number) => `${n / (1 << 20)} MiB`;

export class FrameReader {
  /** Header bytes so far (at most MAX_HEADER_BYTES and a chunk). */
  private head = none();
  /** After a bad header: bytes are dropped up to the next "Content-Length". */
  private lost = false;
  private body: Body | undefined;

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) data = this.body ? this.inBody(this.body, data) : this.inHeader(data);
  }

  /** Consumes header bytes; returns what follows the header (or nothing, waiting for more). */
  private inHeader(data: Buffer): Buffer {
    let head = this.head.length ? Buffer.concat([this.head, data]) : data;
    this.head = none();
    if (this.lost) {
      const at = head.toString('latin1').search(/content-length/i);
      // Kept: the end, which may be the start of a "Content-Length" split between chunks.
      if (at < 0) return ((this.head = Buffer.from(head.subarray(-13))), none());
      head = head.subarray(at);
      this.lost = false;
    }
    const end = head.indexOf('\r\n\r\n');
    if (end < 0 && head.length <= MAX_HEADER_BYTES) return ((this.head = Buffer.from(head)), none());
    const length = end >= 0 && end <= MAX_HEADER_BYTES ? contentLength(head.toString('latin1', 0, end)) : `no header ends within ${MAX_HEADER_BYTES} bytes`;
    if (typeof length === 'string' || length === 0) {
      const block = head.toString('latin1', 0, end < 0 ? head.length : end);
      this.sink.skipped(`the frame header ${JSON.stringify(block.slice(0, 80))} is not "Content-Length: <digits>" (${length === 0 ? 'the body is empty' : length}): skipped up to the next Content-Length header`);
      this.lost = true;
      // A Content-Length glued to junk before it starts the next frame; one at a line's start is this header's own.
      const glued = [...block.matchAll(/content-length/gi)].find((m) => m.index > 0 && block[m.index - 1] !== '\n');
      return head.subarray(glued ? glued.index : end < 0 ? 1 : end + 4);
    }
    const kept = length <= MAX_FRAME_BYTES;
    if (!kept) this.sink.skipped(`a frame of ${length} bytes is over the limit of ${mib(MAX_FRAME_BYTES)} for one message: its bytes are skipped`);
    this.body = { need: length, seen: 0, parts: kept ? [] : undefined, first: none(), last: none() };
    return head.subarray(end + 4);
  }

  /** Consumes body bytes; returns what follows the body. */
  private inBody(b: Body, data: Buffer): Buffer {
    const part = data.subarray(0, Math.min(b.need - b.seen, data.length));
    // No JSON holds a header line (CR and LF come only between its tokens): one inside a body
    // means its Content-Length was more than the bytes sent before the next frame.
    const at = Buffer.concat([b.last, part]).toString('latin1').search(/content-length[ \t]*:[ \t]*\d+[ \t]*\r\n/i);
    if (at >= 0) {
      this.body = undefined;
      this.sink.skipped(`a frame's Content-Length (${b.need}) was more than the bytes sent before the next frame: skipped up to that frame`);
      return Buffer.concat([b.last.subarray(Math.min(at, b.last.length)), data.subarray(Math.max(0, at - b.last.length))]);
    }
    b.parts?.push(part);
    if (b.first.length < EDGE) b.first = Buffer.concat([b.first, part.subarray(0, EDGE - b.first.length)]);
    b.last = Buffer.from(Buffer.concat([b.last, part.subarray(-EDGE)]).subarray(-EDGE));
    b.seen += part.length;
    if (b.seen === b.need) {
      this.body = undefined;
      if (b.parts) this.sink.message(Buffer.concat(b.parts, b.need).toString('utf8'));
      else {
        const request = requestIn(b.first.toString('utf8'), b.last.toString('utf8'));
        if (request) this.sink.tooLarge(request, b.need);
      }
    }
    return data.subarray(part.length);
  }
}

/** The body length a header gives, or why it is not a DAP header. Names are case-insensitive, as in HTTP. */
function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    if (line === '') continue;
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m) return 'a line is not "Name: value"';
    if (m[1].toLowerCase() !== 'content-length') continue;
    if (!/^\d+$/.test(m[2])) return 'the length is not a whole number';
    if (length !== undefined) return 'two lengths';
    length = Number.isSafeInteger(+m[2]) ? +m[2] : Infinity;
  }
  return length ?? 'no Content-Length';
}

/**
 * The seq and command of a request from its body's first and last bytes: the members with a
 * plain value before the first other one, and after the last (VS Code sends seq last). Sound
 * for any JSON object: such a member at the very end is the object's own.
 */
function requestIn(first: string, last: string): { seq: number; command: string } | undefined {
  const got = new Map<string, unknown>();
  const plain = String.raw`"(\w+)"\s*:\s*(\d+|"[^"\\\x00-\x1f]*")`;
  for (let s = first, m; (m = new RegExp(`^\\s*[{,]\\s*${plain}(?=\\s*[,}])`).exec(s)); s = s.slice(m[0].length)) got.set(m[1], JSON.parse(m[2]));
  if (/}\s*$/.test(last)) {
    for (let s = last.replace(/}\s*$/, ''), m; (m = new RegExp(`[{,]\\s*${plain}\\s*$`).exec(s)); s = s.slice(0, m.index)) got.set(m[1], JSON.parse(m[2]));
  }
  const seq = got.get('seq');
  const command = got.get('command');
  if (got.get('type') !== 'request' || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || typeof command !== 'string') return undefined;
  return { seq, command };
}
