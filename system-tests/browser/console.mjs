// Drives Debian's chromium headless through the operations console, for LiveIT (Java), which
// starts the cluster and kills the instance this script asks it to. Talks over stdio: prints
// "PIDS <service> <pid> <pid>…" when the page lists two instances of that service, then waits for
// a line "KILLED <pid>" on stdin; prints "STEP <what>" as it goes, "DONE" at the end, and
// "FAIL <why>" (exit 1) on any failure, with a screenshot of the page as it was.
//
// Environment: BAZAAR_URL, BAZAAR_EMAIL, BAZAAR_PASSWORD (an admin), EXPECT_SERVICES (comma-
// separated), KILL_SERVICE (a service running two instances), PRODUCT_ID (a product with stock),
// SCREENSHOTS (a folder), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(name + ' is not set');
  return value;
};
const base = env('BAZAAR_URL');
const shots = env('SCREENSHOTS');
const service = env('KILL_SERVICE');
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (line) => console.log(line);

const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(60000);
const problems = [];
page.on('pageerror', (error) => problems.push(error.message));
try {
  await page.goto(base + '/console/');
  await page.fill('#login-email', env('BAZAAR_EMAIL'));
  await page.fill('#login-password', env('BAZAAR_PASSWORD'));
  await page.click('#login-submit');
  await page.waitForSelector('#bus-state:text("live")');
  say('STEP logged in, ops.events live');

  for (const name of env('EXPECT_SERVICES').split(',')) {
    await page.waitForSelector(`tr[data-service="${name}"]`);
  }
  say('STEP every service listed');

  const row = `tr[data-service="${service}"]`;
  await page.waitForSelector(`${row}[data-instances="2"]`, { timeout: 90000 });
  const pids = await page.$$eval(`${row} [data-pid]`, (spans) => spans.map((span) => span.dataset.pid));
  await page.screenshot({ path: shots + '/console.png' });
  say(`PIDS ${service} ${pids.join(' ')}`);

  const reply = (await lines.next()).value || '';
  const [word, killed] = reply.trim().split(' ');
  if (word !== 'KILLED' || !pids.includes(killed)) throw new Error('unexpected answer: ' + reply);
  // ops.events tells the page at once; the 5 s refresh of the admin view would catch it too, later
  await page.waitForSelector(`${row} [data-pid="${killed}"]`, { state: 'detached', timeout: 30000 });
  await page.waitForSelector(`${row}[data-instances="1"]`);
  await page.waitForSelector(`#events li:has-text("${service}")`);
  say(`STEP instance ${killed} left the page`);
  await page.screenshot({ path: shots + '/console-after-kill.png' });

  await page.selectOption('#shop-product', env('PRODUCT_ID'));
  await page.click('#shop-order');
  await page.waitForSelector('#shop-status.PENDING');
  await page.waitForSelector('#shop-status.CONFIRMED', { timeout: 120000 });
  await page.waitForSelector('#settling li:has-text("CONFIRMED")');
  say('STEP demo order confirmed: ' + (await page.textContent('#shop-status')));
  await page.screenshot({ path: shots + '/console-order.png' });
  if (problems.length) throw new Error('errors in the page: ' + problems.join('; '));
  say('DONE');
} catch (error) {
  await page.screenshot({ path: shots + '/console-failure.png' }).catch(() => {});
  say('FAIL ' + String(error.message).split('\n')[0]);
  process.exitCode = 1;
} finally {
  await browser.close();
  process.exit();
}
