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
