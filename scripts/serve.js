/**
 * Starts the built server (`build/index.js`, or BUILD_DIR) with the workbench's defaults for what
 * adapter-node reads from the environment: BODY_SIZE_LIMIT 12M, so that the documented 10 MB
 * uploads and the form's other fields pass (adapter-node's own default is 512K). A value set in the
 * environment wins. `npm start`, `npm run demo` and the built-server tests start the server here.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

if (!process.env.BODY_SIZE_LIMIT) process.env.BODY_SIZE_LIMIT = '12M';
await import(pathToFileURL(path.resolve(process.env.BUILD_DIR ?? 'build', 'index.js')).href);
