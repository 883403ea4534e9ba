// Times are shown in the person's own time zone (their account's), never
// the browser's.

let zone = "UTC";
export function setZone(z: string) { zone = z || "UTC"; }
export function currentZone() { return zone; }

const fmt = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, { timeZone: zone, ...opts });

export function time(iso: string) { return fmt({ hour: "2-digit", minute: "2-digit" }).format(new Date(iso)); }
export function day(iso: string) { return fmt({ weekday: "short", day: "numeric", month: "short" }).format(new Date(iso)); }
export function dayLong(iso: string) { return fmt({ weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date(iso)); }
export function dateTime(iso: string) { return fmt({ weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(iso)); }

/** ymd is the date (YYYY-MM-DD) of an instant in the person's zone. */
export function ymd(d: Date = new Date()): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** addDays moves a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  const d = new Date(date + "T12:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** weekday of a YYYY-MM-DD date, 0 = Sunday. */
export function weekday(date: string): number { return new Date(date + "T12:00:00Z").getUTCDay(); }

/** dueLabel says when something is due, relative to today. */
export function dueLabel(iso: string): string {
  const d = ymd(new Date(iso)), today = ymd();
  if (d === today) return "today";
  if (d === addDays(today, 1)) return "tomorrow";
  if (d === addDays(today, -1)) return "yesterday";
  return fmt({ day: "numeric", month: "short" }).format(new Date(iso));
}

export function overdue(iso: string | null): boolean { return !!iso && ymd(new Date(iso)) < ymd(); }

// The due phrases the server reads (internal/capture/due.go), and how.
const weekdays: Record<string, number> = {
  sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3,
  thursday: 4, thu: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
};

function daysUntil(from: number, to: number, orToday: boolean): number {
  let d = (to - from + 7) % 7;
  if (d === 0 && !orToday) d = 7;
  return d;
}

/** duePhrase finds the last `by <date>` or `due:<date>` in a line: where it
 * is (keyword included) and the phrase, as the server finds it. */
export function duePhrase(line: string): { from: number; to: number; phrase: string } | null {
  const re = /(?<![A-Za-z0-9_])(?:due:\s*|by )(next week|end of the week|end of week|[A-Za-z0-9_-]+)/gi;
  let found: { from: number; to: number; phrase: string } | null = null;
  for (const m of line.matchAll(re)) {
    const phrase = m[1];
    const lw = phrase.toLowerCase();
    if (/^\d{4}-\d{2}-\d{2}$/.test(phrase) || lw in weekdays || ["today", "tomorrow", "eow", "next week", "end of week", "end of the week"].includes(lw)) {
      found = { from: m.index!, to: m.index! + m[0].length, phrase };
    }
  }
  return found;
}

/** resolveDue reads a due phrase as the server does, from a day (today in
 * the person's zone): "" when it cannot. */
export function resolveDue(phrase: string, from: string = ymd()): string {
  const p = phrase.trim().toLowerCase().replace(/\s+/g, " ");
  if (/^\d{4}-\d{2}-\d{2}$/.test(p)) return p;
  const wd = weekday(from);
  switch (p) {
    case "today": return from;
    case "tomorrow": return addDays(from, 1);
    case "next week": return addDays(from, daysUntil(wd, 1, false));
    case "end of week": case "end of the week": case "eow": return addDays(from, daysUntil(wd, 5, true));
  }
  if (p in weekdays) return addDays(from, daysUntil(wd, weekdays[p], false));
  return "";
}
