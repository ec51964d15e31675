// Keeps the playground usable offline: the page, its script, styles and the pkjwt wasm core are
// cached on install; requests go to the network first (so edits show up at once) and fall back to
// the cache when the server is gone. The demo server (/as, /demo) is never cached or intercepted.
const CACHE = 'pkjwt-playground-v3';
const FILES = ['/', '/index.html', '/app.js', '/ftn.js', '/dom.js', '/key-worker.js', '/style.css', '/worker.js', '/favicon.svg',
  '/pkg/browser.js', '/pkg/api.js', '/pkg/errors.js', '/pkg/verifier.js', '/pkg/openid.js', '/pkg/wasm/pkjwt.js',
  '/pkg/wasm/pkjwt_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/as') || url.pathname.startsWith('/demo')) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok) {
        const cache = await caches.open(CACHE);
        await cache.put(event.request, response.clone());
      }
      return response;
    } catch (error) {
      const cached = await caches.match(event.request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
