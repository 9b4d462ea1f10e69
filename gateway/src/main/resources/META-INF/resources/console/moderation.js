// Moderation policies: the list (edit, delete after confirmation), a form to create or replace one with a small
// fieldset per category, and "test an image" showing the verdict with each category's score against its threshold.
import { segment } from './api.js';
import { $, el, status, fail, confirmDelete } from './dom.js';

const NAME = '[a-z0-9][a-z0-9_\\-]{0,62}';
const NAME_TITLE = "lower-case letters, digits, '-' and '_', starting with a letter or digit";
const MAX_CATEGORIES = 16;
const lines = (text) => text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);

export class Moderation {
  constructor(api, onChange) {
    this.api = api;
    this.onChange = onChange;          // (names) => void: the policies changed
    this.policies = [];
    this.fields = 0;                   // numbers the category fields' ids, never reused
    $('#policy-form').addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    $('#add-category').addEventListener('click', () => {
      const fieldset = this.addCategory();
      fieldset.querySelector('input').focus();
    });
    $('#moderate-form').addEventListener('submit', (e) => { e.preventDefault(); this.test(); });
    this.addCategory();
  }

  /** The served models, for the policy's model. */
  async loadModels() {
    try {
      const { data } = await this.api.get('/v1/models');
      $('#policy-model').replaceChildren(el('option', { value: '' }, 'the default model'),
        ...data.map((m) => el('option', { value: m.id }, m.id)));
    } catch (error) {
      fail(error);
    }
  }

  async refresh() {
    try {
      const { policies } = await this.api.get('/v1/moderation/policies');
      this.policies = policies;
      $('#policies').replaceChildren(...policies.map((p) => el('li', { 'data-policy': p.name },
        el('strong', {}, p.name), ` ${p.model}: `,
        p.categories.map((c) => `${c.name} (${c.action} at ${c.threshold})`).join(', '), ' ',
        el('button', { type: 'button', class: 'quiet', 'aria-label': `Edit policy ${p.name}`,
          onclick: () => this.edit(p) }, 'Edit'),
        el('button', { type: 'button', class: 'danger', 'aria-label': `Delete policy ${p.name}`,
          onclick: () => this.remove(p.name) }, 'Delete'))));
      if (policies.length === 0) $('#policies').append(el('li', { class: 'hint' }, 'None saved yet.'));
      const picker = $('#moderate-policy');
      const chosen = picker.value;
      picker.replaceChildren(...policies.map((p) => el('option', { value: p.name }, p.name)));
      if (policies.some((p) => p.name === chosen)) picker.value = chosen;
      this.onChange(policies.map((p) => p.name));
    } catch (error) {
      fail(error);
    }
  }

  /** Appends a category's fieldset (empty, or filled from a saved category) and returns it. */
  addCategory(category = { name: '', prompts: [], benign: [], threshold: 0.5, action: 'flag' }) {
    const n = ++this.fields;
    const id = (field) => `category-${n}-${field}`;
    const field = (name, label, control, hint) => el('div', { class: `field field-${name}` },
      el('label', { for: id(name) }, label), control, hint ? el('p', { class: 'hint', id: id(`${name}-hint`) }, hint) : null);
    const action = el('select', { id: id('action'), name: 'action' },
      el('option', { value: 'flag' }, 'flag (stored, marked)'),
      el('option', { value: 'reject' }, 'reject (refused at upload)'));
    action.value = category.action;
    const prompts = el('textarea', { id: id('prompts'), name: 'prompts', rows: 3, required: true,
      placeholder: 'a photo of a warning sign.' });
    prompts.value = category.prompts.join('\n');
    const benign = el('textarea', { id: id('benign'), name: 'benign', rows: 3, 'aria-describedby': id('benign-hint'),
      placeholder: 'a photo of a street.' });
    benign.value = category.benign.join('\n');
    const fieldset = el('fieldset', { class: 'category' },
      el('legend', {}, 'Category'),
      el('div', { class: 'fields' },
        field('name', 'Name', el('input', { id: id('name'), name: 'name', required: true, pattern: NAME,
          title: NAME_TITLE, value: category.name, placeholder: 'warning-signs' })),
        field('action', 'Action', action),
        field('prompts', 'Prompts, one per line', prompts),
        field('benign', 'Benign prompts, one per line', benign, 'Optional: what the category is told apart from.'),
        field('threshold', 'Threshold', el('input', { id: id('threshold'), name: 'threshold', type: 'number',
          min: -1, max: 1, step: 'any', inputmode: 'decimal', required: true, value: category.threshold }))),
      el('button', { type: 'button', class: 'danger remove', onclick: () => this.removeCategory(fieldset) },
        'Remove category'));
    $('#policy-categories').append(fieldset);
    this.number();
    return fieldset;
  }

