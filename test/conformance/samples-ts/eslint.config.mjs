// Upstream's samples are vendored unchanged (SOURCE.md) and written to
// upstream's looser style; the project's strict lint rules do not apply here.
export default [{ ignores: ['**'] }];
