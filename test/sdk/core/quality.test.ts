import { assert } from '@open-wc/testing';
import { classifyQuality, QUALITY_THRESHOLDS, sampleFromStats } from '../../../sdk/core/quality.js';
import type { QualitySample } from '../../../sdk/core/quality.js';

const sample = (fields: Partial<QualitySample>): QualitySample => ({ lossPercent: null, roundTripMs: null, outgoingKbps: null, sendingVideo: false, ...fields });

/** A getStats()-like report from plain entries. */
const report = (...entries: Record<string, unknown>[]) => ({
  forEach: (callback: (entry: Record<string, unknown> & { type: string; id: string }) => void) =>
    entries.forEach((entry, i) => callback({ id: `s${i}`, ...entry } as Record<string, unknown> & { type: string; id: string })),
});

describe('classifyQuality', () => {
  it('is null when nothing was measured', () => {
    assert.isNull(classifyQuality(sample({})));
  });

  it('grades packet loss: good under 2 %, fair from 2 %, poor from 8 %', () => {
    assert.equal(classifyQuality(sample({ lossPercent: 0 })), 'good');
    assert.equal(classifyQuality(sample({ lossPercent: 1.9 })), 'good');
    assert.equal(classifyQuality(sample({ lossPercent: QUALITY_THRESHOLDS.fairLossPercent })), 'fair');
    assert.equal(classifyQuality(sample({ lossPercent: 7.9 })), 'fair');
    assert.equal(classifyQuality(sample({ lossPercent: QUALITY_THRESHOLDS.poorLossPercent })), 'poor');
  });

  it('grades round-trip time: fair from 250 ms, poor from 500 ms', () => {
    assert.equal(classifyQuality(sample({ roundTripMs: 40 })), 'good');
    assert.equal(classifyQuality(sample({ roundTripMs: 300 })), 'fair');
    assert.equal(classifyQuality(sample({ roundTripMs: 900 })), 'poor');
  });

  it('counts a low outgoing bitrate only while sending video', () => {
    assert.equal(classifyQuality(sample({ outgoingKbps: 50, sendingVideo: false })), null);
    assert.equal(classifyQuality(sample({ outgoingKbps: 50, sendingVideo: true })), 'poor');
    assert.equal(classifyQuality(sample({ outgoingKbps: 200, sendingVideo: true })), 'fair');
    assert.equal(classifyQuality(sample({ outgoingKbps: 2500, sendingVideo: true })), 'good');
  });

  it('takes the worst measure', () => {
    assert.equal(classifyQuality(sample({ lossPercent: 0, roundTripMs: 20, outgoingKbps: 80, sendingVideo: true })), 'poor');
    assert.equal(classifyQuality(sample({ lossPercent: 3, roundTripMs: 20 })), 'fair');
  });
});

describe('sampleFromStats', () => {
  const pair = { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.12, availableOutgoingBitrate: 1_500_000 };

  it('reads round-trip time and outgoing bitrate from the selected candidate pair', () => {
    const { sample: s } = sampleFromStats(report(pair, { type: 'candidate-pair', nominated: false, state: 'failed', currentRoundTripTime: 9 }), null);
    assert.closeTo(s.roundTripMs!, 120, 0.001);
    assert.equal(s.outgoingKbps, 1500);
    assert.isFalse(s.sendingVideo);
  });

  it('measures inbound loss over the interval since the previous report, not since the start', () => {
    const first = sampleFromStats(report({ type: 'inbound-rtp', packetsReceived: 900, packetsLost: 100 }), null);
    assert.closeTo(first.sample.lossPercent!, 10, 0.001);
    const second = sampleFromStats(report({ type: 'inbound-rtp', packetsReceived: 1890, packetsLost: 110 }), first.totals);
    assert.closeTo(second.sample.lossPercent!, 1, 0.001, '10 lost of 1000 in the interval');
    assert.equal(classifyQuality(second.sample), 'good');
  });

  it('counts what the other side lost of what we send (remote-inbound-rtp) and notices video being sent', () => {
    const { sample: s } = sampleFromStats(
      report({ type: 'remote-inbound-rtp', fractionLost: 0.12 }, { type: 'outbound-rtp', kind: 'video', bytesSent: 5000 }, pair),
      null,
    );
    assert.closeTo(s.lossPercent!, 12, 0.001);
    assert.isTrue(s.sendingVideo);
    assert.equal(classifyQuality(s), 'poor');
  });

  it('says nothing of loss when no packet was expected', () => {
    const { sample: s } = sampleFromStats(report({ type: 'inbound-rtp', packetsReceived: 0, packetsLost: 0 }), null);
    assert.isNull(s.lossPercent);
  });
});
