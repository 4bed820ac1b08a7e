// An address as a person types it (the Page Tables panel's box, Translate Address's prompt).
/** Parse an address typed by a person: 0x hex, decimal, or hex with an h suffix; underscores allowed. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^[0-9a-f]+h$/i.test(t)) v = parseInt(t.slice(0, -1), 16);
  else if (/^\d+$/.test(t)) v = Number(t);
  else if (/^[0-9a-f]*[a-f][0-9a-f]*$/i.test(t)) v = parseInt(t, 16);
  else return undefined;
  return Number.isFinite(v) && v >= 0 && v <= 0xffffffff ? v : undefined;
}
