import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Static files for `/`; in development `vite` proxies the rest to a running `make dev`.
const stack = process.env.DASHBOARD_DEV_STACK ?? "http://localhost:8080";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    proxy: Object.fromEntries(
      ["/api", "/auth", "/oauth2", "/kratos", "/.well-known"].map((path) => [path, stack]),
    ),
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
  },
});
