/**
 * How a memory size is written: bytes (decimal or 0x hex), or with a unit such as 16M, 64K,
 * 1G, 16MiB or 16MB (all binary). Read once so that `ringside run --memory` and the launch
 * attribute `memory` accept the same sizes.
 */

/** The size in bytes, or NaN when `v` is not a size. A number is taken as bytes. */
export function parseSize(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const m = /^(0x[0-9a-f]+|\d+)\s*(k|kib|kb|m|mib|mb|g|gib|gb)?$/i.exec(v.trim());
  if (!m) return NaN;
  const unit = (m[2] ?? '').toLowerCase()[0];
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1 << 20 : unit === 'g' ? 1 << 30 : 1);
}
