// Connection quality of one side of the call, from WebRTC statistics: packet loss, round-trip
// time and the bitrate the connection can carry. Pure: the sample is computed from two
// successive getStats() reports, then classified; tests feed both directly.

/** How good a connection is, as the indicator shows it (three bars, two, one). */
export const QualityLevel = { good: 'good', fair: 'fair', poor: 'poor' } as const;
/** One quality level. */
export type QualityLevel = (typeof QualityLevel)[keyof typeof QualityLevel];

/** Where each measure turns fair, then poor. */
export const QUALITY_THRESHOLDS = {
  /** Packets lost over the last interval, in percent (audio starts to break up past ~3 %). */
  fairLossPercent: 2,
  poorLossPercent: 8,
  /** Round-trip time in milliseconds (conversation gets awkward past ~300 ms, hard past ~500 ms). */
  fairRoundTripMs: 250,
  poorRoundTripMs: 500,
  /** Bitrate the connection estimates it can send, in kbit/s, counted only while sending video. */
  fairOutgoingKbps: 300,
  poorOutgoingKbps: 100,
} as const;

/** One interval's measures; null where the browser gave nothing to measure. */
export interface QualitySample {
  /** Packets lost in the interval, in percent of those expected (received and sent, the worse one). */
  lossPercent: number | null;
  roundTripMs: number | null;
  /** The connection's estimate of what it can send (candidate pair `availableOutgoingBitrate`). */
  outgoingKbps: number | null;
  /** Video is being sent (a low outgoing estimate only matters then). */
  sendingVideo: boolean;
}

/** The worst of two levels. */
export function worstLevel(a: QualityLevel, b: QualityLevel): QualityLevel {
  const rank: Record<QualityLevel, number> = { good: 0, fair: 1, poor: 2 };
  return rank[a] >= rank[b] ? a : b;
}

/** good / fair / poor from one sample (the worst measure wins); null when nothing was measured. */
export function classifyQuality(sample: QualitySample, thresholds = QUALITY_THRESHOLDS): QualityLevel | null {
  const levels: QualityLevel[] = [];
  const grade = (value: number, fair: number, poor: number, higherIsWorse: boolean): QualityLevel => {
    const bad = (limit: number) => (higherIsWorse ? value >= limit : value < limit);
    return bad(poor) ? 'poor' : bad(fair) ? 'fair' : 'good';
  };
  if (sample.lossPercent !== null) levels.push(grade(sample.lossPercent, thresholds.fairLossPercent, thresholds.poorLossPercent, true));
  if (sample.roundTripMs !== null) levels.push(grade(sample.roundTripMs, thresholds.fairRoundTripMs, thresholds.poorRoundTripMs, true));
  if (sample.sendingVideo && sample.outgoingKbps !== null) {
    levels.push(grade(sample.outgoingKbps, thresholds.fairOutgoingKbps, thresholds.poorOutgoingKbps, false));
  }
  return levels.length === 0 ? null : levels.reduce(worstLevel);
}

/** Packet counters kept between two reports, to measure loss over the interval rather than since the start. */
export interface PacketTotals {
  received: number;
  lost: number;
}

/** The stats fields read here (RTCStatsReport entries are plain records). */
type StatsEntry = Record<string, unknown> & { type: string; id: string };

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * A sample from a getStats() report. `previous` is what the last call returned as `totals`
 * (null the first time: loss then counts from the start of the connection).
 */
export function sampleFromStats(report: { forEach(callback: (entry: StatsEntry) => void): void }, previous: PacketTotals | null): { sample: QualitySample; totals: PacketTotals } {
  const entries: StatsEntry[] = [];
  report.forEach((entry) => entries.push(entry));
  let received = 0;
  let lost = 0;
  let remoteFractionLost: number | null = null;
  let roundTrip: number | null = null;
  let outgoing: number | null = null;
  let sendingVideo = false;
  for (const entry of entries) {
    if (entry.type === 'inbound-rtp') {
      received += num(entry['packetsReceived']) ?? 0;
      lost += Math.max(0, num(entry['packetsLost']) ?? 0);
    } else if (entry.type === 'remote-inbound-rtp') {
      // What the other side lost of what we send, as it reported it (RTCP).
      const fraction = num(entry['fractionLost']);
      if (fraction !== null) remoteFractionLost = Math.max(remoteFractionLost ?? 0, fraction);
    } else if (entry.type === 'outbound-rtp' && entry['kind'] === 'video' && (num(entry['bytesSent']) ?? 0) > 0) {
      sendingVideo = true;
    } else if (entry.type === 'candidate-pair' && (entry['nominated'] === true || entry['selected'] === true) && entry['state'] === 'succeeded') {
      const rtt = num(entry['currentRoundTripTime']);
      if (rtt !== null) roundTrip = Math.max(roundTrip ?? 0, rtt * 1000);
      const available = num(entry['availableOutgoingBitrate']);
      if (available !== null) outgoing = available / 1000;
    }
  }
  const expected = received - (previous?.received ?? 0) + (lost - (previous?.lost ?? 0));
  const inboundLoss = expected > 0 ? ((lost - (previous?.lost ?? 0)) / expected) * 100 : null;
  const outboundLoss = remoteFractionLost === null ? null : remoteFractionLost * 100;
  const losses = [inboundLoss, outboundLoss].filter((value): value is number => value !== null);
  return {
    sample: {
      lossPercent: losses.length ? Math.max(0, ...losses) : null,
      roundTripMs: roundTrip,
      outgoingKbps: outgoing,
      sendingVideo,
    },
    totals: { received, lost },
  };
}
