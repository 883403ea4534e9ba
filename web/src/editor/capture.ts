// The note editor's view of the capture syntax, as one CodeMirror
// extension: item lines styled by kind, a real checkbox on action items
// (ticking it edits the line, which the next save turns into the item's
// state), questions and decisions marked, @mentions and due dates shown
// (with the date a phrase resolves to), and block ids hidden but kept —
// the cursor never lands behind one, and typing never goes after it.
import { EditorSelection, EditorState, RangeSetBuilder, type Extension, type Transaction } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, WidgetType, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { dueLabel, resolveDue } from "../lib/time";
import { fenceOf, insertAt, mentions, parseLine, toggled, type LineItem } from "./syntax";

class CheckboxWidget extends WidgetType {
  constructor(readonly checked: boolean, readonly line: number) { super(); }
  eq(o: CheckboxWidget) { return o.checked === this.checked && o.line === this.line; }
  toDOM() {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = this.checked;
    box.className = "cm-item-box";
    box.setAttribute("aria-label", this.checked ? "Done: untick to reopen" : "Tick when done");
    box.dataset.line = String(this.line);
    return box;
  }
  ignoreEvent() { return false; }
}

class DueWidget extends WidgetType {
  constructor(readonly label: string) { super(); }
  eq(o: DueWidget) { return o.label === this.label; }
  toDOM() {
    const s = document.createElement("span");
    s.className = "cm-due-date";
    s.textContent = this.label;
    s.setAttribute("aria-hidden", "true");
    return s;
  }
}

const lineDeco = {
  action: Decoration.line({ class: "cm-item cm-item-action" }),
  done: Decoration.line({ class: "cm-item cm-item-action cm-item-done" }),
  question: Decoration.line({ class: "cm-item cm-item-question" }),
  decision: Decoration.line({ class: "cm-item cm-item-decision" }),
};
const markerMark = Decoration.mark({ class: "cm-item-marker" });
const mentionMark = Decoration.mark({ class: "cm-mention" });
const dueMark = Decoration.mark({ class: "cm-due" });
const hidden = Decoration.replace({});

// fenceStates says which lines start inside a code fence, from the top:
// capture ignores what is in code, and so does the editor.
function inFence(state: EditorState, lineNo: number, cache: Map<number, boolean>): boolean {
  // Walk back to a line whose state is known, then forward.
  let n = lineNo;
  while (n > 1 && !cache.has(n)) n--;
  let open = n === 1 ? "" : (cache.get(n) ? "x" : "");
  if (n === 1 && !cache.has(1)) cache.set(1, false);
  let fence = open ? "```" : "";
  for (let i = n; i < lineNo; i++) {
    const f = fenceOf(state.doc.line(i).text);
    if (f) fence = !fence ? f : (f.startsWith(fence) || fence === "```" ? "" : fence);
    cache.set(i + 1, fence !== "");
  }
  return cache.get(lineNo) ?? false;
}

function build(view: EditorView, dueFrom: () => string, fences: Map<number, boolean>): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  const state = view.state;
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = state.doc.lineAt(pos);
      pos = line.to + 1;
      if (fenceOf(line.text) || inFence(state, line.number, fences)) continue;
      const it = parseLine(line.text);
      const marks: [number, number, Decoration][] = [];
      if (it) {
        b.add(line.from, line.from, lineDeco[it.kind === "action" ? (it.done ? "done" : "action") : it.kind]);
        if (it.kind === "action") {
          // The checkbox stands for the marker ("!!", "- [ ]").
          marks.push([line.from + it.marker[0], line.from + it.marker[1],
            Decoration.replace({ widget: new CheckboxWidget(it.done, line.number) })]);
        } else {
          marks.push([line.from + it.marker[0], line.from + it.marker[1], markerMark]);
        }
        if (it.due) {
          const date = resolveDue(it.due.phrase, dueFrom());
          marks.push([line.from + it.due.from, line.from + it.due.to, dueMark]);
          if (date && !/^\d{4}-\d{2}-\d{2}$/.test(it.due.phrase)) {
            marks.push([line.from + it.due.to, line.from + it.due.to, Decoration.widget({ widget: new DueWidget(dueLabel(date + "T12:00:00Z")), side: 1 })]);
          }
        }
        if (it.id) marks.push([line.from + it.id[0], line.from + it.id[1], hidden]);
      }
      for (const [f, t] of mentions(it?.id ? line.text.slice(0, it.id[0]) : line.text)) {
        marks.push([line.from + f, line.from + t, mentionMark]);
      }
      marks.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let last = -1;
      for (const [f, t, d] of marks) {
        if (f < last) continue; // overlapping (a mention inside a due phrase): the first wins
        b.add(f, t, d);
        last = t;
      }
    }
  }
  return b.finish();
}

/** hiddenIDs are the block ids of the document, for atomic cursor motion. */
function idRanges(view: EditorView) {
  const b = new RangeSetBuilder<Decoration>();
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = view.state.doc.lineAt(pos);
      pos = line.to + 1;
      const it = parseLine(line.text);
      if (it?.id) b.add(line.from + it.id[0], line.from + it.id[1], hidden);
    }
  }
  return b.finish();
}

