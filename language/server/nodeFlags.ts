/**
 * Node flags the language server should be started with (the extension's
 * client and bench:lsp pass them as execArgv). Parsing a 10,000-line file
 * keeps ~10 MB of parse results alive; with V8's default small young
 * generation, scavenges copy them over and over while the parse runs (full
 * diagnostics p50 ~24 ms, p95 ~85 ms on the benchmark). A 32 MB semi-space
 * lets them be promoted once: p50 ~7 ms, p95 ~14 ms.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=32'];
