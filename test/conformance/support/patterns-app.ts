import { fileURLToPath } from 'node:url';

/** The durable patterns app (apps/patterns/): a Functions app directory with package.json `main` and host.json. */
export const PATTERNS_APP = fileURLToPath(new URL('../apps/patterns', import.meta.url));
