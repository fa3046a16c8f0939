'use strict';
// HTTP triggers for ../http.test.ts (the classic, buffered mode).
const { app, output } = require('@azure/functions');

app.http('echo', {
  route: 'echo/{kind}/{id?}',
  methods: ['POST', 'PUT'],
  handler: async (request) => {
    const body = Buffer.from(await request.arrayBuffer());
    return {
      status: 200,
      headers: { 'x-echo-kind': request.params.kind, 'content-type': 'application/octet-stream' },
      cookies: [{ name: 'session', value: 'abc', path: '/', httpOnly: true, sameSite: 'Strict' }],
      body: Buffer.concat([Buffer.from(`${request.method} ${request.params.id ?? '-'} ${request.query.getAll('tag').join('+')} ${request.headers.get('x-caller')}|`), body]),
    };
  },
});

app.http('defaults', {
  // No route: the function name; no methods: GET and POST.
  handler: (request) => ({ jsonBody: { url: request.url, method: request.method } }),
});

app.get('nothing', { route: 'nothing', handler: () => undefined });

app.get('broken', {
  route: 'broken',
  handler: () => {
    throw new Error('the handler broke');
  },
});

const httpOut = output.http({});
app.get('namedOutput', {
  route: 'named-output',
  return: undefined,
  extraOutputs: [httpOut],
  handler: (_request, context) => {
    context.extraOutputs.set(httpOut, { status: 203, body: 'via a named http output' });
  },
});

// One route served by two functions, one method each (as the app's /api/videos).
app.get('listThings', { route: 'things', handler: () => ({ jsonBody: [] }) });
app.post('addThing', { route: 'things', handler: () => ({ status: 201 }) });
