// Types of ensure-livekit.mjs for the TypeScript that imports it (tests, start-livekit).

/** The server version the service and its tests are written against. */
export declare const LIVEKIT_SERVER_VERSION: string;
/** The Go version its go.mod asks for ([major, minor]). */
export declare const MIN_GO: [number, number];
/** Where the built binary is cached (gitignored). */
export declare const CACHED_LIVEKIT_BIN: string;
/** The binary to run: LIVEKIT_SERVER_BIN when set, else the cached build; null when neither is usable yet. */
export declare function findLivekitServer(env?: Record<string, string | undefined>): string | null;
/** A one-line explanation of why no binary could be found or built. */
export declare class LivekitServerMissing extends Error {}
/** Returns the binary's path, building it into .cache/livekit/bin first when needed (progress on stdio). */
export declare function ensureLivekitServer(env?: Record<string, string | undefined>): string;
