// Three-way merge of a note by lines: what I typed since the version I
// started from (base), and what the server holds now (theirs: another tab,
// a line ticked through the API, the block ids the server adds). Lines
// changed on one side only are taken from that side; the same change on
// both is taken once; different changes to the same lines are a conflict
// the person chooses in — except when the server only added a block id
// (` ^k3x9`) to a line I went on typing in, which keeps my words and the
// id. Nothing typed is ever dropped.

export interface Conflict {
  base: string[];
  mine: string[];
  theirs: string[];
}

/** A merged note: text and conflicts in order, interleaved as chunks. */
export type Chunk = { text: string[] } | { conflict: Conflict };

export interface Merged {
  chunks: Chunk[];
  clean: boolean;
}

/** diff finds the longest common subsequence of a and b (Myers, O((N+M)D)):
 * pairs [i, j] of matching lines, in order. */
export function diff(a: string[], b: string[]): [number, number][] {
  // Common prefix and suffix first: edits are usually few and local.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length, endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const pairs: [number, number][] = [];
  for (let i = 0; i < start; i++) pairs.push([i, i]);
  pairs.push(...myers(a, b, start, endA, start, endB));
  for (let i = 0; endA + i < a.length; i++) pairs.push([endA + i, endB + i]);
  return pairs;
}

function myers(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number): [number, number][] {
  const n = a1 - a0, m = b1 - b0;
  if (n === 0 || m === 0) return [];
  const max = n + m;
  const off = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const nv = v;
    for (let k = -d; k <= d; k += 2) {
      let x = (k === -d || (k !== d && nv[off + k - 1] < nv[off + k + 1])) ? nv[off + k + 1] : nv[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) { x++; y++; }
      nv[off + k] = x;
      if (x >= n && y >= m) { found = true; break; }
    }
    v = nv;
  }
  trace.push(v.slice());
  // Walk back through the trace to the matches.
  const pairs: [number, number][] = [];
  let x = n, y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const tv = trace[d];
    const k = x - y;
    const prevK = (k === -d || (k !== d && tv[off + k - 1] < tv[off + k + 1])) ? k + 1 : k - 1;
    const prevX = tv[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { x--; y--; pairs.push([a0 + x, b0 + y]); }
    if (d > 0) { x = prevX; y = prevY; }
  }
  return pairs.reverse();
}

const blockID = / \^[a-z0-9]{4,12}$/;

/** withoutID is a line without the block id the server appends. */
export function withoutID(line: string): string { return line.replace(blockID, ""); }

/** A hunk replaces base lines [from, to) with lines. */
interface Hunk { from: number; to: number; lines: string[] }

// hunks are the changes that turn o into x.
function hunks(o: string[], x: string[]): Hunk[] {
  const out: Hunk[] = [];
  let po = 0, px = 0;
  for (const [i, j] of [...diff(o, x), [o.length, x.length] as [number, number]]) {
    if (i > po || j > px) out.push({ from: po, to: i, lines: x.slice(px, j) });
    po = i + 1; px = j + 1;
  }
  return out;
}

/** merge3 merges mine and theirs, both edited from base. Changes to
 * different lines — adjacent ones too — are both taken; only changes that
 * touch the same base lines (or insert at the same place) can conflict. */
