/**
 * preview (issue 24.3): the real UI (browser host + Chromium) on a folder of 50 images, 100 ms of
 * latency on every request.
 *   - arrowing: ArrowDown over the 50 images at a fast typist's pace (one press every 100 ms on a
 *     fixed schedule, less than the settling time), then rest: the preview requests in the simulator's log (target ≤ 1:
 *     the image the selection rests on); reference: a request per press (50), what fetching on every
 *     selection would cost;
 *   - shown: one ArrowDown onto an image not seen before, then rest: the settling moment (the press +
 *     `SETTLE_MS`) → the preview image decoded in Details (target ≤ 300 ms every run); reference: the
 *     same picture fetched from Node with the app's client (one request at 100 ms).
 */
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';
import { startSimulator } from '../../simulator/index';
import type { ScenarioInput, Simulator } from '../../simulator/index';
import { SETTLE_MS } from '../../renderer/src/components/details/file-kinds';
import { appClient, timed } from '../lib/api';
import type { BenchCase } from '../lib/context';
import { startHost } from '../lib/host';
import { onCleanup } from '../lib/resources';

const TOKEN = 'preview-bench-token-0123456789';
const DRIVE = 9401;
const IMAGES = 50;
const LATENCY_MS = 100;
const PRESS_EVERY_MS = 100;
const PICTURE_ROUTES = new Set([
  'GET /2/drive/{drive}/files/{file}/preview',
  'GET /2/drive/{drive}/files/{file}/thumbnail',
]);
const name = (i: number) => `IMG_${String(5000 + i)}.png`;

const scenario: ScenarioInput = {
  name: 'preview-bench',
  // Calendar or contacts: the connection's validation reads its label there.
  tokens: [{ value: TOKEN, scopes: ['accounts', 'drive', 'workspace:calendar', 'workspace:contact'] }],
  accounts: [{ id: 1, name: 'Preview AG', type: 'owner', legal_entity_type: 'company' }],
  drives: [
    {
      id: DRIVE,
      name: 'Preview',
      account_id: 1,
      tree: {
        common: [
          {
            name: 'Photos',
            children: Array.from({ length: IMAGES }, (_, i) => ({
              name: name(i),
              content: { image: { width: 320, height: 240, seed: `p${i}` } },
            })),
          },
        ],
      },
    },
  ],
};

/** In the page: the time of each key press and the moment each preview image was decoded. */
const INSTALL = `(() => {
  const s = { presses: [], shown: {} };
  window.__preview = s;
  document.addEventListener('keydown', () => s.presses.push(performance.now()), { capture: true });
  const seen = new WeakSet();
  new MutationObserver(() => {
    for (const img of document.querySelectorAll('aside img[alt^="Preview of "]')) {
      if (seen.has(img)) continue;
      seen.add(img);
      const alt = img.getAttribute('alt');
      img.decode().then(() => { s.shown[alt] = performance.now(); }, () => { s.shown[alt] = -1; });
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['src'] });
})()`;

interface PageState {
  presses: number[];
  shown: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitShown(page: Page, alt: string, timeoutMs = 10_000): Promise<PageState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await page.evaluate('window.__preview')) as PageState;
    if (state.shown[alt] !== undefined) return state;
    if (Date.now() > deadline) throw new Error(`"${alt}" was not shown within ${timeoutMs} ms`);
    await sleep(20);
  }
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Add connection' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect Infomaniak' });
  await dialog.getByLabel('Personal Access Token').fill(TOKEN);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
  for (const [i, row] of ['Preview AG', 'kDrive', 'Preview', 'Common documents', 'Photos'].entries()) {
    const item = page
      .getByRole('tree')
      .getByRole('treeitem', { name: row, exact: true })
      .and(page.locator(`[aria-level="${i + 1}"]`));
    await item.click();
    await page.keyboard.press('ArrowRight');
    await item.and(page.locator('[aria-expanded="true"]:not([aria-busy="true"])')).waitFor({ timeout: 30_000 });
  }
}

