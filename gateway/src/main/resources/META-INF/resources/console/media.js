// One collection's uploads and searches: drag-and-drop or chosen files uploaded in batches with a progress bar and
// per-file errors (a file refused by the collection's moderation policy among them); text searches by vector,
// keyword or both (hybrid), image and "more like this" searches, shown as a grid of thumbnails with scores and, for
// keyword and hybrid searches, the rankings each result came from.
import { segment, dataUrl } from './api.js';
import { $, el, status, fail } from './dom.js';

const BATCH = 8;                       // files per upload request (the gateway takes up to 64 images)
const TOP_K = 24;
const IMAGE = /\.(jpe?g|png|gif|bmp|webp)$/i;

export class Media {
  constructor(api, onUploaded) {
    this.api = api;
    this.onUploaded = onUploaded;      // () => void: counts changed
    this.collection = null;
    this.thumbnails = [];              // object URLs of the shown results, revoked when replaced
    this.searches = 0;                 // the latest search's number: an older answer arriving late is dropped
    this.uploading = false;
    const drop = $('#drop');
    const input = $('#upload-files');
    drop.addEventListener('click', () => { if (!this.uploading) input.click(); });
    drop.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && !this.uploading) { e.preventDefault(); input.click(); }
    });
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      this.upload([...e.dataTransfer.files]);
    });
    input.addEventListener('change', () => { this.upload([...input.files]); input.value = ''; });
    $('#search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.search({ text: $('#query').value.trim() }, `“${$('#query').value.trim()}”`);
    });
    $('#query-image').addEventListener('change', async () => {
      const file = $('#query-image').files[0];
      if (!file) return;
      $('#query-image').value = '';
      try {
        this.search({ image: await dataUrl(file) }, `the image ${file.name}`);
      } catch (error) {
        fail(error);
      }
    });
  }

  open(name) {
    this.collection = name;
    this.searches++;
    this.showResults([], '');
    if (!this.uploading) {
      $('#upload-errors').replaceChildren();
      $('#upload-progress').hidden = true;
    }
  }

  path(suffix) {
    return `/v1/collections/${segment(this.collection)}${suffix}`;
  }

  /** Uploads into the collection open when it starts; the picker and drop zone wait until it ends. */
  async upload(files) {
    if (!this.collection) { status('Choose or create a collection first.', true); return; }
    if (this.uploading) { status('An upload is still running.', true); return; }
    this.uploading = true;
    $('#collection-picker').disabled = true;
    $('#drop').setAttribute('aria-disabled', 'true');
    try {
      await this.uploadInto(this.collection, this.path('/items'), files);
    } catch (error) {
      fail(error);
    } finally {
      this.uploading = false;
      $('#collection-picker').disabled = false;
      $('#drop').removeAttribute('aria-disabled');
      this.onUploaded();
    }
  }

  async uploadInto(collection, itemsPath, files) {
    const errors = $('#upload-errors');
    errors.replaceChildren();
    const images = files.filter((f) => IMAGE.test(f.name));
    for (const f of files.filter((f) => !IMAGE.test(f.name))) {
      errors.append(el('li', {}, `${f.name}: not a JPEG, PNG, GIF, BMP or WebP file`));
    }
    const bar = $('#upload-bar');
    const count = $('#upload-count');
    $('#upload-progress').hidden = false;
    bar.max = Math.max(images.length, 1);
    let done = 0;
    let failed = 0;
    const show = () => {
      bar.value = done;
      count.textContent = `${done - failed} of ${images.length} uploaded` + (failed ? `, ${failed} failed` : '');
    };
    show();
    for (let i = 0; i < images.length; i += BATCH) {
      const batch = images.slice(i, i + BATCH);
      const failures = await this.send(itemsPath, batch);
      for (const [file, message] of failures) {
        errors.append(el('li', {}, `${file.name}: ${message}`));
      }
      failed += failures.length;
      done += batch.length;
      show();
    }
    status(`Uploaded ${done - failed} of ${images.length} images into ${collection}.`, failed > 0);
  }

  /** Sends files in one request; when it is refused, one by one to name the file. Returns [[file, message]]. */
  async send(itemsPath, files) {
    const form = new FormData();
    files.forEach((f) => form.append('file', f, f.name));
    try {
      await this.api.upload(itemsPath, form);
      return [];
    } catch (error) {
      // What no file can get past stops the upload: no gateway, a bad key, no collection, overload.
      if (error.status >= 500 || [0, 401, 404, 429].includes(error.status)) throw error;
      if (files.length === 1) return [[files[0], error.message]];
      const failures = [];
      for (const f of files) failures.push(...await this.send(itemsPath, [f]));
      return failures;
    }
  }

  async search(query, what) {
    if (!this.collection) { status('Choose or create a collection first.', true); return; }
    const modality = $('#modality').value;
    const mode = query.text !== undefined ? $('#mode').value : 'vector';   // keyword rankings need a text
    const body = { query, top_k: TOP_K, ...(modality ? { modality } : {}), ...(mode !== 'vector' ? { mode } : {}) };
    const number = ++this.searches;
    try {
      const { results } = await this.api.post(this.path('/search'), body);
      if (number === this.searches) {
        this.showResults(results, `Results for ${what}` + (mode !== 'vector' ? ` (${mode})` : ''), mode);
      }
    } catch (error) {
      if (number === this.searches) fail(error);
    }
  }

  showResults(results, title, mode = 'vector') {
    this.thumbnails.forEach((u) => URL.revokeObjectURL(u));
    this.thumbnails = [];
    $('#results-title').textContent = title ? `${title} (${results.length})` : 'Results';
    $('#results').replaceChildren(...results.map((r) => this.card(r, mode)));
  }

  /** A vector score is a cosine similarity (a bar from -1 to 1); a keyword rank or fused score is a number. */
  score(r, mode) {
    if (mode === 'vector') {
      return el('p', { class: 'score' }, el('meter', { min: -1, max: 1, value: r.score, 'aria-label': 'score' }),
        ` ${r.score.toFixed(3)}`);
    }
    return el('p', { class: 'score' }, `${mode === 'hybrid' ? 'fused score' : 'keyword rank'} ${r.score.toFixed(4)}`);
  }

  card(r, mode) {
    const picture = el('div', { class: 'picture' });
    if (r.thumbnail_url) {
      const img = el('img', { alt: r.id, loading: 'lazy', width: 160, height: 160 });
      picture.append(img);
      const shown = this.searches;
      this.api.imageUrl(r.thumbnail_url).then((url) => {
        if (shown !== this.searches) { URL.revokeObjectURL(url); return; }  // the grid was replaced meanwhile
        this.thumbnails.push(url);
        img.src = url;
      })
        .catch(() => picture.replaceChildren(el('span', { class: 'no-picture' }, 'thumbnail unavailable')));
    } else {
      picture.append(el('span', { class: 'no-picture' }, r.text ?? (r.modality === 'image' ? 'no thumbnail kept' : '')));
    }
    return el('li', { class: 'result', 'data-id': r.id, 'data-matched': r.matched ? r.matched.join(' ') : null },
      picture,
      el('p', { class: 'id' }, r.id),
      this.score(r, mode),
      r.matched ? el('p', { class: 'matched' }, 'matched ', r.matched.flatMap((m, i) => [i ? ' ' : null, el('span', { class: 'tag' }, m)])) : null,
      el('button', { type: 'button', class: 'more', 'aria-label': `More like ${r.id}`, onclick: () => this.search({ item_id: r.id }, `items like ${r.id}`) },
        'More like this'));
  }
}
