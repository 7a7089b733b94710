/** Loads (once) the chunk that defines <call-room> and the media engine. */
export async function loadCallRoom(): Promise<void> {
  await import('./components/call-room/define-call-room.js');
  await customElements.whenDefined('call-room');
}
