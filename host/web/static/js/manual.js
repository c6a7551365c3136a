// Manual mode: a preset and all eleven VTracer parameters as labelled
// controls built from GET /v1/parameters, re-converting (debounced by the
// caller) as they change, with the API's validation messages shown next to
// the parameter they name.

import {h, byId} from './dom.js';

/** Manual controls for spec (a /v1/parameters response); onChange() runs on every edit. */
export function createManual(spec, onChange) {
  const preset = byId('preset');
  const general = byId('manual-error');
  const controls = new Map(); // name → {get(), set(v), field, error}
  preset.append(h('option', {value: ''}, 'VTracer defaults'),
    ...spec.presets.map((p) => h('option', {value: p.name}, `${p.name}: ${p.description}`)));
  preset.onchange = () => {
    set(preset.value ? spec.presets.find((p) => p.name === preset.value).params : spec.defaults, preset.value);
    onChange();
  };
  const fields = byId('fields');
  for (const p of spec.parameters) {
    const c = p.type === 'string' ? choice(p) : number(p);
    c.error = h('p', {id: `p-${p.name}-error`, class: 'field-error', hidden: true});
    c.field.querySelector('.control').setAttribute('aria-describedby', `p-${p.name}-about p-${p.name}-error`);
    c.field.append(h('p', {id: `p-${p.name}-about`, class: 'about'}, p.description), c.error);
    fields.append(c.field);
    controls.set(p.name, c);
  }
  fields.addEventListener('input', () => { clearErrors(); onChange(); });

  function choice(p) {
    const sel = h('select', {id: `p-${p.name}`, class: 'control'}, ...p.values.map((v) => h('option', {value: v}, v)));
    return {field: h('div', {class: 'field'}, h('label', {for: sel.id}, p.name), sel), get: () => sel.value, set: (v) => { sel.value = v; }};
  }

  function number(p) {
    const step = p.type === 'integer' ? 1 : 0.1;
    const box = h('input', {type: 'number', id: `p-${p.name}`, class: 'control', min: p.minimum, max: p.maximum, step});
    const range = h('input', {type: 'range', min: p.minimum, max: p.maximum, step, 'aria-label': `${p.name} slider`,
      oninput: () => { box.value = range.value; }});
    box.addEventListener('input', () => { range.value = box.value; });
    const unit = p.unit ? h('span', {class: 'unit'}, p.unit) : null;
    return {field: h('div', {class: 'field'}, h('label', {for: box.id}, p.name), range, box, unit),
      // As typed: the API, not the page, says what is wrong with a value.
      get: () => (box.value.trim() === '' ? box.value : Number(box.value)),
      set: (v) => { box.value = v; range.value = v; }};
  }

  /** Shows params (all eleven) and the preset they start from ('' for VTracer's defaults). */
  function set(params, presetName = '') {
    clearErrors();
    preset.value = presetName;
    for (const [name, c] of controls) c.set(params[name]);
  }

  /** The preset and the parameters as the controls hold them. */
  const values = () => ({preset: preset.value, params: Object.fromEntries([...controls].map(([n, c]) => [n, c.get()]))});

  /** Shows an API error beside the parameter its message names, else above the controls. */
  function showError(err) {
    clearErrors();
    const name = /params\.(\w+)|parameter (\w+)/.exec(err.message)?.slice(1).find(Boolean);
    const c = controls.get(name);
    const target = c ? c.error : general;
    target.textContent = err.message;
    target.hidden = false;
    c?.field.querySelector('.control').setAttribute('aria-invalid', 'true');
  }

  function clearErrors() {
    general.hidden = true;
    for (const c of controls.values()) {
      c.error.hidden = true;
      c.field.querySelector('.control').removeAttribute('aria-invalid');
    }
  }

  return {set, values, showError, clearErrors};
}
