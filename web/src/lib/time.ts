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

const months: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
};
const counts: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const word = /[A-Za-z0-9_]/;

function wordAt(s: string, w: string): boolean {
  return s.length >= w.length && s.slice(0, w.length).toLowerCase() === w && (s.length === w.length || !word.test(s[w.length]));
}
function leadingWord(s: string): string { return /^[A-Za-z0-9_]*/.exec(s)![0]; }
function countOf(w: string): number | null {
  const lw = w.toLowerCase();
  if (lw in counts) return counts[lw];
  return /^\d+$/.test(w) && +w <= 366 ? +w : null;
}
const isUnit = (w: string) => ["day", "days", "week", "weeks"].includes(w.toLowerCase());

/** dayMonthPhrase is a day and month at the start of s (24.12., 24.12.2026,
 * 24/12, 24 Dec, December 24, 2027), as the server reads them. */
function dayMonthPhrase(s: string): string {
  let m = /^(\d{1,2})([./])(\d{1,2})/.exec(s);
  if (m) {
    const sep = m[2];
    let end = m[0].length;
    const y = new RegExp("^\\" + sep + "(\\d{4}|\\d{2})(?!\\d)").exec(s.slice(end));
    if (y) end += y[0].length;
    else if (sep === ".") { if (s[end] !== ".") return ""; end++; }
    if (end < s.length && (word.test(s[end]) || s[end] === "/" || (s[end] === "." && sep === "/"))) return "";
    return s.slice(0, end);
  }
  m = /^(\d{1,2}) ([A-Za-z]+)/.exec(s);
  if (m && m[2].toLowerCase() in months && (s.length === m[0].length || !word.test(s[m[0].length]))) {
    const y = /^ \d{4}(?!\d)/.exec(s.slice(m[0].length));
    return s.slice(0, m[0].length + (y ? 5 : 0));
  }
  m = /^([A-Za-z]+) (\d{1,2})(?![A-Za-z0-9_])/.exec(s);
  if (m && m[1].toLowerCase() in months) {
    const y = /^(, | )\d{4}(?!\d)/.exec(s.slice(m[0].length));
    return s.slice(0, m[0].length + (y ? y[0].length : 0));
  }
  return "";
}

/** datePhrase is the date phrase at the start of s, or "". */
function datePhrase(s: string): string {
  for (const p of ["next week", "end of the week", "end of week", "end of the month", "end of month", "end of the day", "end of day"]) {
    if (wordAt(s, p)) return s.slice(0, p.length);
  }
  if (wordAt(s, "next") && s[4] === " ") {
    const w = leadingWord(s.slice(5));
    if (w && w.toLowerCase() in weekdays) return s.slice(0, 5 + w.length);
  }
  if (wordAt(s, "in") && s[2] === " ") {
    const n = leadingWord(s.slice(3));
    const rest = s.slice(3 + n.length);
    const unit = rest[0] === " " ? leadingWord(rest.slice(1)) : "";
    if (n && countOf(n) !== null && isUnit(unit)) return s.slice(0, 3 + n.length + 1 + unit.length);
  }
  const dm = dayMonthPhrase(s);
  if (dm) return dayMonth(dm.toLowerCase(), "2028-01-01", false) || dayMonth(dm.toLowerCase(), "2028-01-01", true) ? dm : "";
  const w = /^[A-Za-z0-9_-]*/.exec(s)![0];
  const lw = w.toLowerCase();
  if (/^\d{4}-\d{2}-\d{2}$/.test(w) && validDate(w)) return w;
  if (lw in weekdays || ["today", "tomorrow", "eow", "eod", "eom"].includes(lw)) return w;
  return "";
}

/** ownPhrase is a date phrase that says a due date without `by`. */
function ownPhrase(s: string): string {
  const p = datePhrase(s);
  const lp = p.toLowerCase();
  if (!p) return "";
  if (["tomorrow", "eod", "eow", "eom"].includes(lp) || lp.startsWith("next ") || lp.startsWith("in ") || lp.startsWith("end of")) {
    return s[p.length] === "'" ? "" : p;
  }
  return "";
}

/** duePhrase finds a line's due phrase as the server does: the last
 * `due:<date>` or `by <date>`, or a phrase that says a due date on its own
 * ("tomorrow", "next tuesday", "in 2 days", "eod"); where it is (keyword
 * included) and the phrase. */
