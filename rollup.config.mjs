// Browser bundle: dist/switchboard.js (registers <call-button>, <call-room>).
// <call-room> (with the direct media engine) is a dynamic import, so it lands in its own
// chunk and loads only when a call opens; the LiveKit engine and livekit-client are a
// further dynamic import (chunks/livekit-session-*.js), loaded only by LiveKit-mode calls.
// test/build/bundle.test.ts checks this shape.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

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
  ],
};
