// Bundle entry (dist/switchboard.js): registers <call-button>. <call-room> and the media
// engine load on demand through loadCallRoom(), in their own chunk.
import { CallButton } from './components/call-button/call-button.js';

if (!customElements.get('call-button')) customElements.define('call-button', CallButton);

export { loadCallRoom } from './load-call-room.js';
export { CallButton };
export type { CallRoom } from './components/call-room/call-room.js';
