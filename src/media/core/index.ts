// Public face of media/core: the worker pool, the MediaCore / CallMedia interface and its types.
export * from './media-types.ts';
export { MediaWorkerPool, ROUTER_MEDIA_CODECS, DEFAULT_RTC_PORT_RANGE } from './worker-pool.ts';
export { withDeadline, DEFAULT_MEDIA_REQUEST_TIMEOUT_MS } from './deadline.ts';
