import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The bundle is built into dist/ and embedded in the Go binary (web/embed.go).
// Everything is served from this origin: no asset comes from elsewhere, and
// no script runs inline (the server's Content-Security-Policy forbids it).
export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    sourcemap: false,
    // One script and one stylesheet: the first page needs all of it.
    modulePreload: false,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080", "/oauth": "http://127.0.0.1:8080" },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
