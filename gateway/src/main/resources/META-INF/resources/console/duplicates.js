// Near-duplicates of a collection: the groups the gateway finds at a threshold (the server's default when left
// empty), each shown as a row of thumbnails (texts as their text) with its lowest link score.
import { segment } from './api.js';
import { $, el, status, fail } from './dom.js';

const SHOWN = 50;                      // groups drawn (each item costs a request or two)

export class Duplicates {
  constructor(api) {
    this.api = api;
    this.thumbnails = [];              // object URLs of the shown thumbnails, revoked when replaced
    this.finds = 0;                    // the latest find's number: an older answer arriving late is dropped
    $('#duplicates-form').addEventListener('submit', (e) => { e.preventDefault(); this.find(); });
  }

  /** The collections to choose from. */
  setCollections(names) {
    const picker = $('#duplicates-collection');
    const chosen = picker.value;
    picker.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    if (names.includes(chosen)) picker.value = chosen;
    if (!names.includes(this.shown)) this.clear();
  }

  /** Finds the groups of the chosen collection, or of the one named (a row's action). */
  async find(name) {
    if (name) $('#duplicates-collection').value = name;
    const collection = $('#duplicates-collection').value;
    if (!collection) { status('Create a collection first.', true); return; }
    const typed = $('#duplicates-threshold').value.trim();
    const modality = $('#duplicates-modality').value;
    const body = { ...(typed ? { threshold: Number(typed) } : {}), ...(modality ? { modality } : {}) };
    const number = ++this.finds;
    status(`Looking for duplicates in ${collection}…`);
    try {
      const path = `/v1/collections/${segment(collection)}`;
      const [answer, view] = await Promise.all([this.api.post(`${path}/duplicates`, body), this.api.get(path)]);
      if (number !== this.finds) return;
      this.show(answer, view.media);
      const n = answer.groups.length;
      status(`${collection}: ${n} ${n === 1 ? 'group' : 'groups'} of near-duplicates at threshold ${answer.threshold}.`);
      if (name) $('#duplicates-result-title').focus();
    } catch (error) {
      if (number === this.finds) fail(error);
    }
  }

  clear() {
    this.thumbnails.forEach((u) => URL.revokeObjectURL(u));
    this.thumbnails = [];
    this.shown = null;
    $('#duplicates').hidden = true;
    $('#duplicate-groups').replaceChildren();
  }

  show(answer, media) {
    this.clear();
    this.shown = answer.collection;
    $('#duplicates').hidden = false;
    const among = answer.modality ? `${answer.modality} items` : 'items';
    $('#duplicates-result-title').textContent = `Duplicates in ${answer.collection}`;
    $('#duplicates-summary').replaceChildren(
      `${answer.groups.length} ${answer.groups.length === 1 ? 'group' : 'groups'} among ${answer.scanned} ${among} at threshold `,
      el('strong', { class: 'threshold' }, String(answer.threshold)),
      answer.groups.length > SHOWN ? `; the first ${SHOWN} are shown.` : '.');
    $('#duplicate-groups').replaceChildren(...answer.groups.slice(0, SHOWN).map((g, i) => el('li',
      { class: 'group', 'data-ids': g.ids.join(' ') },
      el('p', { class: 'group-title' }, `Group ${i + 1}: ${g.ids.length} items, lowest similarity `,
        el('span', { class: 'min-score' }, g.min_score.toFixed(3))),
      el('ul', { class: 'thumbs', 'aria-label': `Group ${i + 1}` },
        g.ids.map((id) => this.item(answer.collection, id, media))))));
  }

  item(collection, id, media) {
    const picture = el('div', { class: 'picture' });
    const finds = this.finds;
    const path = `/v1/collections/${segment(collection)}/items/${segment(id)}`;
    // The item's view says whether it is a text or an image; only a kept image has a thumbnail to fetch.
    this.api.get(path).then(async (item) => {
      if (finds !== this.finds) return;
      if (item.modality === 'text') {
        picture.replaceChildren(el('span', { class: 'no-picture' }, item.text));
      } else if (media === 'none') {
        picture.replaceChildren(el('span', { class: 'no-picture' }, 'no thumbnail kept'));
      } else {
        const url = await this.api.imageUrl(`${path}/thumbnail`);
        if (finds !== this.finds) { URL.revokeObjectURL(url); return; }   // replaced meanwhile
        this.thumbnails.push(url);
        picture.replaceChildren(el('img', { alt: id, src: url, width: 120, height: 120 }));
      }
    }).catch(() => picture.replaceChildren(el('span', { class: 'no-picture' }, 'unavailable')));
    return el('li', { 'data-id': id }, picture, el('p', { class: 'id' }, id));
  }
}
