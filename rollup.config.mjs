// Browser bundle: dist/switchboard.js (registers <call-button>, <call-room>).
// <call-room> (with the direct media engine) is a dynamic import, so it lands in its own
// chunk and loads only when a call opens; the LiveKit engine and livekit-client are a
// further dynamic import (chunks/livekit-session-*.js), loaded only by LiveKit-mode calls.
// test/build/bundle.test.ts checks this shape.
// dist/preload.json names the files of each part (first load, <call-room>, LiveKit), read by the
// service at startup so that the hosted join page can <link rel="modulepreload"> them (hashed names
// change with every build: nothing is hard-coded).
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/** The chunk that holds this source file (a dynamic import's target; rollup may give it no facade). */
function chunkOf(chunks, source) {
  return chunks.find((c) => c.moduleIds.some((id) => id.replaceAll('\\', '/').endsWith(source)));
}

/** Emits preload.json: `{ entry, callRoom, livekit }`, each a list of dist/-relative files, each file in one list only. */
function preloadManifest() {
  return {
    name: 'switchboard-preload-manifest',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (fileName, into = new Set()) => {
        if (into.has(fileName)) return into;
        into.add(fileName);
        for (const imported of byName.get(fileName)?.imports ?? []) closure(imported, into);
        return into;
      };
      const part = (source, loaded) => {
        const chunk = chunkOf(chunks, source);
        if (!chunk) this.error(`preload manifest: no chunk for ${source}`);
        return [...closure(chunk.fileName)].filter((file) => !loaded.has(file));
      };
      const entry = [...closure(chunks.find((c) => c.isEntry && c.name === 'switchboard').fileName)];
      const callRoom = part('sdk/components/call-room/define-call-room.ts', new Set(entry));
      const livekit = part('sdk/core/media/livekit-session.ts', new Set([...entry, ...callRoom]));
      this.emitFile({ type: 'asset', fileName: 'preload.json', source: `${JSON.stringify({ entry, callRoom, livekit }, null, 2)}\n` });
    },
  };
}

export default {
  input: { switchboard: 'sdk/define.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  plugins: [
    nodeResolve({ browser: true }),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['sdk/**/*.ts'],
      compilerOptions: { noEmit: false, declaration: false, sourceMap: true, module: 'ESNext', moduleResolution: 'Bundler', types: [] },
      noEmitOnError: true,
    }),
    terser({ format: { comments: false } }),
    preloadManifest(),
  ],
};
