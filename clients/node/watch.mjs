#!/usr/bin/env node
// Logs in to Bazaar, places nothing, and prints the user's notifications as they arrive, through
// the gateway's event-bus bridge (SockJS at /eventbus, the official Vert.x client).
//
//   BAZAAR_EMAIL=ann@example.com BAZAAR_PASSWORD=correct-horse node clients/node/watch.mjs
//
// Environment: BAZAAR_URL (default http://127.0.0.1:8080), BAZAAR_EMAIL, BAZAAR_PASSWORD;
// BAZAAR_WATCH_COUNT stops after that many notifications, BAZAAR_WATCH_SECONDS after that long
// (default: until interrupted). One JSON object per line on stdout: {"event":"registered",...}
// once the gateway acknowledged the registration, then {"event":"notification",...} per
// notification. Refusals and failures go to stderr, with exit status 1.
import EventBus from '@vertx/eventbus-bridge-client.js';

const base = (process.env.BAZAAR_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const email = process.env.BAZAAR_EMAIL;
const password = process.env.BAZAAR_PASSWORD;
const count = Number(process.env.BAZAAR_WATCH_COUNT || 0);
const seconds = Number(process.env.BAZAAR_WATCH_SECONDS || 0);

function fail(message) {
  console.error('watch: ' + message);
  process.exit(1);
}

async function api(method, path, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(base + path, { method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(15000) })
    .catch((error) => fail(`cannot reach ${base}: ${error.cause?.message || error.message}`));
  const json = await response.json().catch(() => ({}));
  if (!response.ok) fail(`${method} ${path}: ${response.status} ${json.detail || ''}`);
  return json;
}

if (!email || !password) fail('set BAZAAR_EMAIL and BAZAAR_PASSWORD');
const { token } = await api('POST', '/api/v1/auth/login', null, { email, password });
const me = await api('GET', '/api/v1/users/me', token);
const address = 'notifications.' + me.id;

const bus = new EventBus(base + '/eventbus', { vertxbus_ping_interval: 5000 });
let received = 0;
bus.onerror = (error) => fail('bridge error: ' + JSON.stringify(error));
bus.onclose = () => fail('the gateway closed the connection');
bus.onopen = () => {
  bus.registerHandler(address, { Authorization: 'Bearer ' + token }, (error, message) => {
    if (error) fail(`registration refused: ${error.failureCode} ${error.message}`);
    if (message.type === 'registered') {
      console.log(JSON.stringify({ event: 'registered', address, email: me.email }));
    } else if (message.type === 'rec') {
      console.log(JSON.stringify({ event: 'notification', receivedAt: new Date().toISOString(), ...message.body }));
      if (count > 0 && ++received >= count) {
        bus.onclose = null;
        bus.close();
        process.exit(0);
      }
    }
  });
};
if (seconds > 0) {
  setTimeout(() => {
    bus.onclose = null;
    bus.close();
    process.exit(0);
  }, seconds * 1000);
}
