// Makes sure Debian's Chromium is present for the browser tests: installs it when
// missing and we are root, otherwise stops with a one-line instruction.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

if (process.env.CHROMIUM_PATH) {
  console.error(`CHROMIUM_PATH=${path} does not exist; point it at a Chromium binary.`);
  process.exit(1);
}
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log('Chromium is missing: installing Debian\'s chromium package (apt-get)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
    shell: '/bin/bash',
  });
  if (existsSync(path)) process.exit(0);
}
console.error('The browser tests need Chromium: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH) and retry.');
process.exit(1);
