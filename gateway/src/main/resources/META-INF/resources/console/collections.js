// Collections: the list with counts and moderation policy, creation with a media mode and an optional policy,
// deletion after confirmation, and each row's way to its near-duplicates.
import { segment } from './api.js';
import { $, el, status, fail, confirmDelete } from './dom.js';

export class Collections {
  constructor(api, onOpen, onChange, onDuplicates) {
    this.api = api;
    this.onOpen = onOpen;        // (name) => void: show the collection's upload and search
    this.onChange = onChange;    // (names) => void: the list changed
    this.onDuplicates = onDuplicates;   // (name) => void: find the collection's near-duplicates
    this.names = [];
    this.timer = null;
    $('#create-form').addEventListener('submit', (e) => { e.preventDefault(); this.create(); });
    $('#migrate-form').addEventListener('submit', (e) => { e.preventDefault(); this.migrate(); });
  }

  /** The served models, for the "move to" form. */
  async loadModels() {
    try {
      const { data } = await this.api.get('/v1/models');
      $('#migrate-model').replaceChildren(...data.map((m) => el('option', { value: m.id },
        `${m.id} (${m.dimensions} dimensions)`)));
    } catch (error) {
      fail(error);
    }
  }

  /** The moderation policies a new collection may apply. */
  setPolicies(names) {
    const picker = $('#new-moderation');
    const chosen = picker.value;
    picker.replaceChildren(el('option', { value: '' }, 'none'), ...names.map((n) => el('option', { value: n }, n)));
    picker.value = names.includes(chosen) ? chosen : '';
  }

  async refresh() {
    try {
      const { collections } = await this.api.get('/v1/collections');
      // Counts come with a single collection's view.
      const details = await Promise.all(collections.map((c) => this.api.get(`/v1/collections/${segment(c.name)}`)
        .catch(() => ({ ...c, counts: null }))));
      this.render(details);
      this.names = collections.map((c) => c.name);
      this.onChange(this.names);
      const picker = $('#migrate-collection');
      const chosen = picker.value;
      picker.replaceChildren(...this.names.map((n) => el('option', { value: n }, n)));
      if (this.names.includes(chosen)) picker.value = chosen;
      // While a collection moves, its progress is read again every 1.5 s.
      clearTimeout(this.timer);
      if (details.some((c) => c.migration)) this.timer = setTimeout(() => this.refresh(), 1500);
    } catch (error) {
      fail(error);
    }
  }

  render(collections) {
    const body = $('#collections-table tbody');
    body.replaceChildren(...collections.map((c) => el('tr', { 'data-collection': c.name },
      el('th', { scope: 'row' }, c.name,
        c.moderation ? el('span', { class: 'policy' }, `moderation: ${c.moderation}`) : null),
      el('td', { class: 'model' }, c.model, c.migration ? this.moving(c.migration) : null),
      el('td', { class: 'wide-only' }, c.media),
      el('td', { class: 'num' }, c.counts ? c.counts.image : '?'),
      el('td', { class: 'num' }, c.counts ? c.counts.text : '?'),
      el('td', { class: 'actions' },
        el('button', { type: 'button', onclick: () => this.onOpen(c.name) }, 'Open'),
        el('button', { type: 'button', class: 'quiet', 'aria-label': `Find duplicates in ${c.name}`,
          onclick: () => this.onDuplicates(c.name) }, 'Duplicates'),
        el('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${c.name}`,
          onclick: () => this.remove(c.name) }, 'Delete')))));
    $('#collections-empty').hidden = collections.length > 0;
  }

  /** "→ model: 40 of 300, 12 s left" with a bar, for a collection that is moving. */
  moving(m) {
    const left = m.eta_seconds != null ? `, ${Math.ceil(m.eta_seconds)} s left` : '';
    return el('span', { class: 'moving', role: 'status' }, `→ ${m.model}: ${m.state}, ${m.done} of ${m.total}${left} `,
      el('progress', { max: Math.max(m.total, 1), value: m.done, 'aria-label': `moving to ${m.model}` }));
  }

  async migrate() {
    const name = $('#migrate-collection').value;
    const model = $('#migrate-model').value;
    try {
      const job = await this.api.post(`/v1/collections/${segment(name)}/migrations`, { model });
      status(`Moving ${name} to ${model} (job ${job.id}).`);
      await this.refresh();
    } catch (error) {
      fail(error);
    }
  }

  async create() {
    const name = $('#new-name').value.trim();
    const media = $('#new-media').value;
    const moderation = $('#new-moderation').value;
    try {
      await this.api.post('/v1/collections', { name, media, ...(moderation ? { moderation } : {}) });
      status(`Collection ${name} is ready` + (moderation ? `, moderated by ${moderation}.` : '.'));
      $('#new-name').value = '';
      $('#new-moderation').value = '';
      await this.refresh();
      this.onOpen(name);
    } catch (error) {
      fail(error);
    }
  }

  async remove(name) {
    if (!await confirmDelete(`Delete the collection ${name} with all its items and kept images? This cannot be undone.`)) {
      status(`${name} was kept.`);
      return;
    }
    try {
      await this.api.delete(`/v1/collections/${segment(name)}`);
      status(`Collection ${name} was deleted.`);
      await this.refresh();
      $('#collections-title').focus();   // the focused button is gone with its row
    } catch (error) {
      fail(error);
    }
  }
}
