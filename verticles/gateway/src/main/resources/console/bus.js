// A minimal client of the gateway's event-bus bridge over its raw WebSocket endpoint
// (/eventbus/websocket: one bridge frame per message). It only listens: register, receive, ping.
export class Bus {
  constructor(url) {
    this.url = url;
    this.handlers = new Map();
    this.pending = new Map();
    this.onclose = () => {};
  }

  connect() {
    return new Promise((resolve, reject) => {
      this.socket = new WebSocket(this.url);
      this.socket.binaryType = 'arraybuffer'; // the bridge writes binary messages, the guard text ones
      this.socket.onopen = () => {
        this.pinger = setInterval(() => this.send({ type: 'ping' }), 5000);
        resolve(this);
      };
      this.socket.onerror = () => reject(new Error('the event bus is unreachable'));
      this.socket.onclose = () => {
        clearInterval(this.pinger);
        this.pending.forEach(({ reject: fail }) => fail(new Error('connection closed')));
        this.pending.clear();
        this.onclose();
      };
      this.socket.onmessage = (message) => this.receive(JSON.parse(
        typeof message.data === 'string' ? message.data : new TextDecoder().decode(message.data)));
    });
  }

  // Resolves once the gateway acknowledged the registration; rejects with its refusal.
  register(address, token, handler) {
    this.handlers.set(address, handler);
    return new Promise((resolve, reject) => {
      this.pending.set(address, { resolve, reject });
      this.send({ type: 'register', address, headers: { Authorization: 'Bearer ' + token } });
    });
  }

  receive(frame) {
    const waiting = this.pending.get(frame.address);
    if (frame.type === 'registered' && waiting) {
      this.pending.delete(frame.address);
      waiting.resolve();
    } else if (frame.type === 'err' && waiting) {
      this.pending.delete(frame.address);
      this.handlers.delete(frame.address);
      waiting.reject(new Error(frame.message || frame.body));
    } else if (frame.type === 'rec' && this.handlers.has(frame.address)) {
      this.handlers.get(frame.address)(frame.body);
    }
  }

  send(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
    }
  }

  close() {
    if (this.socket) {
      this.socket.close();
    }
  }
}
