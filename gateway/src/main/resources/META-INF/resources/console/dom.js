// Small DOM helpers: elements built with textContent only (never innerHTML: item ids, texts and metadata are
// user data), the status line, and a confirmation dialog.

export const $ = (selector) => document.querySelector(selector);

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The status line: what just happened, or an error (announced to screen readers). */
export function status(message, isError = false) {
  const line = $('#status');
  line.textContent = message;
  line.classList.toggle('error', isError);
}

/** Shows an error's detail in the status line. */
export function fail(error) {
  status(error.status ? `${error.message} (HTTP ${error.status})` : error.message, true);
}

/** Resolves true when the user confirms (the dialog's Delete button), false otherwise. */
export function confirmDelete(text) {
  const dialog = $('#confirm');
  $('#confirm-text').textContent = text;
  return new Promise((resolve) => {
    const done = (answer) => {
      $('#confirm-ok').removeEventListener('click', ok);
      $('#confirm-cancel').removeEventListener('click', cancel);
      dialog.removeEventListener('cancel', cancel);
      dialog.close();
      resolve(answer);
    };
    const ok = () => done(true);
    const cancel = () => done(false);
    $('#confirm-ok').addEventListener('click', ok);
    $('#confirm-cancel').addEventListener('click', cancel);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
  });
}
