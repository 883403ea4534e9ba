import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { ApiError, OfflineError } from "../src/lib/api";
import { idbDrafts } from "../src/lib/drafts";
import { NoteSync, type Status } from "../src/lib/notesync";
import { diff } from "../src/lib/merge";
import { edits } from "../src/editor/capture";
import { insertAt } from "../src/editor/syntax";

// A server like Debrief's: versions, If-Match, block ids appended to new
// item lines, and a switch to go offline.
class FakeServer {
  body = "";
  version = 0;
  offline = false;
  saves = 0;
  private seq = 0;
  async load() {
    if (this.offline) throw new OfflineError("down");
    return { body: this.body, version: this.version };
  }
  async save(body: string, version: number) {
    if (this.offline) throw new OfflineError("down");
    if (version !== this.version) throw new ApiError(412, "stale");
    this.saves++;
    this.body = body.split("\n").map((l) => (l.startsWith("!! ") && !/ \^[a-z0-9]{4,12}$/.test(l)) ? `${l} ^id${String(++this.seq).padStart(2, "0")}` : l).join("\n");
    this.version++;
    return { body: this.body, version: this.version };
  }
}

// FakeEditor is an editor with a cursor, as CodeMirror maps it: the
// server's text is applied as the smallest edits (capture's edits), and a
// cursor where something is inserted stays before it.
class FakeEditor {
  doc = "";
  cursor = 0;
  text() { return this.doc; }
  apply(t: string) {
    const changes = edits(this.doc, t, diff).sort((x, y) => y.from - x.from);
    let c = this.cursor;
    for (const ch of changes) {
      if (c > ch.to) c += ch.insert.length - (ch.to - ch.from);
      else if (c > ch.from) c = ch.from; // inside a replaced span: to its start
      this.doc = this.doc.slice(0, ch.from) + ch.insert + this.doc.slice(ch.to);
    }
    this.cursor = c;
  }
  end() { this.cursor = this.doc.length; }
  /** type inserts at the cursor, where the editor's filter puts it. */
  type(s: string, sync: NoteSync) {
    this.cursor = Math.min(this.cursor, this.doc.length);
    const lineStart = this.doc.lastIndexOf("\n", this.cursor - 1) + 1;
    let lineEnd = this.doc.indexOf("\n", this.cursor);
    if (lineEnd < 0) lineEnd = this.doc.length;
    const at = lineStart + insertAt(this.doc.slice(lineStart, lineEnd), this.cursor - lineStart, s);
    this.doc = this.doc.slice(0, at) + s + this.doc.slice(at);
    this.cursor = at + s.length;
    sync.changed();
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { idleMs: 20, maxWaitMs: 60, retryMs: 30 };

describe("NoteSync", () => {
  it("saves after typing stops, keeping typing that went on during the save", async () => {
    const srv = new FakeServer(), ed = new FakeEditor();
    const sync = new NoteSync("m1", srv, ed, idbDrafts("t1"), fast);
    await sync.open();
    ed.type("!! send the deck", sync);
    await wait(50);
    expect(srv.body).toBe("!! send the deck ^id01");
    expect(ed.doc).toBe("!! send the deck ^id01");
    // Typing on the line while its save is on the way.
    ed.type("\nmore", sync);
    const saving = sync.flush();
    ed.type(" words", sync);
    await saving;
    await wait(80);
    expect(ed.doc).toBe("!! send the deck ^id01\nmore words");
    expect(srv.body).toBe(ed.doc);
    sync.stop();
  });

  it("saves at least every maxWait while typing goes on", async () => {
    const srv = new FakeServer(), ed = new FakeEditor();
    const sync = new NoteSync("m2", srv, ed, idbDrafts("t2"), { idleMs: 40, maxWaitMs: 100, retryMs: 30 });
    await sync.open();
    for (let i = 0; i < 20; i++) {
      ed.type("x", sync);
      await wait(15); // never idle for 40 ms
    }
    expect(srv.saves).toBeGreaterThanOrEqual(2);
    sync.stop();
  });

  it("merges a version saved elsewhere (412) and saves again", async () => {
    const srv = new FakeServer(), ed = new FakeEditor();
    srv.body = "a\nb\nc";
    srv.version = 1;
    const sync = new NoteSync("m3", srv, ed, idbDrafts("t3"), fast);
    await sync.open();
    srv.body = "a\nb\nc changed elsewhere";
    srv.version = 2;
    ed.doc = "a typed here\nb\nc";
    sync.changed();
    await wait(120);
    expect(srv.body).toBe("a typed here\nb\nc changed elsewhere");
    expect(ed.doc).toBe(srv.body);
    sync.stop();
  });

  it("reports the same line changed on both sides as a conflict and saves nothing over it", async () => {
    const srv = new FakeServer(), ed = new FakeEditor();
    srv.body = "one";
    srv.version = 1;
    const statuses: Status[] = [];
    const sync = new NoteSync("m4", srv, ed, idbDrafts("t4"), { ...fast, onStatus: (s) => statuses.push(s) });
    await sync.open();
    srv.body = "one (theirs)";
    srv.version = 2;
    ed.doc = "one (mine)";
    sync.changed();
    await wait(120);
    expect(statuses.at(-1)?.kind).toBe("conflict");
    expect(srv.body).toBe("one (theirs)");
    await sync.resolve("one (mine) and (theirs)");
    await wait(120);
    expect(srv.body).toBe("one (mine) and (theirs)");
    sync.stop();
  });

  it("keeps typing on the device while offline, also across a closed tab, and saves it when back", async () => {
    const srv = new FakeServer(), drafts = idbDrafts("t5");
    srv.body = "agenda";
    srv.version = 1;
    const ed = new FakeEditor();
    const statuses: Status[] = [];
    const sync = new NoteSync("m5", srv, ed, drafts, { ...fast, onStatus: (s) => statuses.push(s) });
    await sync.open();
    ed.end();
    srv.offline = true;
    ed.type("\n!! call the bank", sync);
    ed.type(" today", sync);
    await wait(100);
    const last = statuses.at(-1);
    expect(last?.kind).toBe("offline");
    expect(last && "changes" in last ? last.changes : 0).toBe(2);
    // The tab closes.
    sync.stop();
    const kept = await drafts.get("m5");
    expect(kept?.text).toBe("agenda\n!! call the bank today");
    // Later, the network is back and the note is opened again.
    srv.offline = false;
    const ed2 = new FakeEditor();
    const sync2 = new NoteSync("m5", srv, ed2, drafts, fast);
    await sync2.open();
    await wait(100);
    expect(srv.body).toBe("agenda\n!! call the bank today ^id01");
    expect(ed2.doc).toBe(srv.body);
    expect(await drafts.get("m5")).toBeUndefined();
    sync2.stop();
  });

  it("opens from the device when the server cannot be reached", async () => {
    const srv = new FakeServer(), drafts = idbDrafts("t6");
    await drafts.put("m6", { base: "x", baseVersion: 1, text: "x\ny", changes: 1, updatedAt: 0 });
    srv.offline = true;
    srv.body = "x";
    srv.version = 1;
    const ed = new FakeEditor();
    const sync = new NoteSync("m6", srv, ed, drafts, fast);
    expect(await sync.open()).toBe("x\ny");
    srv.offline = false;
    await wait(120);
    expect(srv.body).toBe("x\ny");
    sync.stop();
  });
});

describe("NoteSync.open", () => {
  it("keeps what was typed while the note loaded", async () => {
    const srv = new FakeServer();
    srv.body = "agenda";
    srv.version = 1;
    const ed = new FakeEditor();
    const sync = new NoteSync("m7", srv, ed, idbDrafts("t7"), fast);
    const opening = sync.open();
    ed.doc = "typed early"; // before the load answers
    await opening;
    expect(ed.doc).toBe("agenda\ntyped early");
    await wait(120);
    expect(srv.body).toBe("agenda\ntyped early");
    sync.stop();
  });
});

describe("a long meeting", () => {
  it("types a note over 100+ saves, the server's block ids folded in each time, and ends with each item once", async () => {
    const srv = new FakeServer(), ed = new FakeEditor();
    const sync = new NoteSync("m8", srv, ed, idbDrafts("t8"), { idleMs: 3, maxWaitMs: 8, retryMs: 5 });
    await sync.open();
    const wanted: string[] = [];
    for (let i = 0; i < 60; i++) {
      const line = i % 3 === 0 ? `!! follow up item ${i} with the team` : `notes about point ${i}`;
      if (line.startsWith("!!")) wanted.push(line);
      ed.type(i ? "\n" : "", sync);
      // A character at a time, sometimes pausing long enough for a save
      // to land in the middle of the line.
      for (const ch of line) {
        ed.type(ch, sync);
        if (Math.random() < 0.08) await wait(6);
      }
    }
    await sync.flush();
    await wait(40);
    await sync.flush();
    expect(srv.saves).toBeGreaterThan(100);
    expect(ed.doc).toBe(srv.body);
    const lines = srv.body.split("\n");
    for (const w of wanted) {
      const hits = lines.filter((l) => l.replace(/ \^id\d+$/, "") === w);
      expect(hits, w).toHaveLength(1);
      expect(hits[0]).toMatch(/ \^id\d+$/);
    }
    // Each id once: no item was given a second one.
    const ids = lines.map((l) => / \^(id\d+)$/.exec(l)?.[1]).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(wanted.length);
    sync.stop();
  });
});
