import { describe, expect, it } from "vitest";
import { diff } from "../src/lib/merge";
import { edits } from "../src/editor/capture";
import { insertAt, parseLine, mentions, toggled } from "../src/editor/syntax";

function apply(cur: string, cs: { from: number; to: number; insert: string }[]) {
  let out = cur;
  for (const c of [...cs].sort((x, y) => y.from - x.from)) out = out.slice(0, c.from) + c.insert + out.slice(c.to);
  return out;
}

describe("edits", () => {
  const cases: [string, string][] = [
    ["a\nb\nc", "a\nb ^k3x9\nc"],
    ["a\nb\nc", "a\nc"],
    ["a\nb\nc", "a\nb"],
    ["a\nb\nc", "b\nc"],
    ["a", "a\nb\nc"],
    ["", "x"],
    ["x", ""],
    ["a\nb", "z\na\nb\ny"],
    ["one\ntwo\nthree\nfour", "one\n2\n3\n4\nfour\nfive"],
    ["!! send ^ab12\n?? who", "- [x] send ^ab12\n?? who ^cd34\nnew"],
  ];
  for (const [a, b] of cases) {
    it(`turns ${JSON.stringify(a)} into ${JSON.stringify(b)}`, () => {
      expect(apply(a, edits(a, b, diff))).toBe(b);
    });
  }
  it("touches only the end of a line that gets a block id", () => {
    const cs = edits("x\n!! call the bank\ny", "x\n!! call the bank ^k3x9\ny", diff);
    expect(cs).toEqual([{ from: 18, to: 18, insert: " ^k3x9" }]);
  });
});

describe("syntax", () => {
  it("reads item lines as the server does", () => {
    expect(parseLine("!! send the deck to @ann by friday ^k3x9")).toMatchObject({ kind: "action", done: false, blockID: "k3x9", due: { phrase: "friday" } });
    expect(parseLine("  - [x] done thing")).toMatchObject({ kind: "action", done: true, box: [4, 7] });
    expect(parseLine("?? who signs")).toMatchObject({ kind: "question" });
    expect(parseLine("Decision: vendor B")).toMatchObject({ kind: "decision" });
    expect(parseLine("**Decided:** vendor B")).toMatchObject({ kind: "decision" });
    expect(parseLine("Decisions are hard")).toBeNull();
    expect(parseLine("!!")).toBeNull();
    expect(parseLine("just text")).toBeNull();
  });
  it("finds mentions, not addresses", () => {
    const line = "ask @ann and @bob@acme.com, not me@example.com; @Ann.";
    expect(mentions(line).map(([f, t]) => line.slice(f, t))).toEqual(["@ann", "@bob@acme.com", "@Ann"]);
  });
  it("ticks and unticks", () => {
    const a = "!! send it ^ab12";
    expect(toggled(a, parseLine(a)!)).toBe("- [x] send it ^ab12");
    const b = "- [x] send it";
    expect(toggled(b, parseLine(b)!)).toBe("- [ ] send it");
  });
});

describe("insertAt", () => {
  const line = "!! call the bank ^k3x9";
  it("keeps typing before a trailing block id and a new line after it", () => {
    expect(insertAt(line, line.length, "x")).toBe(16);
    expect(insertAt(line, 16, "x")).toBe(16);
    expect(insertAt(line, 16, "\n")).toBe(line.length);
    expect(insertAt(line, 5, "\n")).toBe(5);
    expect(insertAt("plain text ^k3x9", 16, "x")).toBe(16); // not an item line: no id
  });
});
