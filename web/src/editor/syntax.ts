// The capture syntax as the server reads it (internal/capture): which line
// is an action item, a question or a decision, where its marker and block
// id are, its @mentions and its due phrase. Pure, so that the editor's
// decorations and the tests agree with the server.
import { duePhrase } from "../lib/time";

export type Kind = "action" | "question" | "decision";

export interface LineItem {
  kind: Kind;
  done: boolean;
  /** [from, to) of the marker ("!! ", "- [ ] ", "?? ", "Decision: ") in the line */
  marker: [number, number];
  /** [from, to) of the checkbox ("[ ]", "[x]") when the line has one */
  box: [number, number] | null;
  /** [from, to) of the block id with the space before it, when present */
  id: [number, number] | null;
  blockID: string;
  due: { from: number; to: number; phrase: string } | null;
}

const idRe = /[ \t]\^([a-z0-9]{4,12})$/;

export function fenceOf(line: string): string {
  const m = /^[ \t]*(`{3,}|~{3,})/.exec(line);
  return m ? m[1] : "";
}

/** parseLine recognises an item line (outside code fences). */
export function parseLine(line: string): LineItem | null {
  const indent = line.length - line.trimStart().length;
  let rest = line.slice(indent);
  let at = indent;
  let box: [number, number] | null = null;
  let done = false;
  let kind: Kind | null = null;
  const bullet = /^(?:[-*+]|\d{1,9}[.)])[ \t]+/.exec(rest);
  if (bullet) {
    const after = rest.slice(bullet[0].length);
    const cb = /^\[( |x|X)\](?=$|[ \t])/.exec(after);
    if (cb) {
      const bfrom = at + bullet[0].length;
      box = [bfrom, bfrom + 3];
      done = cb[1] !== " ";
      kind = "action";
      rest = after.slice(3);
      at = bfrom + 3;
    } else {
      rest = after;
      at += bullet[0].length;
    }
  }
  if (!kind) {
    if (rest.startsWith("!!")) { kind = "action"; rest = rest.slice(2); at += 2; }
    else if (rest.startsWith("??")) { kind = "question"; rest = rest.slice(2); at += 2; }
    else {
      const d = /^(\*\*)?(decision|decided)(\*\*:|:(\*\*)?)/i.exec(rest);
      if (!d || (d[1] && !(d[3] === "**:" || d[4]))) return null;
      kind = "decision";
      rest = rest.slice(d[0].length);
      at += d[0].length;
    }
  }
  const ws = rest.length - rest.trimStart().length;
  at += ws;
  rest = rest.slice(ws);
  const m = idRe.exec(line);
  const id: [number, number] | null = m ? [m.index, line.length] : null;
  const text = id ? line.slice(at, id[0]).trimEnd() : rest.trimEnd();
  if (!text) return null;
  let due = null;
  if (kind === "action") {
    const d = duePhrase(line.slice(0, id ? id[0] : line.length));
    if (d && d.from >= at) due = d;
  }
  return { kind, done, marker: [indent, at], box, id, blockID: m ? m[1] : "", due };
}

/** mentions are the @handles of a line: [from, to) each. */
export function mentions(line: string): [number, number][] {
  const out: [number, number][] = [];
  let inCode = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "`") { inCode = !inCode; continue; }
    if (c !== "@" || inCode) continue;
    if (i > 0 && /[\p{L}\p{N}_.]/u.test(line[i - 1])) continue; // an address, not a mention
    const m = /^@[\p{L}\p{N}_][\p{L}\p{N}_.+-]*(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?/u.exec(line.slice(i));
    if (m) {
      let end = i + m[0].length;
      while (end > i + 1 && /[.\-+]/.test(line[end - 1])) end--; // a full stop after a name
      out.push([i, end]);
      i = end - 1;
    }
  }
  return out;
}

/** toggled is the line with its action ticked or unticked: "- [ ]" and
 * "- [x]" flip, "!! text" becomes "- [x] text". */
export function toggled(line: string, it: LineItem): string {
  if (it.box) return line.slice(0, it.box[0]) + (it.done ? "[ ]" : "[x]") + line.slice(it.box[1]);
  const indent = line.slice(0, it.marker[0]);
  return indent + "- [x] " + line.slice(it.marker[1]);
}

const trailingID = /[ \t]\^[a-z0-9]{4,12}$/;

/** insertAt says where typing at offset `at` of a line goes, so that a
 * line's block id (hidden in the editor) stays its last word and stays
 * with its line: words typed right after the id go before it, and a new
 * line started right before it (Enter at the end of what is shown) starts
 * after it. */
export function insertAt(line: string, at: number, text: string): number {
  const m = trailingID.exec(line);
  if (!m || !parseLine(line)?.id) return at;
  if (at === line.length && !text.startsWith("\n")) return m.index;
  if (at === m.index && text.startsWith("\n")) return line.length;
  return at;
}
