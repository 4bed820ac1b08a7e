/**
 * Node flags the language server is started with (the extension's client, `ringside lsp` and
 * bench:lsp pass them as execArgv): V8's young generation set for a server that parses a large
 * file in one go. Parsing 20,000 lines allocates about 25 MB and keeps most of it until the file
 * closes, so a collection that falls inside a parse copies everything live by then (10 to 20 ms).
 * - A 32 MB semi-space, from the start: a whole parse fits in it. With V8's default small young
 *   generation, scavenges copied the parse results over and over (10,000 lines: p50 ~24 ms, p95
 *   ~85 ms); grown on demand instead, the growth itself (committing 30 MB, a page fault per 4 KB
 *   on these virtual machines) cost 15 ms in the open where it happened.
 * - --expose-gc: the server empties the young generation before it parses a large file (server.ts
 *   collectYoung), while only what the server keeps is alive (about 1 ms).
 * - No allocation-site pretenuring: V8 otherwise notices, some opens in, that the parser's nodes
 *   survive, starts allocating them in the old generation and throws away the parser's optimized
 *   code that allocated them young (an open of 60 to 90 ms), and the old generation then fills
 *   and is marked (another). Young, they die with the file when it closes.
 * Measured over stdio, 40 opens of 10,000 lines then 25 of 20,000 (the first five of each not
 * counted): p95 36 and 54 to 80 ms with the 32 MB limit alone; 15 to 27 and 30 to 38 ms with these.
 * The server's memory: +6 MB with a 300-line file, +15 MB with a 20,000-line one.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=32', '--min-semi-space-size=32', '--expose-gc', '--no-allocation-site-pretenuring'];
