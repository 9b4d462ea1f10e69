// The console's entry point: sign-in (the key lives in sessionStorage, for this tab only), the four panels and
// what connects them.
import { Api } from './api.js';
import { $, status } from './dom.js';
import { Collections } from './collections.js';
import { Media } from './media.js';
import { Classify } from './classify.js';
import { Moderation } from './moderation.js';
import { Duplicates } from './duplicates.js';

const KEY = 'sightline.key';
const TABS = ['collections', 'search', 'classify', 'moderation'];

function showTab(name) {
  for (const tab of TABS) {
    $(`#${tab}-panel`).hidden = tab !== name;
    const button = document.querySelector(`[data-tab="${tab}"]`);
    if (tab === name) button.setAttribute('aria-current', 'page'); else button.removeAttribute('aria-current');
  }
}

async function start(key) {
  const api = new Api(key);
  await api.get('/v1/collections');    // the key is checked before anything is shown
  sessionStorage.setItem(KEY, key);
  $('#sign-in').hidden = true;
  $('#workspace').hidden = false;
  $('#sign-out').hidden = false;
  $('#who').hidden = false;
  $('#who').textContent = `Signed in with ${key.slice(0, 9)}…`;

  const media = new Media(api, () => collections.refresh());
  const open = (name) => {
    $('#collection-picker').value = name;
    media.open(name);
    showTab('search');
    $('#search-title').focus?.();
  };
  const duplicates = new Duplicates(api);
  const collections = new Collections(api, open, (names) => {
    const picker = $('#collection-picker');
    const current = media.collection;
    picker.replaceChildren(...names.map((n) => new Option(n, n)));
    if (names.includes(current)) picker.value = current;
    else if (names.length > 0) media.open(picker.value = names[0]);
    else media.open(null);
    duplicates.setCollections(names);
  }, (name) => duplicates.find(name));
  $('#collection-picker').addEventListener('change', () => media.open($('#collection-picker').value));
  const classify = new Classify(api);
  const moderation = new Moderation(api, (names) => collections.setPolicies(names));
  document.querySelectorAll('[data-tab]').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
  showTab('collections');
  await Promise.all([collections.refresh(), collections.loadModels(), classify.refresh(), moderation.loadModels(),
    moderation.refresh()]);
  status('Signed in.');
}

function signOut() {
  sessionStorage.removeItem(KEY);
  location.reload();
}

document.addEventListener('DOMContentLoaded', () => {
  $('#sign-out').addEventListener('click', signOut);
  const submit = $('#sign-in-form button[type=submit]');
  $('#sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;       // one sign-in at a time
    submit.disabled = true;
    $('#sign-in-error').textContent = '';
    try {
      await start($('#key').value.trim());
      $('#key').value = '';
    } catch (error) {
      $('#sign-in-error').textContent = error.status === 401
        ? 'That key was not accepted.' : `Cannot sign in: ${error.message}`;
      submit.disabled = false;
    }
  });
  const saved = sessionStorage.getItem(KEY);
  if (saved) {
    submit.disabled = true;
    start(saved).catch((error) => {
      // Only a refused key is forgotten; an unreachable gateway keeps it for the next reload.
      if (error.status === 401) sessionStorage.removeItem(KEY);
      $('#sign-in-error').textContent = `Not signed in: ${error.message}`;
      submit.disabled = false;
    });
  }
});
