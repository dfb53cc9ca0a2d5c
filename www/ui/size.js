// @ts-check
/** Sizes in bytes as a page author writes them in an attribute (`max-memory="512MiB"`). */

/** Bytes per unit: MB and GB decimal, MiB and GiB binary (as the browser's and the OS's tools differ). */
const UNITS = /** @type {Record<string, number>} */ ({ '': 1, mb: 1e6, gb: 1e9, mib: 2 ** 20, gib: 2 ** 30 });

/**
 * The bytes a size names: a whole number of bytes (`536870912`), or a number with a unit
 * (`512MB`, `1.5GB`, `512MiB`, `2GiB`; the unit in any case, a space before it allowed).
 * Null for anything else, zero or a fraction of a byte included.
 * @param {string} text
 * @returns {number | null}
 */
export function parseSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const per = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || per === undefined) return null;
  const bytes = Number(m[1]) * per;
  // A unit may name a fraction of a byte (1.1MiB); a plain number must be whole bytes.
  const whole = per === 1 ? bytes : Math.floor(bytes);
  return Number.isSafeInteger(whole) && whole > 0 ? whole : null;
}

/**
 * A size in bytes for people, in decimal units as the browser's storage counts them
 * (`512 B`, `245.3 kB`, `12.4 MB`, `1.2 GB`), numbers in `locale`'s format.
 * @param {number} bytes
 * @param {string} locale
 */
export function formatSize(bytes, locale) {
  const [n, unit] = bytes >= 1e9 ? [bytes / 1e9, 'GB'] : bytes >= 1e6 ? [bytes / 1e6, 'MB'] : bytes >= 1e3 ? [bytes / 1e3, 'kB'] : [bytes, 'B'];
  const digits = unit === 'B' ? 0 : 1;
  return `${n.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}
