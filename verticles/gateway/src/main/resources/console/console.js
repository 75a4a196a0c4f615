// The operations console: the public API (/api/v1/**) and the event-bus bridge (/eventbus), nothing else.
import { Bus } from './bus.js';

const $ = (selector) => document.querySelector(selector);
const state = { token: null, me: null, bus: null, services: new Map(), rates: [], pendingOrder: null };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  children.forEach((child) => node.append(child));
  return node;
}

async function api(method, path, body, extraHeaders = {}) {
  const headers = { ...extraHeaders };
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.detail || json.title || response.status);
  return json;
}

function prepend(list, text, limit = 30) {
  list.prepend(el('li', {}, text));
  while (list.children.length > limit) list.lastChild.remove();
}

// ---- login

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('#login-error').textContent = '';
  try {
    const login = await api('POST', '/api/v1/auth/login', { email: $('#login-email').value, password: $('#login-password').value });
    state.token = login.token;
    state.me = await api('GET', '/api/v1/users/me');
    await start();
  } catch (error) {
    state.token = null;
    $('#login-error').textContent = 'Login failed: ' + error.message;
  }
});

async function start() {
  $('#login-panel').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = state.me.email + (isAdmin() ? ' (admin)' : '');
  state.bus = await new Bus(location.origin.replace(/^http/, 'ws') + '/eventbus/websocket').connect();
  state.bus.onclose = () => { $('#bus-state').textContent = 'disconnected: reload to reconnect'; };
  await state.bus.register('notifications.' + state.me.id, state.token, onNotification);
  await loadProducts();
  if (isAdmin()) {
    $('#ops').hidden = false;
    $('#flow').hidden = false;
    await state.bus.register('ops.events', state.token, onOpsEvent);
    $('#bus-state').textContent = 'live';
    await refreshServices();
    setInterval(refreshServices, 5000);
  }
}

const isAdmin = () => state.me && state.me.roles.includes('admin');

// ---- services, instances, breakers

async function refreshServices() {
  try {
    const view = await api('GET', '/api/v1/admin/services');
    state.services = new Map(view.services.map((service) => [service.name, service]));
    renderServices();
  } catch (error) {
    $('#bus-state').textContent = 'services unavailable: ' + error.message;
  }
}

function renderServices() {
  const body = $('#services tbody');
  body.replaceChildren();
  [...state.services.values()].sort((a, b) => a.name.localeCompare(b.name)).forEach((service) => {
    const instances = el('td');
    service.instances.forEach((instance) => instances.append(el('span', {
      class: 'instance health-' + (instance.health || 'UP'), 'data-instance': instance.instanceId, 'data-pid': String(instance.pid || ''),
    }, `${instance.instanceId} ${instance.host}:${instance.port} pid ${instance.pid ?? '?'} ${instance.health || 'UP'} ${instance.breaker || ''}`)));
    body.append(el('tr', { 'data-service': service.name, 'data-instances': String(service.instances.length) },
      el('td', {}, service.name), el('td', { class: 'state-' + service.breaker }, service.breaker), instances));
  });
}

function onOpsEvent(event) {
  switch (event.type) {
    case 'instance': {
      const service = state.services.get(event.service) || { name: event.service, breaker: 'CLOSED', instances: [] };
      service.instances = service.instances.filter((instance) => instance.instanceId !== event.instanceId);
      if (event.change === 'up') {
        service.instances.push({ instanceId: event.instanceId, host: event.host, port: event.port, health: 'UP' });
      }
      if (service.instances.length) state.services.set(event.service, service); else state.services.delete(event.service);
      renderServices();
      prepend($('#events'), `${time(event.at)} ${event.service} ${event.instanceId} ${event.change}`);
      break;
    }
    case 'breaker': {
      const [serviceName] = event.name.split('@');
      const service = state.services.get(serviceName);
      if (service && serviceName === event.name) service.breaker = event.state;
      if (service) service.instances.filter((i) => event.name === serviceName + '@' + i.instanceId).forEach((i) => { i.breaker = event.state; });
      renderServices();
      prepend($('#events'), `${time(event.at)} breaker ${event.name} ${event.state}`);
      break;
    }
    case 'order':
      prepend($('#settling'), `${time(event.at)} ${event.orderId.substring(0, 8)} ${event.status}`, 20);
      break;
    case 'rates':
      state.rates.push(event);
      if (state.rates.length > 60) state.rates.shift();
      $('#rates-now').textContent = `now: ${event.placed} placed, ${event.confirmed} confirmed, ${event.cancelled} cancelled per second`;
      drawRates();
      break;
    default:
  }
}

function drawRates() {
  const svg = $('#rates');
  const max = Math.max(1, ...state.rates.map((r) => Math.max(r.placed, r.confirmed, r.cancelled)));
  const line = (field, color) => {
    const points = state.rates.map((r, i) => `${(i * 600) / 59},${115 - (r[field] * 105) / max}`).join(' ');
    const polyline = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    polyline.setAttribute('points', points);
    polyline.setAttribute('fill', 'none');
    polyline.setAttribute('stroke', color);
    polyline.setAttribute('stroke-width', '2');
    return polyline;
  };
  svg.replaceChildren(line('placed', '#0969da'), line('confirmed', '#1a7f37'), line('cancelled', '#cf222e'));
}

const time = (at) => (at ? new Date(at).toLocaleTimeString() : '');

// ---- demo shop

async function loadProducts() {
  const page = await api('GET', '/api/v1/products?size=50');
  $('#shop-product').replaceChildren(...page.items.map((product) => el('option', { value: product.id },
    `${product.name} (${(product.priceCents / 100).toFixed(2)} ${product.currency})`)));
}

$('#shop-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('#shop-status');
  status.className = '';
  try {
    const order = await api('POST', '/api/v1/orders', {
      items: [{ productId: $('#shop-product').value, quantity: Number($('#shop-quantity').value) }],
      payment: { token: $('#shop-card').value },
    }, { 'Idempotency-Key': idempotencyKey() });
    state.pendingOrder = order.id;
    status.dataset.orderId = order.id;
    status.textContent = `Order ${order.id.substring(0, 8)} PENDING: waiting for its notification…`;
    status.className = 'PENDING';
  } catch (error) {
    status.textContent = 'Order refused: ' + error.message;
  }
});

// crypto.randomUUID exists only in secure contexts (https, localhost): a random key either way
function idempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function onNotification(notification) {
  prepend($('#notifications'), `${time(notification.createdAt)} ${notification.kind}: ${notification.text}`);
  if (notification.orderId && notification.orderId === state.pendingOrder) {
    const outcome = notification.kind === 'ORDER_CONFIRMED' ? 'CONFIRMED' : 'CANCELLED';
    const status = $('#shop-status');
    status.textContent = `Order ${notification.orderId.substring(0, 8)} ${outcome}: ${notification.text}`;
    status.className = outcome;
  }
}
