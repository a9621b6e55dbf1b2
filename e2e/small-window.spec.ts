/**
 * Issue 13.7: at the minimum window size (640×480) the Name column stays readable; the Details
 * pane can be hidden (remembered) and resized; columns can be resized (keyboard, remembered), and
 * empty ones (Size/Modified under calendars) give their space to Name. Issue 23.11: at that width
 * the Details pane steps aside first (Modified stays) until asked for; the filter's placeholder fits.
 */
import { expect, test } from './shared-page';
import type { Locator } from '@playwright/test';
import { PROJECT, expectAxeClean, openPath, placeholderFits, treeitem, useDemo } from './helpers';

const demo = useDemo();

// The main window's minimum size (main/shell/window.ts: minWidth 640, minHeight 480).
test.use({ viewport: { width: 640, height: 480 } });

const width = async (locator: Locator) => (await locator.boundingBox())!.width;

/** The Name cell of a row and the cells after it must not overlap. */
async function expectNameClear(row: Locator) {
  const name = (await row.locator('.st-name').boundingBox())!;
  const label = (await row.locator('.st-label').boundingBox())!;
  expect(label.x + label.width).toBeLessThanOrEqual(name.x + name.width + 0.5);
  for (const cell of ['.st-size', '.st-modified']) {
    const box = (await row.locator(cell).boundingBox())!;
    if (box.width > 0) expect(box.x).toBeGreaterThanOrEqual(name.x + name.width);
  }
}

test('640×480: Name stays readable, Details hides and resizes, columns resize, empty columns give way', async ({
  page,
}) => {
  await demo.open(page);
  const sizeHandle = page.getByRole('separator', { name: 'Resize the Size column' });
  const modifiedHandle = page.getByRole('separator', { name: 'Resize the Modified column' });

  // Calendars have no size and no date: both columns give their space to Name.
  await openPath(page, [/Lea Brunner/, 'Calendar']);
  const calendar = treeitem(page, 'Arbeit');
  await expect(calendar).toBeVisible();
  await expect(sizeHandle).toHaveCount(0);
  await expect(modifiedHandle).toHaveCount(0);
  const rowWidth = await width(calendar);
  expect(await width(calendar.locator('.st-name'))).toBeGreaterThan(rowWidth - 60);
  await treeitem(page, 'Calendar', 2).click();
  await page.keyboard.press('ArrowLeft');

  // Files: Size and Modified come back (the Details pane stepped aside), Name stays readable.
  await openPath(page, [...PROJECT.slice(0, 6), '2026 Jahresbericht']);
  const file = treeitem(page, 'Jahresbericht 2025 Entwurf.pdf');
  await file.click();
  await expect(sizeHandle).toHaveCount(1);
  await expect(modifiedHandle).toHaveCount(1);
  expect(await width(file.locator('.st-name'))).toBeGreaterThanOrEqual(200);
  await expectNameClear(file);
  await expectAxeClean(page, 'file at 640×480');

  // Every toolbar button shows whole inside the Sources area; the transfers bar keeps one line.
  const sources = page.getByRole('region', { name: 'Sources' });
  const area = (await sources.boundingBox())!;
  for (const button of await sources.locator('.toolbar button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(area.x + area.width);
  }
  const transfersButton = page.getByRole('region', { name: 'Transfers' }).getByRole('button').last();
  expect((await transfersButton.boundingBox())!.height).toBeLessThanOrEqual(34);

  // 23.11: at 640 px the Details pane steps aside first, so Modified stays beside a readable Name.
  const details = page.getByRole('complementary', { name: 'Details' });
  const toggle = page.getByRole('button', { name: 'Details', exact: true });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(details).toHaveCount(0);
  await expect.poll(() => width(file.locator('.st-modified'))).toBeGreaterThan(100);
  expect(await width(file.locator('.st-name'))).toBeGreaterThanOrEqual(200);
  await expectNameClear(file);
  expect(await placeholderFits(page)).toBe(true);

  // Asked for, the pane shows (Modified steps aside for it) and resizes with the keyboard on its handle.
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(details).toBeVisible();
  const detailsBefore = await width(details);
  await page.getByRole('separator', { name: 'Resize the details pane' }).focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await expect.poll(() => width(details)).toBeGreaterThan(detailsBefore + 20);
  await expectAxeClean(page, 'Details shown at 640×480');

  // Hidden again, Name and Modified get the room back; hidden stays hidden after a reload.
  const nameWithDetails = await width(file.locator('.st-name'));
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(details).toHaveCount(0);
  await expect.poll(() => width(file.locator('.st-modified'))).toBeGreaterThan(100);
  expect(await width(file.locator('.st-name'))).toBeGreaterThanOrEqual(nameWithDetails);
  await expectNameClear(file);

  // The Size column resizes with the keyboard (← widens), and keeps its width after a reload.
  const before = Number(await sizeHandle.getAttribute('aria-valuenow'));
  const sizeCell = file.locator('.st-size');
  const cellBefore = await width(sizeCell);
  await sizeHandle.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expect(sizeHandle).toHaveAttribute('aria-valuenow', String(before + 48));
  await expect.poll(() => width(sizeCell)).toBeGreaterThan(cellBefore + 40);
  await expectAxeClean(page, 'resized Size column');

  // …and with the mouse: dragging the Modified column's edge 30 px to the left widens it by 30 px.
  const modifiedBefore = Number(await modifiedHandle.getAttribute('aria-valuenow'));
  const edge = (await modifiedHandle.boundingBox())!;
  await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2 - 15, edge.y + edge.height / 2, { steps: 3 });
  await page.mouse.move(edge.x + edge.width / 2 - 30, edge.y + edge.height / 2, { steps: 3 });
  await page.mouse.up();
  await expect(modifiedHandle).toHaveAttribute('aria-valuenow', String(modifiedBefore + 30));

  await page.reload();
  await openPath(page, PROJECT.slice(0, 5));
  await expect(page.getByRole('button', { name: 'Details', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('complementary', { name: 'Details' })).toHaveCount(0);
  await expect(sizeHandle).toHaveAttribute('aria-valuenow', String(before + 48));
  await expect(modifiedHandle).toHaveAttribute('aria-valuenow', String(modifiedBefore + 30));

  // Shown again: the pane is back beside the tree.
  await page.getByRole('button', { name: 'Details', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Details' })).toBeVisible();
});
