/* Ostal's service worker (served at /sw.js, scope "/"): rendered by ostal.push.views.
 *
 * - Pages kept for offline reading: the timetable, the homework list and the inbox, each
 *   the last time it was read online (network first: online, the network always answers).
 * - Nothing else is kept but the style sheet, this app's script, an icon and the offline
 *   page. A page that is not kept shows the offline page.
 * - Caches are emptied on request ({type: "ostal:clear"}), which every page read without
 *   a logged-in person sends (the logged-out page, the login page): never another
 *   person's pages after logout. The logout answer also carries Clear-Site-Data: "cache".
 * - Push: shows the title and the child's first name, nothing else is ever sent.
 */
'use strict';
const VERSION = {{ version|safe }};
const PAGES = {{ offline_pages|safe }};
const PRECACHE = {{ precache|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const STATIC_CACHE = VERSION + '-static';
const PAGE_CACHE = VERSION + '-pages';

function clearAll() {
  return caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k !== STATIC_CACHE && k !== PAGE_CACHE).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'ostal:clear') {
    event.waitUntil(clearAll().then(() => {
      if (event.source) event.source.postMessage({type: 'ostal:cleared'});
    }));
  }
});

function keep(request, response) {
  if (!response.ok || response.type !== 'basic' || response.redirected) return;
  const copy = response.clone();
  return caches.open(PAGE_CACHE).then((c) => c.put(request, copy));
}

// A page read from the cache shows the offline banner (base.html renders it hidden).
const BANNER_HIDDEN = '<p id="offline-banner" class="offline-banner" role="status" hidden>';
const BANNER_SHOWN = '<p id="offline-banner" class="offline-banner" role="status">';

function withBanner(response) {
  if (!response || !(response.headers.get('Content-Type') || '').startsWith('text/html')) {
    return response;
  }
  return response.text().then((html) => new Response(html.replace(BANNER_HIDDEN, BANNER_SHOWN), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  }));
}

// Offline: the page itself, else the same page without its query, else a kept page under
// it (a parent's /emploi-du-temps/ answers with /emploi-du-temps/famille/), else the
// offline page.
function fromCache(request, url) {
  return caches.open(PAGE_CACHE).then((c) =>
    c.match(request)
      .then((hit) => hit || c.match(url.pathname))
      .then((hit) => hit || c.keys().then((keys) => {
        const under = keys.find((k) => new URL(k.url).pathname.startsWith(url.pathname));
        return under ? c.match(under) : undefined;
      }))
  ).then((hit) => (hit ? withBanner(hit) : caches.match(OFFLINE_URL)));
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    const kept = PAGES.includes(url.pathname);
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (kept) event.waitUntil(Promise.resolve(keep(request, response)));
          return response;
        })
        .catch(() => (kept ? fromCache(request, url) : caches.match(OFFLINE_URL)))
    );
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(
      fetch(request).catch(() => caches.match(request))
    );
  }
});

self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  const title = typeof data.title === 'string' ? data.title : 'Ostal';
  const options = {lang: 'fr', icon: PRECACHE[3]};
  if (typeof data.child === 'string' && data.child) options.body = 'Pour ' + data.child;
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow('/'));
});
