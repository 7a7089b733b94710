// The fix for a blocked device names the user's own browser and system (user agents injected).
import { assert } from '@open-wc/testing';
import { browserInfo } from '../../../sdk/core/browser-info.js';
import { classifyMediaError, LocalMediaError } from '../../../sdk/core/local-media.js';
import { permissionHelp } from '../../../sdk/core/permission-help.js';
import { en } from '../../../sdk/i18n/en.js';

const AGENTS = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
};

const denied = (device: 'camera' | 'microphone' | 'screen') => new LocalMediaError('permission_denied', device, 'NotAllowedError');

describe('permissionHelp', () => {
  it('gives each browser family its own steps for a denied camera', async () => {
    const expected: [string, string][] = [
      [AGENTS.chromeWindows, en.permissionHelp.permission_denied.chrome!],
      [AGENTS.edgeWindows, en.permissionHelp.permission_denied.edge!],
      [AGENTS.firefoxLinux, en.permissionHelp.permission_denied.firefox!],
      [AGENTS.safariMac, en.permissionHelp.permission_denied.safari!],
      [AGENTS.safariIphone, en.permissionHelp.permission_denied.ios!],
      [AGENTS.chromeAndroid, en.permissionHelp.permission_denied.android!],
    ];
    const seen = new Set<string>();
    for (const [ua, template] of expected) {
      const help = permissionHelp(denied('camera'), await browserInfo(ua))!;
      assert.isNotNull(help, ua);
      assert.equal(help.split('{')[0], help, `no placeholder left: ${help}`);
      assert.isTrue(help.startsWith(template.split('{')[0]!), `${ua}: ${help}`);
      assert.include(help, 'camera', ua);
      seen.add(help);
    }
    assert.equal(seen.size, expected.length, 'six different instructions');
  });

  it('names the browser in the system settings when the OS blocks it (Chrome on macOS: "Permission denied by system")', async () => {
    const error = classifyMediaError(new DOMException('Permission denied by system', 'NotAllowedError'), 'camera');
    assert.equal(error.kind, 'blocked_by_os');
    assert.equal(error.message, en.media.blocked_by_os.camera);
    const mac = permissionHelp(error, await browserInfo(AGENTS.chromeMac))!;
    assert.include(mac, 'System Settings > Privacy & Security');
    assert.include(mac, 'Chrome');
    const windows = permissionHelp(error, await browserInfo(AGENTS.edgeWindows))!;
    assert.include(windows, 'Windows Settings');
    assert.include(windows, 'Edge');
  });

  it('a user refusal stays a permission problem', () => {
    assert.equal(classifyMediaError(new DOMException('Permission denied', 'NotAllowedError'), 'microphone').kind, 'permission_denied');
  });

  it('covers a busy device, a missing one, a refused screen share (macOS screen recording) and both devices at once', async () => {
    const windows = await browserInfo(AGENTS.chromeWindows);
    assert.include(permissionHelp(new LocalMediaError('device_busy', 'camera', 'NotReadableError'), windows)!, 'Teams');
    assert.include(permissionHelp(new LocalMediaError('not_found', 'microphone', 'NotFoundError'), windows)!, 'Plug in a microphone');
    assert.include(permissionHelp(denied('screen'), await browserInfo(AGENTS.safariMac))!, 'Screen & System Audio Recording');
    assert.include(permissionHelp(denied('screen'), windows)!, 'pick a tab or a window');
    assert.include(permissionHelp(denied('camera'), windows, 'both')!, 'camera and microphone');
    assert.isNull(permissionHelp(new LocalMediaError('unknown', 'camera', 'Error'), windows));
  });
});
