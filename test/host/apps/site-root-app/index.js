'use strict';
const { app } = require('@azure/functions');

// Registered first on purpose: the host must order routes by precedence, not by registration.
app.http('page', {
  route: '{*path}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request) => ({ jsonBody: { fn: 'page', path: request.params.path ?? '' } }),
});
app.http('listItems', { route: 'api/items', methods: ['GET'], handler: () => ({ jsonBody: { fn: 'listItems' } }) });
app.http('getItem', { route: 'api/items/{id}', methods: ['GET'], handler: (request) => ({ jsonBody: { fn: 'getItem', id: request.params.id } }) });
app.http('cancelItem', { route: 'api/items/{id}/cancel', methods: ['POST'], handler: (request) => ({ jsonBody: { fn: 'cancelItem', id: request.params.id } }) });
