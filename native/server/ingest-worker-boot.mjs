// Worker entry: workers do not inherit the parent's TypeScript loader, so register it here first.
import { register } from 'tsx/esm/api';

register();
await import('./ingest-worker.ts');