// keepIDsLast keeps each line's block id its last word and on its line:
// typing right behind the (hidden) id goes before it, and Enter right
// before it starts the new line after it (see insertAt).
const keepIDsLast = EditorState.transactionFilter.of((tr: Transaction) => {
  if (!tr.docChanged || !tr.isUserEvent("input")) return tr;
  const doc = tr.startState.doc;
  let moved = false;
  const changes: { from: number; to: number; insert: string }[] = [];
  tr.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const text = inserted.toString();
    if (fromA === toA && text) {
      const line = doc.lineAt(fromA);
      const at = line.from + insertAt(line.text, fromA - line.from, text);
      if (at !== fromA) {
        changes.push({ from: at, to: at, insert: text });
        moved = true;
        return;
      }
    }
    changes.push({ from: fromA, to: toA, insert: text });
  });
  if (!moved) return tr;
  const cs = tr.startState.changes(changes);
  const last = changes[changes.length - 1];
  return { changes: cs, selection: EditorSelection.cursor(cs.mapPos(last.from, 1)), userEvent: "input.type", scrollIntoView: true };
});

export interface CaptureOptions {
  /** the day due phrases count from (the meeting's, or today) */
  dueFrom: () => string;
}

export function capture(opts: CaptureOptions): Extension {
  const plugin = ViewPlugin.fromClass(class {
    decorations: DecorationSet;
    ids: DecorationSet;
    fences = new Map<number, boolean>();
    constructor(view: EditorView) {
      this.decorations = build(view, opts.dueFrom, this.fences);
      this.ids = idRanges(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.fences.clear();
      if (u.docChanged || u.viewportChanged) {
        this.decorations = build(u.view, opts.dueFrom, this.fences);
        this.ids = idRanges(u.view);
      }
    }
  }, {
    decorations: (v) => v.decorations,
    provide: (p) => EditorView.atomicRanges.of((view) => view.plugin(p)?.ids ?? Decoration.none),
    eventHandlers: {
      mousedown(e, view) {
        const t = e.target as HTMLElement;
        if (!(t instanceof HTMLInputElement) || !t.classList.contains("cm-item-box")) return false;
        e.preventDefault();
        const line = view.state.doc.line(Number(t.dataset.line));
        const it = parseLine(line.text) as LineItem | null;
        if (!it || it.kind !== "action") return true;
        view.dispatch({ changes: { from: line.from, to: line.to, insert: toggled(line.text, it) }, userEvent: "input.toggle" });
        return true;
      },
    },
  });
  return [plugin, keepIDsLast];
}

/** edits are the smallest changes, line by line, that turn cur into text:
 * for a changed line only its changed middle, so that a cursor in an
 * untouched part of it stays put. */
export function edits(cur: string, text: string, diffLines: (a: string[], b: string[]) => [number, number][]) {
  const a = cur.split("\n"), b = text.split("\n");
  const starts: number[] = [];
  let off = 0;
  for (const l of a) { starts.push(off); off += l.length + 1; }
  const changes: { from: number; to: number; insert: string }[] = [];
  let pa = 0, pb = 0;
  const region = (ea: number, eb: number) => {
    const removed = a.slice(pa, ea), added = b.slice(pb, eb);
    if (removed.length === 0 && added.length === 0) return;
    if (removed.length === added.length) {
      for (let k = 0; k < removed.length; k++) {
        const x = removed[k], y = added[k];
        let s = 0;
        while (s < x.length && s < y.length && x[s] === y[s]) s++;
        let e = 0;
        while (e < x.length - s && e < y.length - s && x[x.length - 1 - e] === y[y.length - 1 - e]) e++;
        changes.push({ from: starts[pa + k] + s, to: starts[pa + k] + x.length - e, insert: y.slice(s, y.length - e) });
      }
    } else if (ea < a.length) {
      // Lines before a kept one: whole lines, newlines and all.
      changes.push({ from: starts[pa], to: starts[ea], insert: added.map((l) => l + "\n").join("") });
    } else if (pa < a.length && pa > 0) {
      // To the end: from the newline before the first line replaced.
      changes.push({ from: starts[pa] - 1, to: cur.length, insert: added.map((l) => "\n" + l).join("") });
    } else if (pa < a.length) {
      changes.push({ from: 0, to: cur.length, insert: added.join("\n") });
    } else {
      changes.push({ from: cur.length, to: cur.length, insert: added.map((l) => "\n" + l).join("") });
    }
  };
  for (const [i, j] of diffLines(a, b)) {
    region(i, j);
    pa = i + 1; pb = j + 1;
  }
  region(a.length, b.length);
  return changes.filter((c) => c.from !== c.to || c.insert);
}

/** applyText replaces the editor's text with text as the smallest edits,
 * so that the cursor — and what is being typed — stays where it is (a
 * cursor at the end of a line that gets a block id stays before the id). */
export function applyText(view: EditorView, text: string, diffLines: (a: string[], b: string[]) => [number, number][]) {
  const cur = view.state.doc.toString();
  if (cur === text) return;
  let cs = view.state.changes(edits(cur, text, diffLines));
  if (cs.apply(view.state.doc).toString() !== text) {
    // Never expected; the whole text then, rather than a wrong one.
    cs = view.state.changes({ from: 0, to: cur.length, insert: text });
  }
  view.dispatch({ changes: cs, selection: view.state.selection.map(cs, -1), userEvent: "remote", addToHistory: false });
}
