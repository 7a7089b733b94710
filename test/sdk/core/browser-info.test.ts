import { assert } from '@open-wc/testing';
import { browserInfo } from '../../../sdk/core/browser-info.js';

// Real user-agent strings of the browsers the product gives its own instructions for.
const AGENTS = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
};

describe('browserInfo', () => {
  it('names the browser family, OS family and platform of real user agents', async () => {
    const cases: [string, string, string, string][] = [
      [AGENTS.chromeWindows, 'chrome', 'windows', 'desktop'],
      [AGENTS.edgeWindows, 'edge', 'windows', 'desktop'],
      [AGENTS.firefoxLinux, 'firefox', 'linux', 'desktop'],
      [AGENTS.safariMac, 'safari', 'macos', 'desktop'],
      [AGENTS.safariIphone, 'safari', 'ios', 'mobile'],
      [AGENTS.chromeAndroid, 'chrome', 'android', 'mobile'],
    ];
    for (const [ua, browser, os, platform] of cases) {
      const info = await browserInfo(ua);
      assert.equal(info.browserFamily, browser, ua);
      assert.equal(info.osFamily, os, ua);
      assert.equal(info.platform, platform, ua);
      assert.equal(info.userAgent, ua);
    }
    assert.equal((await browserInfo(AGENTS.edgeWindows)).browser, 'Microsoft Edge 131.0.2903.70');
  });

  it('reads the running browser by default (Chromium on Linux here)', async () => {
    const info = await browserInfo();
    assert.equal(info.browserFamily, 'chrome');
    assert.equal(info.osFamily, 'linux');
  });

  it('an unknown agent is "other", never an error', async () => {
    const info = await browserInfo('curl/8.5.0');
    assert.equal(info.browserFamily, 'other');
    assert.equal(info.osFamily, 'other');
  });
});
