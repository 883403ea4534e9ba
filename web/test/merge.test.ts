import { describe, expect, it } from "vitest";
import { diff, merge3, text } from "../src/lib/merge";

const j = (...lines: string[]) => lines.join("\n");

describe("diff", () => {
  it("finds the longest common subsequence", () => {
    const a = ["a", "b", "c", "d", "e"], b = ["a", "x", "c", "e", "f"];
    const pairs = diff(a, b);
    expect(pairs).toEqual([[0, 0], [2, 2], [4, 3]]);
  });
  it("handles empty sides and equal texts", () => {
    expect(diff([], ["a"])).toEqual([]);
    expect(diff(["a", "b"], ["a", "b"])).toEqual([[0, 0], [1, 1]]);
  });
  it("stays linear on long notes with few edits", () => {
    const a = Array.from({ length: 20000 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[100] = "changed";
    b.splice(15000, 0, "inserted");
    const t = performance.now();
    const pairs = diff(a, b);
    expect(pairs.length).toBe(19999);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

describe("merge3", () => {
  const base = j("# Notes", "!! send the deck ^a1b2", "?? who signs", "Decision: go");
  it("takes edits of different lines from both sides", () => {
    const mine = j("# Notes", "!! send the deck to Ann ^a1b2", "?? who signs", "Decision: go");
    const theirs = j("# Notes", "!! send the deck ^a1b2", "?? who signs off", "Decision: go", "- [ ] book room ^c3d4");
    const m = merge3(base, mine, theirs);
    expect(m.clean).toBe(true);
    expect(text(m)).toBe(j("# Notes", "!! send the deck to Ann ^a1b2", "?? who signs off", "Decision: go", "- [ ] book room ^c3d4"));
  });
  it("takes the same change once", () => {
    const both = j("# Notes", "- [x] send the deck ^a1b2", "?? who signs", "Decision: go");
    expect(text(merge3(base, both, both))).toBe(both);
  });
  it("keeps my words and the server's block id on a line I went on typing", () => {
    const sent = j("# Notes", "!! call the ban");
    const server = j("# Notes", "!! call the ban ^k3x9");
    const typing = j("# Notes", "!! call the bank tomorrow", "more text");
    const m = merge3(sent, typing, server);
    expect(m.clean).toBe(true);
    expect(text(m)).toBe(j("# Notes", "!! call the bank tomorrow ^k3x9", "more text"));
  });
  it("reports different edits of one line as a conflict, losing nothing", () => {
    const mine = j("# Notes", "!! send the deck today ^a1b2", "?? who signs", "Decision: go");
    const theirs = j("# Notes", "!! send the slides ^a1b2", "?? who signs", "Decision: go");
    const m = merge3(base, mine, theirs);
    expect(m.clean).toBe(false);
    const conflicts = m.chunks.filter((c) => "conflict" in c);
    expect(conflicts).toHaveLength(1);
    expect(text(m, (c) => c.mine)).toBe(mine);
    expect(text(m, (c) => c.theirs)).toBe(theirs);
    expect(text(m)).toContain("send the deck today");
    expect(text(m)).toContain("send the slides");
  });
  it("merges appends at the end from both sides as a conflict of order, keeping both", () => {
    const mine = base + "\nmine added";
    const theirs = base + "\ntheirs added";
    const m = merge3(base, mine, theirs);
    expect(text(m)).toContain("mine added");
    expect(text(m)).toContain("theirs added");
  });
  it("handles deletions against edits elsewhere", () => {
    const mine = j("# Notes", "?? who signs", "Decision: go");
    const theirs = j("# Notes", "!! send the deck ^a1b2", "?? who signs", "Decision: go now");
    const m = merge3(base, mine, theirs);
    expect(m.clean).toBe(true);
    expect(text(m)).toBe(j("# Notes", "?? who signs", "Decision: go now"));
  });
  it("is the identity when only one side changed", () => {
    const mine = base + "\nx";
    expect(text(merge3(base, mine, base))).toBe(mine);
    expect(text(merge3(base, base, mine))).toBe(mine);
  });
});
