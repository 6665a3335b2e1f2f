// Public face of media/codec: G.711, A↔µ transcoding, PCM helpers, resampling, RTP/RTCP, WAV.
export * from './codec-types.ts';
export {
  ALAW_DECODE, ULAW_DECODE, ALAW_SILENCE, ULAW_SILENCE, alawEncodeSample, ulawEncodeSample,
  decodeTable, silenceOctet, g711Decode, g711DecodeRange, g711Encode, decodeG711, encodeG711,
} from './g711.ts';
export { ALAW_TO_ULAW, ULAW_TO_ALAW, transcodeG711, transcodeG711Range } from './g711-transcode.ts';
export {
  clip16, pcmFromBytesLE, pcmToBytesLE, accumulate, clipInto, mixClipped, meanSquare, rmsDbfs, deinterleave,
} from './pcm.ts';
export { Resampler, resample, designLowPass, type ResamplerOptions } from './resampler.ts';
export {
  RTP_HEADER_SIZE, createRtpHeader, parseRtp, buildRtp, rtpPacketSize, looksLikeRtcp,
  writeRtpFixedHeader, setRtpPayloadType, setRtpSequenceNumber, setRtpTimestamp, setRtpSsrc, seqDelta, tsDelta,
} from './rtp.ts';
export {
  RTCP_SR, RTCP_RR, RTCP_SDES, RTCP_BYE, RTCP_APP, summarizeRtcp, createRtcpSummary, type RtcpSummary,
} from './rtcp.ts';
export {
  buildWavHeader, parseWavHeader, readWav, writeWav, wavHeaderSize, bitsPerSample, WavFormatError,
} from './wav.ts';
