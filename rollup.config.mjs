// Browser bundle: dist/switchboard.js (registers <call-button>, <call-room>).
// <call-room> and the media engine are dynamic imports, so they land in their own
// chunks and load only when a call opens.
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
