// The lab driven by the page it is embedded in, through postMessage
// (web/EMBED.md): the parent sets settings, plays, pauses, steps, resets,
// selects a neuron or a weight and asks for the state; the lab tells it when
// it is ready, when an epoch or a phase has run, when training diverged and
// when something was refused. Only messages of the documented shape from the
// parent frame (and, with parentOrigin=, from that origin only) are acted on;
// nothing in a message ever becomes markup: settings go through the same
// parser as the URL, everything else is a name from a fixed list.

export const PROTOCOL = 'backprop-lab';
export const VERSION = 1;
const COMMANDS = ['set', 'play', 'pause', 'step', 'reset', 'select', 'getState'];
const UNITS = ['phase', 'batch', 'epoch'];
const MAX_STEPS = 1000;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isIndex = (v) => Number.isInteger(v) && v >= 0 && v < 64;

/** Why a message is not one of the protocol's commands (null when it is). */
export function checkCommand(data) {
  if (!isObject(data) || data.protocol !== PROTOCOL) return 'not a Backprop Lab message';
  if (!COMMANDS.includes(data.command)) return `unknown command; allowed: ${COMMANDS.join(', ')}`;
  if (data.id !== undefined && !(typeof data.id === 'string' && data.id.length <= 64) && !Number.isSafeInteger(data.id)) {
    return 'id must be a string of up to 64 characters or a whole number';
  }
  switch (data.command) {
    case 'set':
      if (!isObject(data.settings)) return 'settings must be an object of URL keys and values';
      if (Object.values(data.settings).some((v) => !['string', 'number', 'boolean'].includes(typeof v) && !Array.isArray(v))) {
        return 'settings values must be strings, numbers, booleans or arrays, as the URL writes them';
      }
      return null;
    case 'step':
      if (data.unit !== undefined && !UNITS.includes(data.unit)) return `unit must be one of ${UNITS.join(', ')}`;
      if (data.count !== undefined && !(Number.isInteger(data.count) && data.count >= 1 && data.count <= MAX_STEPS)) return `count must be a whole number from 1 to ${MAX_STEPS}`;
      return null;
    case 'select': {
      const { neuron, weight } = data;
      if (neuron === null || (neuron === undefined && weight === undefined) || weight === null) return null;
      if (neuron !== undefined) return isObject(neuron) && isIndex(neuron.layer) && neuron.layer >= 1 && isIndex(neuron.unit) ? null : 'neuron must be { layer (1 = first hidden layer), unit }';
      return isObject(weight) && isIndex(weight.layer) && isIndex(weight.to) && isIndex(weight.from) ? null : 'weight must be { layer (0 = from the inputs), to, from }';
    }
    default:
      return null;
  }
}

/** A setting's value as URL text: what the page's URL parser reads. */
function urlText(value) {
  return Array.isArray(value) ? value.join(',') : String(value);
}

export class EmbedChannel {
  #page;
  #origin;
  #lastEpoch = null;

  /**
   * page: { state(), settingsText(extra) → { changes, ignored } (the URL parser on the current
   * settings plus extra text), update(changes), controller, version, frame() (the step frame mode
   * drew last, or null) }.
   */
  constructor(page) {
    this.#page = page;
    this.#origin = page.state().parentOrigin;
    window.addEventListener('message', (event) => this.#receive(event));
  }

  /** Whether the lab runs inside another page, which can then drive it. */
  get active() {
    return window.parent !== window;
  }

  #post(type, body = {}) {
    if (!this.active) return;
    try {
      window.parent.postMessage({ protocol: PROTOCOL, version: VERSION, type, ...body }, this.#origin ?? '*');
    } catch {
      // A parent of another origin than parentOrigin: the browser refuses, as it should.
    }
  }

  ready() {
    this.#post('ready', { lab: this.#page.version, settings: this.#settings() });
  }

  /** After every recorded step: an epoch event when the epoch count moved. */
  recorded(metrics) {
    if (metrics.epoch === this.#lastEpoch) return;
    this.#lastEpoch = metrics.epoch;
    this.#post('epoch', metrics);
  }

  /** After every frame-mode step: the phase and the selected neuron's Upstream × Local = Downstream. */
  stepped(frame) {
    if (!frame?.last) return;
    const { last, focus, samples, traces } = frame;
    const body = { phase: last.phase, layer: last.layer, neuron: null };
    if (focus && samples[focus.column - 1] && traces[focus.column - 1].forwardDone) {
      const s = samples[focus.column - 1];
      const u = focus.unit;
      body.neuron = { layer: focus.column, unit: u, z: s.z[u], a: s.a[u] };
      if (traces[focus.column - 1].backwardDone) Object.assign(body.neuron, { upstream: s.upstream[u], local: s.local[u], downstream: s.downstream[u] });
    }
    this.#post('phase', body);
  }

  /** An engine error the page showed (training has paused); diverged gets its own event. */
  failed(err) {
    const code = typeof err?.code === 'string' ? err.code : 'internal';
    this.#post(code === 'diverged' ? 'diverged' : 'error', { code, message: String(err?.message ?? err) });
  }

  #settings() {
    return this.#page.settingsText();
  }

  #receive(event) {
    if (event.source !== window.parent || window.parent === window) return;
    if (this.#origin && event.origin !== this.#origin) return;
    const problem = checkCommand(event.data);
    if (problem === 'not a Backprop Lab message') return;
    const id = event.data?.id;
    if (problem) {
      this.#post('error', { id, code: 'invalid_message', message: problem });
      return;
    }
    try {
      this.#run(event.data);
    } catch (err) {
      this.#post('error', { id, code: err?.code ?? 'internal', message: String(err?.message ?? err) });
    }
  }

  #run(command) {
    const { controller } = this.#page;
    const id = command.id;
    switch (command.command) {
      case 'set': {
        const text = Object.entries(command.settings).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(urlText(value))}`).join('&');
        const { changes, ignored } = this.#page.parse(text);
        this.#page.update(changes);
        if (ignored.length) this.#post('error', { id, code: 'ignored_settings', message: ignored.map((i) => `${i.key}: ${i.reason}`).join('; '), ignored });
        break;
      }
      case 'play': controller.play(); break;
      case 'pause': controller.pause(); break;
      case 'reset': controller.reset(); break;
      case 'step': {
        const unit = command.unit ?? 'phase';
        const count = command.count ?? 1;
        for (let k = 0; k < count; k++) controller.stepBy(unit);
        break;
      }
      case 'select': {
        const { neuron, weight } = command;
        if (neuron) controller.select({ kind: 'neuron', column: neuron.layer, unit: neuron.unit });
        else if (weight) controller.select({ kind: 'weight', layer: weight.layer, to: weight.to, from: weight.from });
        else controller.select(null);
        break;
      }
      default: break;
    }
    this.#post('state', { id, settings: this.#settings(), ...controller.metrics(), playing: controller.playing });
  }
}
