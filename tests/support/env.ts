// Per-file environment for integration tests; values that need a database
// are filled in by useTestDatabase().
process.env.COVEY_ENV ??= "test";
