// Side effect: registers <call-room>. Loaded lazily by loadCallRoom().
import { CallRoom } from './call-room.js';

if (!customElements.get('call-room')) customElements.define('call-room', CallRoom);
