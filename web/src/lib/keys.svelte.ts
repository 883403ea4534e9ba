// Keyboard shortcuts: the app handles the global ones (/, ?, g t…), and a
// page registers its own (Today's m, v, j, k, Enter) while it is shown.

type Handler = (e: KeyboardEvent) => boolean;

class Shortcuts {
  help = $state(false);
  focusSearch = $state(false);
  pendingG = false;
  private handlers: Handler[] = [];

  /** use registers a page's handler; it returns the unregister. */
  use(h: Handler): () => void {
    this.handlers.push(h);
    return () => { this.handlers = this.handlers.filter((x) => x !== h); };
  }

  dispatch(e: KeyboardEvent) {
    for (const h of [...this.handlers].reverse()) {
      if (h(e)) { e.preventDefault(); return; }
    }
  }
}

export const shortcuts = new Shortcuts();

/** The shortcuts, as the help lists them. */
export const keyList: [string, string][] = [
  ["m", "open the next (or current) meeting"],
  ["v", "join the next meeting's video call"],
  ["j / k", "move down / up a list"],
  ["Enter", "open what is selected"],
  ["/", "search"],
  ["g t", "go to Today"],
  ["g a", "go to Action items"],
  ["g d", "go to Decisions"],
  ["g s", "go to Settings"],
  ["?", "show or hide these shortcuts"],
  ["Esc", "close a dialog"],
];
