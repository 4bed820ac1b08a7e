// Node's 'events' for the browser bundles: the little of EventEmitter that
// @vscode/debugadapter's ProtocolServer and our session use (on, once, emit, removeListener,
// removeAllListeners).
class EventEmitter {
  constructor() {
    this._listeners = new Map();
  }
  on(name, fn) {
    const list = this._listeners.get(name) ?? [];
    list.push(fn);
    this._listeners.set(name, list);
    return this;
  }
  addListener(name, fn) {
    return this.on(name, fn);
  }
  once(name, fn) {
    const wrapped = (...args) => {
      this.removeListener(name, wrapped);
      fn(...args);
    };
    return this.on(name, wrapped);
  }
  removeListener(name, fn) {
    const list = this._listeners.get(name);
    if (list) this._listeners.set(name, list.filter((f) => f !== fn));
    return this;
  }
  off(name, fn) {
    return this.removeListener(name, fn);
  }
  removeAllListeners(name) {
    if (name === undefined) this._listeners.clear();
    else this._listeners.delete(name);
    return this;
  }
  listenerCount(name) {
    return (this._listeners.get(name) ?? []).length;
  }
  emit(name, ...args) {
    const list = this._listeners.get(name);
    if (!list || list.length === 0) return false;
    for (const fn of [...list]) fn(...args);
    return true;
  }
}
module.exports = { EventEmitter };
