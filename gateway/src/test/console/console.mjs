// The web console in a real browser: Debian's Chromium, headless, driven by playwright-core.
// usage: SIGHTLINE_URL=... SIGHTLINE_KEY=... IMAGES_DIR=<demo images> OUT_DIR=<screenshots> node console.mjs
// Prints one JSON line {"ok":true,...} and exits 0 when every step held; any failed step exits 1 with its message.
import { chromium } from 'playwright-core';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
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

  // The collections list counts what was uploaded; the collection goes after confirmation.
  await page.getByRole('button', { name: 'Collections' }).click();
  const row = page.locator(`#collections-table tr[data-collection="${collection}"]`);
  await row.waitFor();
  const images = await row.locator('td').nth(2).textContent();
  result.collection_images = Number(images);
  check(Number(images) === files.length, `the collection counts ${images} images, not ${files.length}`);
  await page.screenshot({ path: join(outDir, 'console-collections-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  check(await overflow(page) <= 0, 'the collections panel is wider than a 390 px screen');
  await page.setViewportSize({ width: 1280, height: 860 });
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
}
