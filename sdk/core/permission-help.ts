// The steps that fix a blocked device in the user's own browser and operating system, picked
// from the catalogue in i18n (strings().permissionHelp). Pure: the browser is passed in (browserInfo()).
import { format, strings } from '../i18n/index.js';
import type { BrowserInfo } from './browser-info.js';
import type { LocalMediaError } from './local-media.js';

/** What the help needs to know of the browser. */
export type HelpBrowser = Pick<BrowserInfo, 'browser' | 'browserFamily' | 'osFamily'>;

const MOBILE = new Set(['ios', 'android']);

/** The browser's name without its version ("Chrome", "Microsoft Edge"), for the sentences. */
function browserName(info: HelpBrowser): string {
  return info.browser.replace(/\s+[\d.]+$/, '') || 'your browser';
}

/** Steps that fix `error` here, or null when there is nothing the user can do about it. */
export function permissionHelp(error: Pick<LocalMediaError, 'kind' | 'device'>, info: HelpBrowser, devices?: 'both'): string | null {
  const help = strings().permissionHelp;
  const device = devices === 'both' ? help.bothDevices : strings().room.devices[error.device];
  const values = { device, browser: browserName(info) };
  // Phones differ more by system than by browser: their steps go by OS.
  const place = MOBILE.has(info.osFamily) ? info.osFamily : info.browserFamily;
  let template: string | undefined;
  switch (error.kind) {
    case 'permission_denied':
      template = error.device === 'screen' ? help.screen_denied[info.osFamily] ?? help.screen_denied.other : help.permission_denied[place] ?? help.permission_denied.other;
      break;
    case 'blocked_by_os':
      template = help.blocked_by_os[info.osFamily] ?? help.blocked_by_os.other;
      break;
    case 'device_busy':
      template = help.device_busy[info.osFamily] ?? help.device_busy.other;
      break;
    case 'not_found':
      template = error.device === 'screen' ? undefined : help.not_found.other;
      break;
    default:
      template = undefined;
  }
  return template ? format(template, values) : null;
}
