// Zero-shot classification of an uploaded image against typed labels or a saved classifier (scores as bars), and
// saved classifiers: list, create from the typed labels, delete after confirmation.
import { segment, dataUrl } from './api.js';
import { $, el, status, fail, confirmDelete } from './dom.js';

export class Classify {
  constructor(api) {
    this.api = api;
    $('#classify-form').addEventListener('submit', (e) => { e.preventDefault(); this.classify(); });
    $('#classifier-form').addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    $('#classifier-picker').addEventListener('change', () => {
      $('#labels').disabled = $('#classifier-picker').value !== '';
    });
  }

  labels() {
    return $('#labels').value.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  }

  async classify() {
    const file = $('#classify-image').files[0];
    if (!file) { status('Choose an image to classify.', true); return; }
    const saved = $('#classifier-picker').value;
    try {
      const image = await dataUrl(file);
      const { predictions } = saved
        ? await this.api.post(`/v1/classifiers/${segment(saved)}/classify`, { image })
        : await this.api.post('/v1/classify', { image, labels: this.labels() });
      this.show(predictions);
      status(`${file.name}: ${predictions[0].label} (${(100 * predictions[0].score).toFixed(1)} %)`);
    } catch (error) {
      fail(error);
    }
  }

  show(predictions) {
    $('#predictions').replaceChildren(...predictions.map((p) => el('li', { 'data-label': p.label },
      el('span', { class: 'label' }, p.label),
      el('meter', { min: 0, max: 1, value: p.score, 'aria-label': `${p.label} score` }),
      el('span', { class: 'num' }, `${(100 * p.score).toFixed(1)} %`))));
  }

  async refresh() {
    try {
      const { classifiers } = await this.api.get('/v1/classifiers');
      const picker = $('#classifier-picker');
      const chosen = picker.value;
      picker.replaceChildren(el('option', { value: '' }, 'the labels below'),
        ...classifiers.map((c) => el('option', { value: c.name }, `${c.name} (${c.labels.length} labels)`)));
      picker.value = classifiers.some((c) => c.name === chosen) ? chosen : '';
      $('#labels').disabled = picker.value !== '';
      $('#classifiers').replaceChildren(...classifiers.map((c) => el('li', { 'data-classifier': c.name },
        el('strong', {}, c.name), ` ${c.labels.join(', ')} `,
        el('button', { type: 'button', class: 'danger', 'aria-label': `Delete classifier ${c.name}`,
          onclick: () => this.remove(c.name) }, 'Delete'))));
      if (classifiers.length === 0) $('#classifiers').append(el('li', { class: 'hint' }, 'None saved yet.'));
    } catch (error) {
      fail(error);
    }
  }

  async save() {
    const name = $('#classifier-name').value.trim();
    try {
      await this.api.put(`/v1/classifiers/${segment(name)}`, { labels: this.labels() });
      status(`Classifier ${name} saved.`);
      $('#classifier-name').value = '';
      await this.refresh();
    } catch (error) {
      fail(error);
    }
  }

  async remove(name) {
    if (!await confirmDelete(`Delete the classifier ${name}?`)) return;
    try {
      await this.api.delete(`/v1/classifiers/${segment(name)}`);
      status(`Classifier ${name} was deleted.`);
      await this.refresh();
      $('#classifiers-title').focus();   // the focused button is gone with its row
    } catch (error) {
      fail(error);
    }
  }
}