export function duePhrase(line: string): { from: number; to: number; phrase: string } | null {
  let found: { from: number; to: number; phrase: string } | null = null;
  for (let i = 0; i < line.length; i++) {
    if ((i > 0 && word.test(line[i - 1])) || !word.test(line[i])) continue;
    const rest = line.slice(i);
    const lower = rest.slice(0, 7).toLowerCase();
    if (lower === "remind:") {
      const r = /^remind:(\S+( \d{1,2}:\d{2})?)/i.exec(rest);
      if (r) i += r[0].length - 1;
      continue;
    }
    let after: string | null = null;
    if (lower.startsWith("due:")) after = rest.slice(4).replace(/^ +/, "");
    else if (lower.startsWith("by ")) after = rest.slice(3);
    if (after !== null) {
      const p = datePhrase(after);
      if (p) {
        const to = line.length - after.length + p.length;
        found = { from: i, to, phrase: p };
        i = to - 1;
        continue;
      }
    }
    const p = ownPhrase(rest);
    if (p) {
      found = { from: i, to: i + p.length, phrase: p };
      i += p.length - 1;
    }
  }
  return found;
}

function validDate(iso: string): boolean {
  const d = new Date(iso + "T12:00:00Z");
  return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}
const pad = (n: number) => String(n).padStart(2, "0");

/** dayMonth resolves a day-and-month phrase from a day ("" when it names no day). */
function dayMonth(p: string, from: string, monthFirst: boolean): string {
  const f = p.replace(/\.$/, "").split(/[./ ,]+/).filter(Boolean);
  let day: number, month: number;
  if (f.length < 2 || f.length > 3) return "";
  if (/^\d+$/.test(f[0]) && /^\d+$/.test(f[1])) {
    [day, month] = [+f[0], +f[1]];
    if (p.includes("/") && monthFirst) [day, month] = [month, day];
  } else if (/^\d+$/.test(f[0])) {
    if (!(f[1] in months)) return "";
    [day, month] = [+f[0], months[f[1]]];
  } else {
    if (!(f[0] in months) || !/^\d+$/.test(f[1])) return "";
    [day, month] = [+f[1], months[f[0]]];
  }
  let year = 0;
  if (f.length === 3) {
    if (!/^\d+$/.test(f[2])) return "";
    year = +f[2] + (f[2].length === 2 ? 2000 : 0);
  }
  const y = year || +from.slice(0, 4);
  let iso = `${y}-${pad(month)}-${pad(day)}`;
  if (month < 1 || month > 12 || !validDate(iso)) return "";
  if (!year && iso < from) {
    iso = `${y + 1}-${pad(month)}-${pad(day)}`;
    if (!validDate(iso)) return "";
  }
  return iso;
}

/** monthFirst reports whether people in a zone write the month first (the
 * United States), as the server decides. */
export function monthFirst(z: string = zone): boolean {
  if (z.startsWith("US/") || z === "Pacific/Honolulu") return true;
  if (!z.startsWith("America/")) return false;
  const rest = z.slice(8);
  return /^(Indiana|Kentucky|North_Dakota)\//.test(rest) || ["New_York", "Chicago", "Denver", "Los_Angeles", "Phoenix", "Anchorage",
    "Detroit", "Boise", "Juneau", "Adak", "Nome", "Sitka", "Yakutat", "Metlakatla", "Menominee"].includes(rest);
}

/** resolveDue reads a due phrase as the server does, from a day (today in
 * the person's zone, or the meeting's day): a date YYYY-MM-DD, or "". */
export function resolveDue(phrase: string, from: string = ymd(), z: string = zone): string {
  const p = phrase.trim().toLowerCase().replace(/\s+/g, " ");
  if (/^\d{4}-\d{2}-\d{2}$/.test(p)) return validDate(p) ? p : "";
  const wd = weekday(from);
  switch (p) {
    case "today": case "eod": case "end of day": case "end of the day": return from;
    case "tomorrow": return addDays(from, 1);
    case "next week": return addDays(from, daysUntil(wd, 1, false));
    case "end of week": case "end of the week": case "eow": return addDays(from, daysUntil(wd, 5, true));
    case "end of month": case "end of the month": case "eom": {
      const d = new Date(Date.UTC(+from.slice(0, 4), +from.slice(5, 7), 0, 12));
      return d.toISOString().slice(0, 10);
    }
  }
  if (p in weekdays) return addDays(from, daysUntil(wd, weekdays[p], false));
  if (p.startsWith("next ")) {
    const w = p.slice(5);
    if (!(w in weekdays)) return "";
    const monday = addDays(from, daysUntil(wd, 1, false));
    return addDays(monday, (weekdays[w] - 1 + 7) % 7);
  }
  if (p.startsWith("in ")) {
    const [n, unit] = p.slice(3).split(" ");
    const c = countOf(n ?? "");
    if (c === null || !unit || !isUnit(unit)) return "";
    return addDays(from, unit.startsWith("week") ? 7 * c : c);
  }
  return dayMonth(p, from, monthFirst(z));
}