const pictureRequests = (sim: Simulator) => sim.log.entries().filter((e) => PICTURE_ROUTES.has(e.route)).length;

async function measure(sim: Simulator, url: string, runs: number) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const closeBrowser = onCleanup(() => browser.close());
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await open(page, url);
    await page.evaluate(INSTALL);
    // Arrowing over the 50 images: the requests they cost.
    sim.log.reset();
    const t0 = Date.now();
    for (let i = 0; i < IMAGES; i++) {
      await page.keyboard.press('ArrowDown');
      await sleep(Math.max(0, t0 + (i + 1) * PRESS_EVERY_MS - Date.now())); // a fixed schedule, not press + pause
    }
    await waitShown(page, `Preview of ${name(IMAGES - 1)}`);
    await sleep(SETTLE_MS + 500);
    const arrowing = pictureRequests(sim);
    const presses = ((await page.evaluate('window.__preview')) as PageState).presses.slice(-IMAGES);
    const maxGap = Math.max(...presses.slice(1).map((t, i) => t - presses[i]!));
    // Shown after settling: one press up onto an image not shown yet, then rest.
    const shown: number[] = [];
    for (let r = 0; r < runs; r++) {
      await page.keyboard.press('ArrowUp');
      const alt = `Preview of ${name(IMAGES - 2 - r)}`;
      const state = await waitShown(page, alt);
      const at = state.shown[alt]!;
      if (at < 0) throw new Error(`${alt} did not decode`);
      shown.push(at - (state.presses.at(-1)! + SETTLE_MS));
      await sleep(SETTLE_MS + 300);
    }
    return { arrowing, shown, maxGap };
  } finally {
    await closeBrowser();
  }
}

export const previewCase: BenchCase = {
  name: 'preview',
  title: 'previews in Details (host + Chromium) at 100 ms latency: requests while arrowing, time after settling',
  async run(ctx) {
    const sim = await startSimulator({ scenario, quiet: true });
    const closeSim = onCleanup(() => sim.close());
    const host = await startHost(ctx.root, sim);
    try {
      sim.setLatency({ fixedMs: LATENCY_MS, jitterMs: 0 });
      const runs = ctx.runs(5);
      const { arrowing, shown, maxGap } = await measure(sim, host.url, runs);
      // Reference: the same picture from Node with the app's client (100 ms latency, warm connection).
      const client = appClient(sim.env(), TOKEN);
      const reference: number[] = [];
      try {
        for (let i = 0; i < runs + 1; i++) {
          const id = sim.idOf(DRIVE, `/Common documents/Photos/${name(i)}`)!;
          const path = `/2/drive/${DRIVE}/files/${id}/preview`;
          const { ms } = await timed(async () => {
            const res = await client.download('api', path, { searchParams: { width: 640, height: 480, quality: 80 } });
            for await (const chunk of res.body) void chunk;
          });
          if (i > 0) reference.push(ms);
        }
      } finally {
        await client.close();
      }
      const note = `${LATENCY_MS} ms latency; settling = the last press + ${SETTLE_MS} ms; presses every ${PRESS_EVERY_MS} ms`;
      return [
        {
          case: 'preview',
          metric: 'preview requests while arrowing over 50 images',
          unit: 'req',
          runs: [arrowing],
          reference: { label: 'one per press', runs: [IMAGES] },
          target: { subject: 'every', op: '<=', threshold: 1, text: '≤ 1 (the image it rests on)' },
          note: `${note}; the largest gap between two presses in the page: ${Math.round(maxGap)} ms`,
        },
        {
          case: 'preview',
          metric: 'preview shown after the selection settles',
          unit: 'ms',
          runs: shown,
          reference: { label: 'the picture from Node', runs: reference },
          target: { subject: 'every', op: '<=', threshold: 300, text: '≤ 300 ms every run' },
          note,
        },
      ];
    } finally {
      await host.stop();
      await closeSim();
    }
  },
};
