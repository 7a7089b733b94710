// The plain HTML example: `node examples/plain-html/server.mjs` while `npm start` runs (see README.md).
import { startHostBackend } from '../host-backend.mjs';

startHostBackend({ root: import.meta.dirname });
