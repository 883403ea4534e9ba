// The note API (GET/PUT …/note with If-Match) as NoteSync's server.
import { ApiError, get, request, type SavedNote, type SaveWarning, type Note } from "./api";
import type { NoteServer } from "./notesync";

/** noteServer reads and saves one note; a subject without a note yet starts
 * from starter (its series' agenda template). */
export function noteServer(path: string, onUnresolved?: (m: string[]) => void, onWarnings?: (w: SaveWarning[]) => void, starter = ""): NoteServer {
  return {
    async load() {
      try {
        const n = await get<Note>(path);
        return { body: n.body, version: n.version };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && e.message.includes("has none yet")) return { body: starter, version: 0 };
        throw e;
      }
    },
    async save(body, version) {
      const headers: Record<string, string> = version > 0 ? { "If-Match": `"${version}"` } : { "If-None-Match": "*" };
      const r = await request<SavedNote>("PUT", path, { body }, headers);
      onUnresolved?.(r.data.unresolved_mentions);
      onWarnings?.(r.data.warnings ?? []);
      return { body: r.data.body, version: r.data.version };
    },
  };
}
