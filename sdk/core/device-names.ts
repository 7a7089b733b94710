// One way to list and name devices, for the pre-join's selects and the in-call devices panel, so
// that the same device reads the same in both places.
import { format, strings } from '../i18n/index.js';

/** A device as a select lists it. */
export interface DeviceOption {
  id: string;
  label: string;
}

/**
 * The devices of one kind a select offers, in the browser's order, with their names. Chrome lists
 * "default" (and "communications") as aliases of a real device: inputs show the real devices
 * only; the speaker keeps "default" as "System default" (it follows the system's choice). A device
 * the browser gives no name (no permission yet) is "Microphone 2" by its position in the list.
 */
export function deviceOptions(devices: readonly MediaDeviceInfo[], kind: MediaDeviceKind): DeviceOption[] {
  const d = strings().inCall.devices;
  const listed = devices.filter((device) => device.kind === kind && device.deviceId && device.deviceId !== 'communications' && (kind === 'audiooutput' || device.deviceId !== 'default'));
  return listed.map((device, index) => ({
    id: device.deviceId,
    label: device.deviceId === 'default' ? d.systemDefault : device.label || format(d.unnamed[kind] ?? '{n}', { n: String(index + 1) }),
  }));
}
