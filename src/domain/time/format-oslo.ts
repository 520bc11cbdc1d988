/**
 * The two timestamp forms the wire uses: historikk `dd.MM.yyyy HH:mm:ss` (docs/interfaces.md §4,
 * e.g. "18.10.2017 13:43:31") and SOAP dateTime with Oslo's offset (docs/interfaces.md §5,
 * e.g. `2017-10-18T23:21:18.398+02:00`).
 */
import { pad2 } from './calendar-date.js';
import { osloDateTime, osloOffsetMinutes } from './oslo-clock.js';

/** `dd.MM.yyyy HH:mm:ss` in Europe/Oslo, as the real service writes historikk lines. */
export function formatOsloTimestamp(ms: number): string {
  const t = osloDateTime(ms);
  return `${pad2(t.day)}.${pad2(t.month)}.${year4(t.year)} ${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}`;
}

/**
 * `yyyy-MM-ddTHH:mm:ss.SSS±hh:mm` in Europe/Oslo. Milliseconds are always written
 * (as JAXB does for a calendar with millis set), so the length never varies.
 */
export function formatIsoWithOffset(ms: number): string {
  const t = osloDateTime(ms);
  const offset = osloOffsetMinutes(ms);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const date = `${year4(t.year)}-${pad2(t.month)}-${pad2(t.day)}`;
  const time = `${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}.${String(t.millisecond).padStart(3, '0')}`;
  return `${date}T${time}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Four-digit year, with a minus sign for astronomical years before 1 AD. */
function year4(year: number): string {
  return year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
}
