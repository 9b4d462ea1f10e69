// The public API as the console uses it: every request carries the key as a bearer token; a non-2xx answer becomes
// an ApiError with the problem's status, title and detail (RFC 9457).

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export const segment = (name) => encodeURIComponent(name);

export class Api {
  constructor(key) {
    this.key = key;
  }

  async request(method, path, body, isForm = false) {
    const headers = { Authorization: `Bearer ${this.key}`, Accept: 'application/json, application/problem+json' };
    let payload;
    if (body !== undefined) {
      payload = isForm ? body : JSON.stringify(body);
      if (!isForm) headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'Unreachable', `The gateway did not answer (${e.message}).`);
    }
    if (!response.ok) {
      let problem = {};
      try { problem = await response.json(); } catch { /* not JSON: status only */ }
      throw new ApiError(response.status, problem.title, problem.detail);
    }
    return response.status === 204 ? null : response.json();
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body); }
  put(path, body) { return this.request('PUT', path, body); }
  delete(path) { return this.request('DELETE', path); }
  upload(path, form) { return this.request('POST', path, form, true); }

  /** An authenticated image (a thumbnail) as an object URL; the caller revokes it. */
  async imageUrl(path) {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${this.key}` }, credentials: 'omit' });
    if (!response.ok) throw new ApiError(response.status, 'Image', `HTTP ${response.status}`);
    return URL.createObjectURL(await response.blob());
  }
}

/** A file as a data: URL, for JSON image fields. */
export function dataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
