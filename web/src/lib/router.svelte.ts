// History-API routing: the server answers every client path with the app,
// and links within it change the view without a page load.

export interface Route {
  name: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

const patterns: [string, RegExp][] = [
  ["today", /^\/$/],
  ["meeting", /^\/meetings\/([^/]+)$/],
  ["person", /^\/people\/([^/]+)$/],
  ["org", /^\/organizations\/([^/]+)$/],
  ["series", /^\/series\/([^/]+)$/],
  ["search", /^\/search$/],
  ["items", /^\/action-items$/],
  ["decisions", /^\/decisions$/],
  ["settings", /^\/settings$/],
];

export function match(path: string, search = ""): Route {
  const query = new URLSearchParams(search);
  for (const [name, re] of patterns) {
    const m = re.exec(path);
    if (m) return { name, params: m[1] ? { id: decodeURIComponent(m[1]) } : {}, query };
  }
  return { name: "notfound", params: {}, query };
}

class Router {
  route = $state<Route>(match(location.pathname, location.search));

  constructor() {
    addEventListener("popstate", () => { this.route = match(location.pathname, location.search); });
    // Links inside the app navigate without a page load.
    document.addEventListener("click", (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element).closest?.("a");
      if (!a || a.target || a.hasAttribute("download") || a.origin !== location.origin) return;
      if (a.pathname.startsWith("/api/") || a.pathname.startsWith("/oauth/")) return;
      e.preventDefault();
      this.go(a.pathname + a.search);
    });
  }

  go(to: string, replace = false) {
    const u = new URL(to, location.origin);
    if (replace) history.replaceState(null, "", u.pathname + u.search);
    else history.pushState(null, "", u.pathname + u.search);
    this.route = match(u.pathname, u.search);
    scrollTo(0, 0);
  }
}

export const router = new Router();
