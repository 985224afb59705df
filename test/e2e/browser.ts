// Zipkin's web UI → its "Logs" button → VictoriaLogs' web UI, in Debian's headless Chromium
// driven by playwright-core (never a browser download of its own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling out, and on a closed network
// floods its log with refused connections.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PAGE_TIMEOUT_MS = 60_000;
// Screenshots are JPEG (a `.jpg` path): small enough to keep a pair in docs/img/.
const JPEG_QUALITY = 50;

/** What to open and what the logs page must show. */
export interface LogsButtonCheck {
  readonly zipkin: string;
  readonly traceId: string;
  /** Texts the VictoriaLogs page must show (the request's messages, both service names). */
  readonly expectedTexts: readonly string[];
  /** Where to save the screenshots: `.jpg` paths. */
  readonly screenshots: { readonly zipkin: string; readonly victoriaLogs: string };
}

/** What the browser saw. */
export interface LogsButtonResult {
  /** Where the "Logs" button led. */
  readonly logsUrl: string;
  /** The expected texts the VictoriaLogs page did not show (within the page timeout). */
  readonly missingTexts: string[];
}

/** Polls the page until it shows every text, or the page timeout passes; resolves the missing ones. */
async function waitForTexts(page: Page, texts: readonly string[]): Promise<string[]> {
  const deadline = Date.now() + PAGE_TIMEOUT_MS;
  for (;;) {
    const shown = await page.locator('body').innerText();
    const missing = texts.filter((text) => !shown.includes(text));
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await page.waitForTimeout(500);
  }
}

/**
 * Opens the trace's page in Zipkin, presses "Logs", and waits (bounded) until the page it opens
 * shows every expected text; keeps a screenshot of both pages.
 */
export async function followLogsButton(check: LogsButtonCheck): Promise<LogsButtonResult> {
  const profile = mkdtempSync(join(tmpdir(), 'tracelink-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 720 },
    timeout: PAGE_TIMEOUT_MS,
  });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    // Find the trace as a user would: the "Trace ID" box of Zipkin's search page.
    await page.goto(`${check.zipkin}/zipkin/`);
    const search = page.getByPlaceholder(/trace id/i);
    await search.fill(check.traceId);
    await search.press('Enter');
    await page.waitForURL(`**/zipkin/traces/${check.traceId}`);
    // Both services' spans are drawn before the picture is taken.
    await page
      .getByText(/^billing: /)
      .first()
      .waitFor({ state: 'visible' });
    await page
      .getByText(/^orders: /)
      .first()
      .waitFor({ state: 'visible' });
    await page.screenshot({ path: check.screenshots.zipkin, quality: JPEG_QUALITY });
    // The "Logs" button (logs-url set) is the "View Logs" item of the trace's menu, beside
    // "Span table"; it opens a new tab.
    await page.locator('button:has-text("Span table") + button').click();
    const logsButton = page.getByRole('menuitem', { name: /logs/i });
    const opened = context.waitForEvent('page');
    await logsButton.click();
    const logsPage = await opened;
    try {
      await logsPage.waitForLoadState('domcontentloaded');
      // The first records drawn (in the Group view), then the Table view, which shows each
      // record's service.name beside its message.
      await waitForTexts(logsPage, check.expectedTexts.slice(0, 1));
      await logsPage
        .getByText(/^Table$/)
        .first()
        .click();
      const missing = await waitForTexts(logsPage, check.expectedTexts);
      return { logsUrl: logsPage.url(), missingTexts: missing };
    } finally {
      await logsPage.screenshot({ path: check.screenshots.victoriaLogs, quality: JPEG_QUALITY });
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
