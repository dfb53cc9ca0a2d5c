// The page's static server: `www/` at `/`, the built package `pkg/` at `/pkg/`, every response
// with a Content-Security-Policy that allows no other origin. Used by `make demo` and the tests.
//
//   node www/serve.mjs [--port 8080] [--host 127.0.0.1]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = resolve(fileURLToPath(new URL('.', import.meta.url)));
const ROOT = resolve(WWW, '..');

/** The policy: own origin only; wasm compilation allowed; no inline script, no eval. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Mount points: URL prefix → folder. The longest prefix wins. */
const MOUNTS = [
  // The app's sources are served straight from www/ui (make pkg copies them into pkg/ui).
  ['/pkg/ui/', join(WWW, 'ui')],
  ['/pkg/vendor/', join(WWW, 'node_modules/echarts/dist')],
  ['/pkg/', join(ROOT, 'pkg')],
  // make bench: the DuckDB-WASM comparison page, bundled by Vite.
  ['/bench-compare/', join(WWW, 'bench/compare/dist')],
  ['/', WWW],
];

/** Folders under www/ that are never served. */
const PRIVATE = ['/node_modules/', '/e2e/', '/test-results/', '/bench/'];

/**
 * Maps a URL path to a file inside its mount, or null (outside, private or malformed).
 * @param {string} pathname
 */
function fileFor(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (PRIVATE.some((p) => path.startsWith(p))) return null;
  for (const [prefix, dir] of MOUNTS) {
    if (!path.startsWith(prefix)) continue;
    const rel = normalize(path.slice(prefix.length));
    const file = resolve(dir, '.' + sep + rel);
    if (file !== dir && !file.startsWith(dir + sep)) return null;
    return file;
  }
  return null;
}

/** Creates the server (not yet listening). */
export function createStaticServer() {
  return createServer(async (req, res) => {
    const headers = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = fileFor(url.pathname);
    try {
      if (file && (await stat(file)).isDirectory()) file = join(file, 'index.html');
      if (!file) throw new Error('not found');
      const body = await readFile(file);
      const type = TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    }
  });
}

/** Starts the server; resolves to its base URL (`port: 0` picks a free port). */
export function serve({ port = 8080, host = '127.0.0.1' } = {}) {
  const server = createStaticServer();
  return new Promise((resolveUrl, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      resolveUrl({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (/** @type {string} */ name, /** @type {string} */ fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await serve({ port: Number(arg('port', '8080')), host: arg('host', '127.0.0.1') });
  console.log(`audience-lab: serving ${url} (Ctrl-C to stop)`);
}
