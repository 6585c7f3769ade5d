/* Ostal as an installable app: registers the service worker, shows the offline banner,
 * empties the offline caches on every page read without a logged-in person (after logout),
 * and, on the "Mes appareils" page, subscribes this browser to push notifications. */
(function () {
  'use strict';
  var script = document.getElementById('ostal-pwa');
  if (!script) return;
  var anonymous = script.getAttribute('data-anonymous') === '1';

  function clearCaches() {
    if (!('caches' in window)) return Promise.resolve();
    return caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) { return caches.delete(k); }));
    });
  }

  if (anonymous) {
    clearCaches();
    if ('serviceWorker' in navigator && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: 'ostal:clear'});
    }
  } else if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(script.getAttribute('data-sw'), {scope: '/'})
      .catch(function () { /* no offline reading: the site works as before */ });
  }

  var banner = document.getElementById('offline-banner');
  // The service worker shows the banner on a page it serves from its cache; the browser's
  // own connectivity events show and hide it while a page is open.
  window.addEventListener('online', function () { if (banner) banner.hidden = true; });
  window.addEventListener('offline', function () { if (banner) banner.hidden = false; });
  if (banner && !navigator.onLine) banner.hidden = false;

  var button = document.getElementById('push-subscribe');
  if (!button) return;
  var status = document.getElementById('push-status');
  function say(text) { if (status) status.textContent = text; }
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
    button.disabled = true;
    say('Ce navigateur ne reçoit pas les notifications push.');
    return;
  }
  function key(b64) {
    var pad = '='.repeat((4 - b64.length % 4) % 4);
    var raw = atob((b64 + pad).replace(/-/g, '+').replace(/_/g, '/'));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  button.addEventListener('click', function () {
    say('Demande d’autorisation…');
    Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') throw new Error('refused');
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      return reg.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: key(button.getAttribute('data-key'))
      });
    }).then(function (sub) {
      var data = sub.toJSON();
      var label = document.getElementById('push-label');
      return fetch(button.getAttribute('data-api'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': button.getAttribute('data-csrf')},
        body: JSON.stringify({endpoint: data.endpoint, keys: data.keys, label: label ? label.value : ''})
      });
    }).then(function (response) {
      if (!response.ok) throw new Error('server');
      window.location.reload();
    }).catch(function (error) {
      say(error && error.message === 'refused'
        ? 'Notifications refusées : autorisez-les dans les réglages du navigateur.'
        : 'L’abonnement a échoué ; réessayez plus tard.');
    });
  });
})();