export function merge3(base: string, mine: string, theirs: string): Merged {
  if (mine === theirs) return { chunks: [{ text: split(mine) }], clean: true };
  if (mine === base) return { chunks: [{ text: split(theirs) }], clean: true };
  if (theirs === base) return { chunks: [{ text: split(mine) }], clean: true };
  const O = split(base), A = split(mine), B = split(theirs);
  const all = [...hunks(O, A).map((h) => ({ ...h, side: 0 })), ...hunks(O, B).map((h) => ({ ...h, side: 1 }))]
    .sort((x, y) => x.from - y.from || x.to - y.to);
  const chunks: Chunk[] = [];
  let clean = true;
  const emit = (lines: string[]) => {
    if (lines.length === 0) return;
    const last = chunks[chunks.length - 1];
    if (last && "text" in last) last.text.push(...lines);
    else chunks.push({ text: [...lines] });
  };
  let at = 0;
  for (let k = 0; k < all.length;) {
    // A cluster: hunks that touch the same base lines, or start together.
    let from = all[k].from, to = all[k].to;
    const cluster = [all[k++]];
    while (k < all.length && (all[k].from < to || all[k].from === from || (all[k].from === to && all[k].to === to && cluster.some((h) => h.to === to && h.from === to)))) {
      to = Math.max(to, all[k].to);
      cluster.push(all[k++]);
    }
    emit(O.slice(at, from));
    const version = (side: number) => {
      const out: string[] = [];
      let p = from;
      for (const h of cluster.filter((h) => h.side === side)) {
        out.push(...O.slice(p, h.from), ...h.lines);
        p = h.to;
      }
      out.push(...O.slice(p, to));
      return out;
    };
    const o = O.slice(from, to), a = version(0), b = version(1);
    const merged = resolve(o, a, b);
    if (merged) emit(merged);
    else { clean = false; chunks.push({ conflict: { base: o, mine: a, theirs: b } }); }
    at = to;
  }
  emit(O.slice(at));
  if (chunks.length === 0) chunks.push({ text: [] });
  return { chunks, clean };
}

// resolve merges one region both sides changed, or returns null for a
// conflict.
function resolve(o: string[], a: string[], b: string[]): string[] | null {
  if (same(a, b)) return a;
  if (same(o, a)) return b;
  if (same(o, b)) return a;
  // The server only added block ids to lines I went on editing: my words,
  // with each id on the line that grew from the one it was given to.
  const ids = idsAdded(o, b);
  if (ids) return withIDs(o, a, ids);
  const mineIDs = idsAdded(o, a);
  if (mineIDs) return withIDs(o, b, mineIDs);
  return null;
}

// idsAdded: when x is o with block ids added to some lines (nothing else),
// the base line index of each and its id suffix; else null.
function idsAdded(o: string[], x: string[]): Map<number, string> | null {
  if (o.length !== x.length) return null;
  const ids = new Map<number, string>();
  for (let i = 0; i < o.length; i++) {
    if (x[i] === o[i]) continue;
    if (withoutID(x[i]) !== o[i] || blockID.test(o[i])) return null;
    ids.set(i, x[i].slice(o[i].length));
  }
  return ids.size > 0 ? ids : null;
}

// withIDs puts ids on the lines of a that grew from the base lines o they
// were given to: the line that keeps most of the base line's start.
function withIDs(o: string[], a: string[], ids: Map<number, string>): string[] {
  const out = [...a];
  const used = new Set<number>();
  for (const [i, id] of ids) {
    let best = -1, bestLen = -1;
    for (let j = 0; j < out.length; j++) {
      if (used.has(j) || blockID.test(out[j])) continue;
      const n = prefixLen(out[j], o[i]);
      if (n > bestLen) { best = j; bestLen = n; }
    }
    // A line that shares nothing with it: the one at the same place.
    if (best >= 0 && bestLen < Math.min(4, o[i].length) && i < out.length && !used.has(i) && !blockID.test(out[i])) best = i;
    if (best >= 0) {
      used.add(best);
      out[best] += id;
    }
  }
  return out;
}

function prefixLen(x: string, y: string): number {
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

function same(x: string[], y: string[]): boolean {
  return x.length === y.length && x.every((l, i) => l === y[i]);
}

function split(s: string): string[] { return s.split("\n"); }

/** text joins a clean merge, or a conflicted one with each conflict
 * resolved by pick (which defaults to keeping both, mine first). */
export function text(m: Merged, pick: (c: Conflict, i: number) => string[] = (c) => [...c.mine, ...c.theirs]): string {
  const out: string[] = [];
  let n = 0;
  for (const ch of m.chunks) {
    if ("text" in ch) out.push(...ch.text);
    else out.push(...pick(ch.conflict, n++));
  }
  return out.join("\n");
}
