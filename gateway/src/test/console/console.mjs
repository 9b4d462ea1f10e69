// The web console in a real browser: Debian's Chromium, headless, driven by playwright-core.
// usage: SIGHTLINE_URL=... SIGHTLINE_KEY=... IMAGES_DIR=<demo images> OUT_DIR=<screenshots> node console.mjs
// Prints one JSON line {"ok":true,...} and exits 0 when every step held; any failed step exits 1 with its message.
import { chromium } from 'playwright-core';
import { readdirSync, readFileSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.env.SIGHTLINE_URL;
const key = process.env.SIGHTLINE_KEY;
const imagesDir = process.env.IMAGES_DIR;
const outDir = process.env.OUT_DIR;
const collection = process.env.CONSOLE_COLLECTION || 'console-demo';
const timeout = 60_000;
for (const [name, value] of Object.entries({ SIGHTLINE_URL: url, SIGHTLINE_KEY: key, IMAGES_DIR: imagesDir, OUT_DIR: outDir })) {
  if (!value) { console.error(`${name} is required`); process.exit(2); }
}
mkdirSync(outDir, { recursive: true });

const files = readdirSync(imagesDir).filter((f) => f.endsWith('.png')).sort();
const path = (f) => join(imagesDir, f);
const stem = (f) => f.replace(/\.png$/, '');
const find = (kind) => files.find((f) => f.endsWith(`-${kind}.png`));
const check = (condition, message) => { if (!condition) throw new Error(message); };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox'] });
const problems = [];     // console errors (a CSP violation is one) and uncaught page errors
// The browser logs a refused request as a console error; only the refusals a step provokes on purpose are let pass.
let tolerated = null;
const overflow = async (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const result = { ok: false, images: files.length };
const scratch = mkdtempSync(join(tmpdir(), 'sightline-console-'));   // a demo image copied under another name
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('console', (m) => {
    if (m.type() === 'error' && !(tolerated && tolerated.test(m.text()))) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  // Sign in with the keyboard: a wrong key first, then the right one; the key never appears in the URL.
  await page.goto(url);
  tolerated = /Failed to load resource: the server responded with a status of 401/;
  await page.locator('#key').fill('sk-sl-wrong');
  await page.keyboard.press('Enter');
  await page.locator('#sign-in-error', { hasText: 'That key was not accepted.' }).waitFor();
  tolerated = null;
  await page.locator('#key').fill(key);
  await page.keyboard.press('Enter');
  await page.locator('#workspace').waitFor({ state: 'visible' });
  check(!page.url().includes(key), 'the key is in the URL');
  check(await page.evaluate(() => localStorage.length) === 0, 'something was written to localStorage');

  // Create a collection that keeps thumbnails.
  await page.locator('#new-name').fill(collection);
  await page.locator('#new-media').selectOption('thumbnail');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('#search-panel').waitFor({ state: 'visible' });
  check(await page.locator('#collection-picker').inputValue() === collection, 'the new collection is not open');

  // Upload: most files dropped on the drop zone, the rest chosen with the keyboard (Enter on the zone), plus a
  // file that is not an image, which must be named as failed while the others go in.
  const dropped = files.slice(0, files.length - 4);
  const chosen = files.slice(files.length - 4);
  const payload = dropped.map((f) => ({ name: f, data: readFileSync(path(f)).toString('base64') }));
  payload.push({ name: 'broken.png', data: Buffer.from('not an image').toString('base64') });
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const { name, data } of list) {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], name, { type: 'image/png' }));
    }
    return dt;
  }, payload);
  tolerated = /Failed to load resource: the server responded with a status of 415/;  // broken.png, alone
  await page.locator('#drop').dispatchEvent('drop', { dataTransfer: transfer });
  await page.locator('#upload-count', { hasText: `${dropped.length} of ${dropped.length + 1} uploaded, 1 failed` })
    .waitFor();
  const errors = await page.locator('#upload-errors li').allTextContents();
  check(errors.length === 1 && errors[0].startsWith('broken.png: '), `upload errors: ${JSON.stringify(errors)}`);
  tolerated = null;

  await page.locator('#status', { hasText: `Uploaded ${dropped.length} of ${dropped.length + 1} images` }).waitFor();
  await page.locator('#drop:not([aria-disabled])').waitFor();  // the upload has ended
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('#drop').press('Enter')]);
  await chooser.setFiles(chosen.map(path));
  await page.locator('#upload-count', { hasText: `${chosen.length} of ${chosen.length} uploaded` }).waitFor();

  // Text search: the first results are green stars (by their ids), each with its thumbnail.
  await page.locator('#query').fill('a green star');
  await page.locator('#query').press('Enter');
  await page.locator('#results-title', { hasText: 'Results for “a green star”' }).waitFor();
  await page.locator('#results li').first().waitFor();
  // The demo holds three green stars among 40 kinds of shape; the tiny bundled model puts two of them first.
  const top = await page.locator('#results li').evaluateAll((lis) => lis.map((li) => li.dataset.id));
  result.text_search_top5 = top.slice(0, 5);
  check(top.slice(0, 2).every((id) => id.endsWith('-green-star')),
    `"a green star" answered ${JSON.stringify(top.slice(0, 5))}`);
  await page.waitForFunction(() => [...document.querySelectorAll('#results img')].slice(0, 8)
    .every((img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:')), null, { timeout });
  await page.screenshot({ path: join(outDir, 'console-search-1280.png') });

  // More like this on the first result: the item itself left out, its nearest neighbours green shapes (the tiny
  // model's image space groups by colour first).
  const first = top[0];
  await page.locator(`#results li[data-id="${first}"] button.more`).click();
  await page.locator('#results-title', { hasText: `items like ${first}` }).waitFor();
  const like = await page.locator('#results li').evaluateAll((lis) => lis.map((li) => li.dataset.id));
  result.more_like_this_top5 = like.slice(0, 5);
  check(like.length > 0 && !like.includes(first) && like.slice(0, 3).every((id) => id.includes('-green-')),
    `more like ${first} answered ${JSON.stringify(like.slice(0, 5))}`);

  // Search by an uploaded image: the same picture comes first.
  const blueSquare = find('blue-square');
  await page.locator('#query-image').setInputFiles(path(blueSquare));
  await page.locator('#results-title', { hasText: `the image ${blueSquare}` }).waitFor();
  const byImage = await page.locator('#results li').first().getAttribute('data-id');
  result.image_search_first = byImage;
  check(byImage === stem(blueSquare), `searching with ${blueSquare} answered ${byImage} first`);

  // Hybrid text search: the same vector ranking fused with the keyword one; each result names the rankings it came
  // from (the uploaded images hold no words, so the vector one).
  await page.locator('#mode').selectOption('hybrid');
  await page.locator('#query').fill('a green star');
  await page.locator('#query').press('Enter');
  await page.locator('#results-title', { hasText: 'Results for “a green star” (hybrid)' }).waitFor();
  await page.locator('#results li .matched').first().waitFor();
  const hybrid = await page.locator('#results li').evaluateAll((lis) => lis.map((li) => ({ id: li.dataset.id,
    matched: li.dataset.matched, shown: li.querySelector('.matched')?.textContent, score: li.querySelector('.score').textContent })));
  result.hybrid_top3 = hybrid.slice(0, 3).map((h) => `${h.id} (${h.matched})`);
  check(hybrid.length > 0 && hybrid.every((h) => h.matched && h.matched.split(' ').every((m) => m === 'vector' || m === 'keyword')
    && h.shown === `matched ${h.matched}` && h.score.startsWith('fused score ')), `hybrid results: ${JSON.stringify(hybrid.slice(0, 3))}`);
  check(hybrid.slice(0, 2).every((h) => h.id.endsWith('-green-star')), `hybrid "a green star": ${result.hybrid_top3}`);
  await page.locator('#mode').selectOption('vector');

  // Narrow screen: the grid still reads.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#query').fill('a green star');
  await page.locator('#query').press('Enter');
  await page.locator('#results-title', { hasText: 'Results for “a green star”' }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('#results img')].slice(0, 4)
    .every((img) => img.complete && img.naturalWidth > 0), null, { timeout });
  const wider = await overflow(page);
  check(wider <= 0, `the search panel is ${wider} px wider than a 390 px screen`);
  await page.screenshot({ path: join(outDir, 'console-search-390.png') });
  await page.setViewportSize({ width: 1280, height: 860 });

  // Zero-shot classification against typed labels, then with a saved classifier.
  const redCircle = find('red-circle');
  await page.getByRole('button', { name: 'Classify' }).first().click();
  await page.locator('#classify-image').setInputFiles(path(redCircle));
  await page.locator('#labels').fill('green star\nred circle\nblue square');
  await page.locator('#classify-form button[type=submit]').click();
  await page.locator('#predictions li').first().waitFor();
  const typed = await page.locator('#predictions li').first().getAttribute('data-label');
  check(typed === 'red circle', `classified ${redCircle} as ${typed}`);
  check(await page.locator('#predictions meter').count() === 3, 'one bar per label');

  await page.locator('#classifier-name').fill('console-shapes');
  await page.getByRole('button', { name: 'Save classifier' }).click();
  await page.locator('#classifiers li[data-classifier="console-shapes"]').waitFor();
  await page.locator('#classifier-picker').selectOption('console-shapes');
  await page.locator('#classify-image').setInputFiles(path(blueSquare));
  await page.locator('#classify-form button[type=submit]').click();
  await page.locator('#predictions li[data-label="blue square"]:first-child').waitFor();
  await page.screenshot({ path: join(outDir, 'console-classify-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  check(await overflow(page) <= 0, 'the classify panel is wider than a 390 px screen');
  await page.screenshot({ path: join(outDir, 'console-classify-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  // Deleting asks first: Cancel keeps the classifier, Delete removes it.
  await page.getByRole('button', { name: 'Delete classifier console-shapes' }).click();
  await page.locator('#confirm-cancel').click();
  check(await page.locator('#classifiers li[data-classifier="console-shapes"]').count() === 1, 'cancel deleted');
  await page.getByRole('button', { name: 'Delete classifier console-shapes' }).click();
  await page.locator('#confirm-ok').click();
  await page.locator('#classifiers li[data-classifier="console-shapes"]').waitFor({ state: 'detached' });

  // A moderation policy made with the form: one category (a second one added and removed again), rejected
  // triangles told apart from benign circles and squares.
  const policy = 'console-signs';
  await page.getByRole('button', { name: 'Moderation' }).click();
  await page.locator('#moderation-panel').waitFor({ state: 'visible' });
  await page.locator('#policy-name').fill(policy);
  const category = page.locator('#policy-categories fieldset').first();
  await category.getByLabel('Name', { exact: true }).fill('warning-signs');
  await category.getByLabel('Prompts, one per line', { exact: true })
    .fill('a photo of a red triangle.\na photo of a yellow triangle.');
  await category.getByLabel('Benign prompts, one per line', { exact: true }).fill(['a photo of a red circle.',
    'a photo of a red square.', 'a photo of a yellow circle.', 'a photo of a yellow square.'].join('\n'));
  await category.getByLabel('Threshold', { exact: true }).fill('0.5');
  await category.getByLabel('Action', { exact: true }).selectOption('reject');
  check(await page.locator('#policy-categories button.remove').isDisabled(), 'the only category can be removed');
  await page.locator('#add-category').focus();
  await page.keyboard.press('Enter');
  check(await page.locator('#policy-categories fieldset').count() === 2, 'no second category was added');
  check(await page.evaluate(() => document.activeElement.id.endsWith('-name')), 'the new category is not focused');
  await page.getByRole('button', { name: 'Remove category 2' }).click();
  check(await page.locator('#policy-categories fieldset').count() === 1, 'the second category was not removed');
  await page.getByRole('button', { name: 'Save policy' }).click();
  const policyItem = page.locator(`#policies li[data-policy="${policy}"]`);
  await policyItem.waitFor();
  result.policy = (await policyItem.textContent()).replace(/\s*EditDelete$/, '').trim();
  check(result.policy.includes('warning-signs (reject at 0.5)'), `the policy reads ${result.policy}`);

  // Testing images against it: a triangle is rejected, a blue circle allowed, each category's score shown as a bar.
  const redTriangle = find('red-triangle');
  const blueCircle = find('blue-circle');
  const verdict = async (file) => {
    await page.locator('#moderate-policy').selectOption(policy);
    await page.locator('#moderate-image').setInputFiles(path(file));
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.locator('#verdict-action', { hasText: `${file}: ` }).waitFor();
    const bar = page.locator('#verdict-categories li[data-category="warning-signs"]');
    return { action: await page.locator('#verdict-action').getAttribute('data-action'),
      fired: await bar.getAttribute('data-fired'), score: Number(await bar.locator('meter').getAttribute('value')) };
  };
  const rejected = await verdict(redTriangle);
  result.verdict_triangle = rejected;
  check(rejected.action === 'reject' && rejected.fired === 'true' && rejected.score >= 0.5,
    `${redTriangle}: ${JSON.stringify(rejected)}`);
  const allowed = await verdict(blueCircle);
  result.verdict_circle = allowed;
  check(allowed.action === 'allow' && allowed.fired === 'false' && allowed.score < 0.5,
    `${blueCircle}: ${JSON.stringify(allowed)}`);
  await verdict(redTriangle);
  await page.screenshot({ path: join(outDir, 'console-moderation-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const widerModeration = await overflow(page);
  check(widerModeration <= 0, `the moderation panel is ${widerModeration} px wider than a 390 px screen`);
  await page.screenshot({ path: join(outDir, 'console-moderation-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  // A collection that applies the policy: of a mixed upload the triangle is refused with the reason, the rest stored.
  const moderated = `${collection}-moderated`;
  await page.getByRole('button', { name: 'Collections' }).click();
  await page.locator('#new-name').fill(moderated);
  await page.locator('#new-moderation').selectOption(policy);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('#search-panel').waitFor({ state: 'visible' });
  check(await page.locator('#collection-picker').inputValue() === moderated, 'the moderated collection is not open');
  const mix = [blueCircle, redTriangle, find('red-square'), find('yellow-circle')];
  tolerated = /Failed to load resource: the server responded with a status of 422/;  // the batch, then the triangle
  await page.locator('#upload-files').setInputFiles(mix.map(path));
  await page.locator('#upload-count', { hasText: `3 of ${mix.length} uploaded, 1 failed` }).waitFor();
  const refused = await page.locator('#upload-errors li').allTextContents();
  result.moderation_refused = refused;
  check(refused.length === 1 && refused[0].startsWith(`${redTriangle}: `)
    && refused[0].includes(`is rejected by policy ${policy}: warning-signs scored`), `refused: ${JSON.stringify(refused)}`);
  tolerated = null;
  await page.getByRole('button', { name: 'Collections' }).click();
  const moderatedRow = page.locator(`#collections-table tr[data-collection="${moderated}"]`);
  await moderatedRow.locator('.policy', { hasText: `moderation: ${policy}` }).waitFor();
  check(await moderatedRow.locator('td').nth(2).textContent() === '3', 'the moderated collection does not hold 3 images');
  await page.screenshot({ path: join(outDir, 'console-collections-1280.png') });

  // The policy cannot go while a collection applies it: the refusal names the collection.
  tolerated = /Failed to load resource: the server responded with a status of 409/;
  await page.getByRole('button', { name: 'Moderation' }).click();
  await page.getByRole('button', { name: `Delete policy ${policy}` }).click();
  await page.locator('#confirm-ok').click();
  await page.locator('#status.error', { hasText: '(HTTP 409)' }).waitFor();
  const conflict = await page.locator('#status').textContent();
  result.policy_in_use = conflict;
  check(conflict.includes(moderated), `the conflict does not name the collection: ${conflict}`);
  tolerated = null;
  await page.getByRole('button', { name: 'Collections' }).click();
  await page.getByRole('button', { name: `Delete ${moderated}` }).click();
  await page.locator('#confirm-ok').click();
  await moderatedRow.waitFor({ state: 'detached' });

  // The collections list counts what was uploaded; the collection goes after confirmation.
  const row = page.locator(`#collections-table tr[data-collection="${collection}"]`);
  await row.waitFor();
  const images = await row.locator('td').nth(2).textContent();
  result.collection_images = Number(images);
  check(Number(images) === files.length, `the collection counts ${images} images, not ${files.length}`);
  await page.setViewportSize({ width: 390, height: 844 });
  check(await overflow(page) <= 0, 'the collections panel is wider than a 390 px screen');
  await page.setViewportSize({ width: 1280, height: 860 });

  // Near-duplicates: a demo image uploaded again under another name is grouped with the first, at the server's
  // default threshold and at a typed one; the group shows both thumbnails.
  const original = find('green-star');
  const copy = `${stem(original)}-copy.png`;
  copyFileSync(path(original), join(scratch, copy));
  await row.getByRole('button', { name: 'Open' }).click();
  await page.locator('#upload-files').setInputFiles(join(scratch, copy));
  await page.locator('#upload-count', { hasText: '1 of 1 uploaded' }).waitFor();
  await page.getByRole('button', { name: 'Collections' }).click();
  await page.getByRole('button', { name: `Find duplicates in ${collection}` }).click();
  const pair = [stem(original), stem(copy)].sort().join(' ');
  const group = page.locator(`#duplicate-groups li.group[data-ids~="${stem(copy)}"]`);
  await group.waitFor();
  const found = { ids: await group.getAttribute('data-ids'), min_score: Number(await group.locator('.min-score').textContent()),
    threshold: Number(await page.locator('#duplicates-summary .threshold').textContent()),
    groups: await page.locator('#duplicate-groups li.group').count() };
  result.duplicates = found;
  check(found.ids === pair && found.min_score > 0.99 && found.threshold >= 0.5 && found.threshold <= 1,
    `duplicates: ${JSON.stringify(found)}`);
  check(await page.evaluate(() => document.activeElement.id) === 'duplicates-result-title', 'the groups are not focused');
  await page.waitForFunction((ids) => ids.split(' ').every((id) => {
    const img = document.querySelector(`#duplicate-groups li.group[data-ids="${ids}"] li[data-id="${id}"] img`);
    return img && img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:');
  }), pair, { timeout });
  await page.locator('#duplicates-threshold').fill('0.99');
  await page.locator('#duplicates-threshold').press('Enter');
  await page.locator('#duplicates-summary .threshold', { hasText: /^0\.99$/ }).waitFor();
  await group.waitFor();
  await group.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, 'console-duplicates-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  check(await overflow(page) <= 0, 'the duplicates are wider than a 390 px screen');
  await page.setViewportSize({ width: 1280, height: 860 });

  // The policy goes once no collection applies it.
  await page.getByRole('button', { name: 'Moderation' }).click();
  await page.getByRole('button', { name: `Delete policy ${policy}` }).click();
  await page.locator('#confirm-ok').click();
  await policyItem.waitFor({ state: 'detached' });
  check(await page.locator('#new-moderation option').count() === 1, 'the deleted policy is still offered');

  await page.getByRole('button', { name: 'Collections' }).click();
  await page.getByRole('button', { name: `Delete ${collection}` }).click();
  await page.locator('#confirm-ok').click();
  await row.waitFor({ state: 'detached' });

  // Moving a collection that keeps its originals to the second model, followed in the table until it switches.
  const moving = `${collection}-moving`;
  await page.locator('#new-name').fill(moving);
  await page.locator('#new-media').selectOption('original');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('#search-panel').waitFor({ state: 'visible' });
  await page.locator('#upload-files').setInputFiles(chosen.map(path));
  await page.locator('#upload-count', { hasText: `${chosen.length} of ${chosen.length} uploaded` }).waitFor();
  await page.getByRole('button', { name: 'Collections' }).click();
  await page.locator('#migrate-collection').selectOption(moving);
  await page.locator('#migrate-model').selectOption('sightline/tiny-clip-p96');
  await page.getByRole('button', { name: 'Start moving' }).click();
  const movedRow = page.locator(`#collections-table tr[data-collection="${moving}"]`);
  await page.waitForFunction((name) => {
    const cell = document.querySelector(`#collections-table tr[data-collection="${name}"] td.model`);
    return cell && cell.textContent.startsWith('sightline/tiny-clip-p96') && !cell.querySelector('.moving');
  }, moving, { timeout });
  result.moved_to = (await movedRow.locator('td.model').textContent()).trim();
  await page.screenshot({ path: join(outDir, 'console-moved-1280.png') });
  await page.getByRole('button', { name: `Delete ${moving}` }).click();
  await page.locator('#confirm-ok').click();
  await movedRow.waitFor({ state: 'detached' });

  // Signing out forgets the key.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#sign-in').waitFor({ state: 'visible' });
  check(await page.evaluate(() => sessionStorage.length) === 0, 'the key outlived sign-out');

  check(problems.length === 0, `browser errors: ${problems.join(' | ')}`);
  result.ok = true;
  result.screenshots = outDir;
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(`console test failed: ${e.message}`);
  if (problems.length) console.error(`browser errors: ${problems.join(' | ')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
