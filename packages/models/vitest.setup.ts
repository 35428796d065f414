import fc from 'fast-check';

// Property tests are reproducible: every fc.assert without its own seed starts from this one, so a
// red run can be replayed. FC_SEED=<n> explores other inputs (fast-check prints the failing seed).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122) });
