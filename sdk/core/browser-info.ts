// Which browser and operating system this is, for the permission fixes shown to the user and for
// the diagnostics report. Parsed by bowser (a maintained UA parser; the user-agent string is too
// irregular for a hand-written regex), loaded on demand so the first load does not carry it.

/** Browser families the product gives its own instructions for; `other` gets the generic ones. */
export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'safari' | 'other';
/** Operating systems the product gives its own instructions for. */
export type OsFamily = 'windows' | 'macos' | 'ios' | 'android' | 'linux' | 'chromeos' | 'other';

/** What support needs to know about a browser. */
export interface BrowserInfo {
  /** e.g. "Chrome 142.0.0.0", "Safari 18.1". */
  browser: string;
  browserFamily: BrowserFamily;
  /** e.g. "macOS 15.1", "Android 14", "Linux". */
  os: string;
  osFamily: OsFamily;
  /** desktop, mobile or tablet. */
  platform: string;
  userAgent: string;
}

function browserFamily(name: string): BrowserFamily {
  const n = name.toLowerCase();
  if (n.includes('edge')) return 'edge';
  if (n.includes('firefox')) return 'firefox';
  if (n.includes('safari')) return 'safari';
  if (n.includes('chrom')) return 'chrome';
  return 'other';
}

function osFamily(name: string): OsFamily {
  const n = name.toLowerCase();
  if (n.includes('windows')) return 'windows';
  if (n.includes('mac')) return 'macos';
  if (n === 'ios' || n.includes('ipados')) return 'ios';
  if (n.includes('android')) return 'android';
  if (n.includes('chrome os') || n.includes('chromeos')) return 'chromeos';
  if (n.includes('linux')) return 'linux';
  return 'other';
}

/** Parses a user-agent string (the current browser's when omitted). */
export async function browserInfo(userAgent: string = navigator.userAgent): Promise<BrowserInfo> {
  const { default: Bowser } = await import('bowser');
  const result = Bowser.parse(userAgent);
  const browserName = result.browser.name ?? 'Unknown browser';
  const osName = result.os.name ?? 'Unknown OS';
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ');
  return {
    browser: join(browserName, result.browser.version),
    browserFamily: browserFamily(browserName),
    os: join(osName, result.os.versionName ?? result.os.version),
    osFamily: osFamily(osName),
    platform: result.platform.type ?? 'desktop',
    userAgent,
  };
}
