/**
 * drag, part 3 (issue 22.1): what selection moves spend. The real UI (browser host + built renderer
 * in Chromium, driven by Playwright) on the drag bench's simulator: open a folder of 1,000 files,
 * click its first file, then press ArrowDown 49 times, so 50 files are selected one after another
 * (a click and 49 arrow presses), and wait a settle
 * window of 1.5 s after the last one (a background staging, as before issue 22.1, started within
 * milliseconds of a selection). Counted in the simulator's request log: file-body requests
 * (`…/files/{file}/download`) and their bytes (each file of the folder is 512 KiB, asked whole).
 *
 * Reference, same run and page: one drag of a file not dragged before (dragstart, then the drop's
 * use of the one-time link), which spends exactly one request: it shows the count sees a download.
 * Target: 0 requests and 0 bytes for the 50 moves, every run.
 */
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';
import type { Simulator } from '../../simulator/index';
import type { BenchContext } from '../lib/context';
import { startHost } from '../lib/host';
import { onCleanup } from '../lib/resources';
import type { Measurement } from '../stats';

const MOVES = 50;
const SETTLE_MS = 1500;
const FILE_BYTES = 512 * 1024;
const DOWNLOAD_ROUTE = /\/files\/\{file\}\/download$/;

function treeitem(page: Page, name: string) {
  return page.getByRole('tree').getByRole('treeitem', { name, exact: true }).first();
}

async function connect(page: Page, url: string, token: string, first: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Add connection' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect Infomaniak' });
  await dialog.getByLabel('Personal Access Token').fill(token);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 30_000 }).catch(async (error: unknown) => {
    throw new Error(`the connection was not added: ${await dialog.innerText().catch(() => '?')}`, { cause: error });
  });
  await treeitem(page, first).waitFor({ state: 'visible', timeout: 30_000 });
}

async function expandPath(page: Page, path: string[]): Promise<void> {
  for (const name of path) {
    const row = treeitem(page, name);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await page.keyboard.press('ArrowRight');
    await row.and(page.locator('[aria-expanded="true"]:not([aria-busy="true"])')).waitFor({ timeout: 30_000 });
  }
}

/** File-body requests in the log. */
function bodies(sim: Simulator): number {
  return sim.log.entries().filter((e) => DOWNLOAD_ROUTE.test(e.route)).length;
}

/** One drag of the row in the browser host: dragstart (DownloadURL data), then the drop fetches its link. */
async function dragOut(page: Page, name: string): Promise<void> {
  const row = treeitem(page, name);
  let data = '';
  for (let i = 0; i < 100 && !data; i++) {
    data = await row.evaluate((el) => {
      const dt = new DataTransfer();
      el.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: dt }));
      return dt.getData('DownloadURL');
    });
    if (!data) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = data.slice(data.indexOf(':', data.indexOf(':') + 1) + 1);
  const answer = await fetch(url);
  if (answer.status !== 200) throw new Error(`the drag link answered ${answer.status}`);
  await answer.arrayBuffer();
}

/** One run in a fresh page: 50 selection moves, then (the reference) one drag of the next file. */
async function measureRun(page: Page, sim: Simulator, url: string, path: string[], run: number) {
  await page.goto(url);
  await expandPath(page, path);
  await treeitem(page, 'f-0001.bin').waitFor({ timeout: 30_000 });
  sim.log.reset();
  // A plain click selects f-0001, then each ArrowDown the next file, up to f-0050.
  await treeitem(page, 'f-0001.bin').click();
  for (let i = 1; i < MOVES; i++) await page.keyboard.press('ArrowDown');
  const last = `f-${String(MOVES).padStart(4, '0')}.bin`;
  await treeitem(page, last)
    .and(page.locator('[aria-selected="true"]'))
    .waitFor({ timeout: 30_000 })
    .catch(async (error: unknown) => {
      const selected = await page.locator('[role="treeitem"][aria-selected="true"]').allInnerTexts();
      throw new Error(`${last} was not selected (selected: ${selected.join(', ')})`, { cause: error });
    });
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const moved = bodies(sim);
  // The reference: a drag of a file no run dragged before (the host's drag cache keeps what
  // earlier runs staged), the next ones down.
  for (let i = 0; i <= run; i++) await page.keyboard.press('ArrowDown');
  const dragged = `f-${String(MOVES + run + 1).padStart(4, '0')}.bin`;
  await treeitem(page, dragged).and(page.locator('[aria-selected="true"]')).waitFor({ timeout: 30_000 });
  sim.log.reset();
  await dragOut(page, dragged);
  return { moved, oneDrag: bodies(sim) };
}

export async function selectionCase(
  ctx: BenchContext,
  sim: Simulator,
  token: string,
  path: string[],
): Promise<Measurement[]> {
  const runs = ctx.runs(3);
  let browser: Browser | null = null;
  const closeBrowser = onCleanup(async () => {
    await browser?.close();
  });
  const host = await startHost(ctx.root, sim);
  const closeHost = onCleanup(() => host.stop());
  const requests: number[] = [];
  const bytes: number[] = [];
  const oneDrag: number[] = [];
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const setup = await context.newPage();
    await connect(setup, host.url, token, path[0] as string);
    await setup.close();
    for (let run = 0; run < runs; run++) {
      ctx.progress(`drag: ${MOVES} selection moves in the UI, run ${run + 1}/${runs}`);
      const page = await context.newPage();
      try {
        const result = await measureRun(page, sim, host.url, path, run);
        requests.push(result.moved);
        bytes.push(result.moved * FILE_BYTES);
        oneDrag.push(result.oneDrag);
      } finally {
        await page.close();
      }
    }
  } finally {
    await closeBrowser();
    await closeHost();
  }
  return [
    {
      case: 'drag',
      metric: `selection moves over ${MOVES} files (UI): requests`,
      unit: 'req',
      runs: requests,
      reference: { label: 'one drag of a file', runs: oneDrag },
      target: { subject: 'every', op: '==', threshold: 0, text: '= 0 every run' },
      note: `file-body requests in the simulator's log within ${SETTLE_MS} ms after the last move; a drag spends one`,
    },
    {
      case: 'drag',
      metric: `selection moves over ${MOVES} files (UI): bytes`,
      unit: 'B',
      runs: bytes,
      target: { subject: 'every', op: '==', threshold: 0, text: '= 0 every run' },
      note: 'the listed sizes of the files asked for (512 KiB each)',
    },
  ];
}
