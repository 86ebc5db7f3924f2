// `npm run bench`: every benchmark, one table each. Benchmarks print numbers; they never fail a build.
export {};
await import('./ingest.bench');
