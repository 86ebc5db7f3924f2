// `npm run bench`: every benchmark, one table each. Benchmarks print numbers; they never fail a build.
export {};
await import('./ingest.bench');
await import('./query.bench');
await import('./import.bench');
await import('./client.bench');
await import('./bundle.bench');
await import('./ui.bench');