  removeCategory(fieldset) {
    const next = fieldset.nextElementSibling ?? fieldset.previousElementSibling;
    fieldset.remove();
    this.number();
    next?.querySelector('input')?.focus();   // the focused button is gone with its fieldset
  }

  /** Legends and remove buttons follow the order; one category at least, 16 at most. */
  number() {
    const all = [...$('#policy-categories').children];
    all.forEach((fieldset, i) => {
      fieldset.querySelector('legend').textContent = `Category ${i + 1}`;
      const remove = fieldset.querySelector('button.remove');
      remove.setAttribute('aria-label', `Remove category ${i + 1}`);
      remove.disabled = all.length === 1;
    });
    $('#add-category').disabled = all.length >= MAX_CATEGORIES;
  }

  edit(policy) {
    $('#policy-name').value = policy.name;
    const models = $('#policy-model');
    // A policy of a model no longer served keeps it when saved again (the gateway then says it is not served).
    if (![...models.options].some((o) => o.value === policy.model)) {
      models.append(el('option', { value: policy.model }, `${policy.model} (not served)`));
    }
    models.value = policy.model;
    $('#policy-categories').replaceChildren();
    policy.categories.forEach((c) => this.addCategory(c));
    $('#policy-form-title').textContent = `Replace the policy ${policy.name}`;
    $('#policy-name').focus();
  }

  reset() {
    $('#policy-form').reset();
    $('#policy-categories').replaceChildren();
    this.addCategory();
    $('#policy-form-title').textContent = 'Create or replace a policy';
  }

  async save() {
    const name = $('#policy-name').value.trim();
    const model = $('#policy-model').value;
    const categories = [...$('#policy-categories').children].map((fieldset) => {
      const value = (field) => fieldset.querySelector(`[name="${field}"]`).value;
      return { name: value('name').trim(), prompts: lines(value('prompts')), benign: lines(value('benign')),
        threshold: Number(value('threshold')), action: value('action') };
    });
    const replaced = this.policies.some((p) => p.name === name);
    try {
      await this.api.put(`/v1/moderation/policies/${segment(name)}`, { ...(model ? { model } : {}), categories });
      status(`Policy ${name} ${replaced ? 'replaced' : 'saved'} (${categories.length} ${categories.length === 1 ? 'category' : 'categories'}).`);
      this.reset();
      await this.refresh();
      $('#moderate-policy').value = name;
    } catch (error) {
      fail(error);
    }
  }

  async remove(name) {
    if (!await confirmDelete(`Delete the moderation policy ${name}?`)) {
      status(`${name} was kept.`);
      return;
    }
    try {
      await this.api.delete(`/v1/moderation/policies/${segment(name)}`);
      status(`Policy ${name} was deleted.`);
      await this.refresh();
      $('#moderation-title').focus();   // the focused button is gone with its row
    } catch (error) {
      fail(error);   // 409 while a collection applies it: the detail names the collections
    }
  }

  async test() {
    const file = $('#moderate-image').files[0];
    const policy = $('#moderate-policy').value;
    if (!file || !policy) { status('Choose a policy and an image to test.', true); return; }
    const form = new FormData();
    form.append('policy', policy);
    form.append('image', file, file.name);
    try {
      const verdict = await this.api.upload('/v1/moderate', form);
      this.show(verdict, file.name);
      status(`${file.name}: ${verdict.action} by ${verdict.policy}.`);
    } catch (error) {
      fail(error);
    }
  }

  show(verdict, what) {
    $('#verdict').hidden = false;
    const action = $('#verdict-action');
    action.dataset.action = verdict.action;
    action.replaceChildren(`${what}: `, el('strong', { class: `action ${verdict.action}` }, verdict.action),
      ` (policy ${verdict.policy}, ${verdict.model})`);
    $('#verdict-categories').replaceChildren(...verdict.categories.map((c) => {
      const min = c.score < 0 || c.threshold < 0 ? -1 : 0;   // a cosine threshold may be negative
      return el('li', { 'data-category': c.name, 'data-fired': String(c.fired) },
        el('span', { class: 'label' }, c.name),
        // Above the threshold (meter's "high") the bar turns to the warning colour.
        el('meter', { min, max: 1, low: Math.max(min, c.threshold), high: Math.max(min, c.threshold), optimum: min,
          value: c.score, 'aria-label': `${c.name} score` }),
        el('span', { class: 'num' }, c.score.toFixed(3)),
        el('span', { class: 'detail' }, c.fired
          ? `fired: at or above the threshold ${c.threshold} → ${c.action}`
          : `below the threshold ${c.threshold} (would ${c.action})`));
    }));
  }
}
