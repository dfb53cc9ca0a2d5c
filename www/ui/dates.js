// @ts-check
/**
 * Calendar arithmetic on `YYYY-MM-DD` dates (UTC days, no clock, no time zone): the periods a
 * marketer compares are counted back from the analysis date the engine answers with (`asOf`).
 */

/**
 * The date `days` days after `iso` (before it when negative).
 * @param {string} iso `YYYY-MM-DD`
 * @param {number} days
 */
export function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whether `s` is a `YYYY-MM-DD` date of the calendar. @param {unknown} s */
export function isDate(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && addDays(s, 0) === s;
}

/**
 * The days from `from` to `to` (negative when `to` is earlier).
 * @param {string} from `YYYY-MM-DD`
 * @param {string} to `YYYY-MM-DD`
 */
export function daysBetween(from, to) {
  const day = (/** @type {string} */ iso) => {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d) / 86_400_000;
  };
  return day(to) - day(from);
}
