// "Copy diagnostics": the escalation report support pastes into a ticket. Each side gathers its own
// half here (browser and OS via browserInfo(), permission states, device counts, connection figures
// from the media statistics, its view of the call); the agent's report merges the client's half
// (which the client's browser reported to the service) so support gets both at once. Nothing in
// it is a secret: no token, and the join link loses its fragment (where the secret is).
import type { DiagnosticsHalf } from '../../protocol/diagnostics.js';
import { browserInfo } from './browser-info.js';
import type { CallView, Role, TrackSource } from './types.js';

export type { DiagnosticsHalf } from '../../protocol/diagnostics.js';

/** The permission states a half reports. */
type PermissionStateOrUnsupported = DiagnosticsHalf['permissions']['camera'];

/** A join link without its secret: the fragment (and any query) removed. */
export function withoutSecret(link: string): string {
  try {
    const url = new URL(link);
    return `${url.origin}${url.pathname}`;
  } catch {
    return link.split(/[#?]/)[0] ?? '';
  }
}

/** What a statistics report says of the connection: round-trip time, inbound packet loss, the path's candidate type. */
export function connectionFromStats(report: { forEach(callback: (entry: Record<string, unknown>) => void): void } | null): Pick<DiagnosticsHalf['connection'], 'rttMs' | 'packetLossPercent' | 'candidateType'> {
  let rttMs: number | null = null;
  let lost = 0;
  let received = 0;
  let localCandidateId: string | null = null;
  const candidates = new Map<string, string>();
  report?.forEach((entry) => {
    if (entry.type === 'candidate-pair' && (entry.nominated === true || entry.selected === true) && entry.state === 'succeeded') {
      if (typeof entry.currentRoundTripTime === 'number') rttMs = Math.round(entry.currentRoundTripTime * 10_000) / 10;
      if (typeof entry.localCandidateId === 'string') localCandidateId = entry.localCandidateId;
    }
    if (entry.type === 'inbound-rtp') {
      if (typeof entry.packetsLost === 'number') lost += Math.max(0, entry.packetsLost);
      if (typeof entry.packetsReceived === 'number') received += entry.packetsReceived;
    }
    if (entry.type === 'local-candidate' && typeof entry.id === 'string' && typeof entry.candidateType === 'string') candidates.set(entry.id, entry.candidateType);
  });
  const packetLossPercent = lost + received > 0 ? Math.round((lost / (lost + received)) * 1000) / 10 : null;
  return { rttMs, packetLossPercent, candidateType: (localCandidateId && candidates.get(localCandidateId)) ?? null };
}

/** Camera and microphone permission states, where the browser can tell (Permissions API). */
export async function permissionStates(): Promise<DiagnosticsHalf['permissions']> {
  const query = async (name: string): Promise<PermissionStateOrUnsupported> => {
    try {
      return (await navigator.permissions.query({ name: name as PermissionName })).state;
    } catch {
      return 'unsupported';
    }
  };
  const [camera, microphone] = await Promise.all([query('camera'), query('microphone')]);
  return { camera, microphone };
}

/** How many devices of each kind, and how many carry a label (only once a permission was granted). */
export async function deviceCounts(): Promise<DiagnosticsHalf['devices']> {
  const devices = await navigator.mediaDevices?.enumerateDevices().catch(() => []) ?? [];
  const count = (kind: MediaDeviceKind) => Math.min(64, devices.filter((d) => d.kind === kind).length);
  return { audioinput: count('audioinput'), videoinput: count('videoinput'), audiooutput: count('audiooutput'), labelled: Math.min(64, devices.filter((d) => d.label).length) };
}

/** What a side knows of itself when it gathers its half. */
export interface HalfInput {
  status: string;
  enabled: Record<TrackSource, boolean>;
  mediaMode: string;
  /** The media statistics (null without a media connection yet). */
  stats: () => Promise<{ forEach(callback: (entry: Record<string, unknown>) => void): void } | null>;
  now?: Date;
}

/** Gathers this browser's half. */
export async function collectHalf(input: HalfInput): Promise<DiagnosticsHalf> {
  const now = input.now ?? new Date();
  const [info, permissions, devices, stats] = await Promise.all([
    browserInfo(), permissionStates(), deviceCounts(), input.stats().catch(() => null),
  ]);
  const clip = (text: string, max: number) => text.slice(0, max);
  return {
    collectedAt: now.toISOString(),
    localTime: clip(now.toLocaleString(), 80),
    timeZone: clip(Intl.DateTimeFormat().resolvedOptions().timeZone ?? '', 64),
    browser: clip(info.browser, 120),
    os: clip(info.os, 120),
    platform: clip(info.platform, 32),
    userAgent: clip(info.userAgent, 512),
    permissions,
    devices,
    connection: { mediaMode: clip(input.mediaMode, 16), ...connectionFromStats(stats) },
    call: { status: clip(input.status, 32), microphone: input.enabled.microphone, camera: input.enabled.camera, screen: input.enabled.screen },
  };
}

/** The whole report: the call's facts, its timeline, and each side's half. */
export interface DiagnosticsReport {
  generatedAt: string;
  localTime: string;
  /** Who copied it. */
  copiedBy: Role;
  call: Pick<CallView, 'id' | 'orgId' | 'agentId' | 'agentName' | 'clientId' | 'clientName' | 'conversationId' | 'status' | 'media' | 'createdAt'> | null;
  /** The join link without its secret. */
  joinLink: string | null;
  /** The room's status on the copying side. */
  roomStatus: string;
  timeline: { at: string; type: string; by: string }[];
  halves: Record<Role, DiagnosticsHalf | null>;
  /** What could not be gathered (the other half not reported yet, the timeline unreachable…). */
  notes: string[];
}

/** Assembles the report; the join link is stripped of its secret whatever is passed. */
export function buildReport(input: Omit<DiagnosticsReport, 'generatedAt' | 'localTime' | 'call'> & { call: CallView | null; now?: Date }): DiagnosticsReport {
  const now = input.now ?? new Date();
  const c = input.call;
  return {
    generatedAt: now.toISOString(),
    localTime: now.toLocaleString(),
    copiedBy: input.copiedBy,
    call: c && {
      id: c.id, orgId: c.orgId, agentId: c.agentId, agentName: c.agentName, clientId: c.clientId, clientName: c.clientName,
      conversationId: c.conversationId, status: c.status, media: c.media, createdAt: c.createdAt,
    },
    joinLink: input.joinLink === null ? null : withoutSecret(input.joinLink),
    roomStatus: input.roomStatus,
    timeline: input.timeline,
    halves: input.halves,
    notes: input.notes,
  };
}

function halfText(role: Role, half: DiagnosticsHalf | null): string[] {
  const title = role === 'agent' ? 'Agent side' : 'Client side';
  if (!half) return [`## ${title}`, 'Not available.'];
  const n = (value: number | null, unit: string) => (value === null ? 'n/a' : `${value} ${unit}`);
  const on = (flag: boolean) => (flag ? 'on' : 'off');
  return [
    `## ${title}`,
    `Collected: ${half.collectedAt} (local ${half.localTime}, ${half.timeZone})`,
    `Browser: ${half.browser} · OS: ${half.os} · ${half.platform}`,
    `User agent: ${half.userAgent}`,
    `Permissions: camera ${half.permissions.camera}, microphone ${half.permissions.microphone}`,
    `Devices: ${half.devices.audioinput} microphone(s), ${half.devices.videoinput} camera(s), ${half.devices.audiooutput} speaker(s), ${half.devices.labelled} labelled`,
    `Connection: ${half.connection.mediaMode} · RTT ${n(half.connection.rttMs, 'ms')} · packet loss ${n(half.connection.packetLossPercent, '%')} · path ${half.connection.candidateType ?? 'n/a'}`,
    `Call: ${half.call.status} · microphone ${on(half.call.microphone)} · camera ${on(half.call.camera)} · screen ${on(half.call.screen)}`,
  ];
}

/** The report as plain text, for a ticket or a chat. */
export function reportText(report: DiagnosticsReport): string {
  const c = report.call;
  const lines = [
    '# Switchboard call diagnostics',
    `Generated: ${report.generatedAt} (local ${report.localTime}) by the ${report.copiedBy}`,
    `Org: ${c?.orgId ?? 'n/a'}`,
    `Agent: ${c ? `${c.agentName ?? ''} (${c.agentId})`.trim() : 'n/a'}`,
    `Client: ${c ? `${c.clientName ?? ''} (${c.clientId})`.trim() : 'n/a'}`,
    `Conversation: ${c?.conversationId ?? 'n/a'}`,
    `Call: ${c?.id ?? 'n/a'} · ${c?.media ?? ''} · call status ${c?.status ?? 'n/a'} · room ${report.roomStatus}`,
    `Join link (without its secret): ${report.joinLink ?? 'n/a'}`,
    '',
    ...halfText('agent', report.halves.agent),
    '',
    ...halfText('client', report.halves.client),
    '',
    '## Timeline',
    ...(report.timeline.length ? report.timeline.map((e) => `${e.at}  ${e.type}  (${e.by})`) : ['n/a']),
  ];
  if (report.notes.length) lines.push('', '## Notes', ...report.notes);
  lines.push('', '## JSON', JSON.stringify(report));
  return lines.join('\n');
}

/**
 * Copies text: the Clipboard API where allowed, else a selected hidden textarea and
 * `execCommand('copy')` (an insecure page, a denied permission). 'failed': the caller shows the
 * text selected for the user to copy by hand.
 */
export async function copyText(text: string, doc: Document = document): Promise<'copied' | 'failed'> {
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    const area = doc.createElement('textarea');
    area.value = text;
    area.readOnly = true;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    doc.body.append(area);
    area.select();
    let copied: boolean;
    try {
      copied = doc.execCommand('copy');
    } catch {
      copied = false;
    }
    area.remove();
    return copied ? 'copied' : 'failed';
  }
}
