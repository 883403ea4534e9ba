// The client reads due phrases as the server does (internal/capture/due.go
// and its tests): the same cases.
import { describe, expect, it } from "vitest";
import { duePhrase, resolveDue } from "../src/lib/time";

describe("resolveDue", () => {
  // Wednesday 2026-03-04 in Berlin.
  const from = "2026-03-04";
  it.each([
    ["next friday", "Europe/Berlin", "2026-03-13"], ["next Monday", "Europe/Berlin", "2026-03-09"],
    ["in 2 days", "Europe/Berlin", "2026-03-06"], ["in two weeks", "Europe/Berlin", "2026-03-18"],
    ["in a week", "Europe/Berlin", "2026-03-11"], ["end of month", "Europe/Berlin", "2026-03-31"],
    ["EOM", "Europe/Berlin", "2026-03-31"], ["eod", "Europe/Berlin", "2026-03-04"],
    ["24.12.", "Europe/Berlin", "2026-12-24"], ["24.12.2026", "Europe/Berlin", "2026-12-24"],
    ["24.12.27", "Europe/Berlin", "2027-12-24"], ["24/12", "Europe/Berlin", "2026-12-24"],
    ["3/5", "Europe/Berlin", "2026-05-03"], ["3/5", "America/New_York", "2026-03-05"],
    ["3.5.", "America/New_York", "2026-05-03"], ["1.3.", "Europe/Berlin", "2027-03-01"],
    ["24 Dec", "Europe/Berlin", "2026-12-24"], ["24 December 2027", "Europe/Berlin", "2027-12-24"],
    ["Dec 24", "Europe/Berlin", "2026-12-24"], ["December 24, 2027", "Europe/Berlin", "2027-12-24"],
    ["31.02.", "Europe/Berlin", ""], ["30/2", "Europe/Berlin", ""], ["next fortnight", "Europe/Berlin", ""],
    ["in many days", "Europe/Berlin", ""], ["13/13", "Europe/Berlin", ""], ["friday", "Europe/Berlin", "2026-03-06"],
  ])("%s in %s", (phrase, zone, want) => {
    expect(resolveDue(phrase, from, zone)).toBe(want);
  });
});

describe("duePhrase", () => {
  it.each([
    ["send the deck by next friday", "next friday"], ["send the deck in 2 days", "in 2 days"],
    ["call Bob next tuesday", "next tuesday"], ["close the books end of month", "end of month"],
    ["reply to legal eod", "eod"], ["renew the domain by 24.12.", "24.12."],
    ["renew the domain due:2026-12-24", "2026-12-24"], ["ship it tomorrow", "tomorrow"],
    ["review tomorrow's agenda", ""], ["review the Monday report", ""], ["send it by email", ""],
    ["send it by friday remind:tomorrow 9:00", "friday"], ["pay the invoice due:someday", ""],
    ["pay the invoice by 31.02.", ""], ["ask @alice about the budget next time", ""],
  ])("%s", (line, want) => {
    expect(duePhrase(line)?.phrase ?? "").toBe(want);
  });
});
