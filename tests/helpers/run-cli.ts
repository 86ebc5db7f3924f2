// Runs `runledger …` in this process with captured output (stdout and stderr as text, and the exit code).
export { cli as runCli } from '../native/importers/support';
