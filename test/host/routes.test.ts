// Functions route templates: parameters, optional and default values,
// catch-alls, inline constraints, precedence.
import { describe, expect, it } from 'vitest';
import { byPrecedence, compileRoute } from '../../src/local/host/routes';

describe('route templates', () => {
  it('matches literals case-insensitively and captures parameters', () => {
    const route = compileRoute('api/orders/{orderId}/items/{itemId}');
    expect(route.match('/api/orders/o-1/items/7')).toEqual({ orderId: 'o-1', itemId: '7' });
    expect(route.match('/API/Orders/o-1/ITEMS/7')).toEqual({ orderId: 'o-1', itemId: '7' });
    expect(route.match('/api/orders/o-1/items/7/')).toEqual({ orderId: 'o-1', itemId: '7' });
    expect(route.match('/api/orders/o-1/items')).toBeUndefined();
    expect(route.match('/api/orders/o-1/items/7/extra')).toBeUndefined();
  });

  it('decodes percent-encoded parameter values', () => {
    expect(compileRoute('api/files/{name}').match('/api/files/a%20b.txt')).toEqual({ name: 'a b.txt' });
  });

  it('supports optional parameters and defaults', () => {
    const optional = compileRoute('api/products/{category}/{id?}');
    expect(optional.match('/api/products/tools')).toEqual({ category: 'tools' });
    expect(optional.match('/api/products/tools/9')).toEqual({ category: 'tools', id: '9' });
    const withDefault = compileRoute('api/pages/{page=1}');
    expect(withDefault.match('/api/pages')).toEqual({ page: '1' });
    expect(withDefault.match('/api/pages/3')).toEqual({ page: '3' });
  });

  it('supports catch-all parameters', () => {
    const route = compileRoute('api/static/{*path}');
    expect(route.match('/api/static/css/site/main.css')).toEqual({ path: 'css/site/main.css' });
    expect(route.match('/api/static')).toEqual({});
  });

  it('applies inline constraints', () => {
    const int = compileRoute('api/items/{id:int}');
    expect(int.match('/api/items/42')).toEqual({ id: '42' });
    expect(int.match('/api/items/abc')).toBeUndefined();
    expect(int.match('/api/items/99999999999')).toBeUndefined();
    const chained = compileRoute('api/items/{id:int:min(10)}');
    expect(chained.match('/api/items/9')).toBeUndefined();
    expect(chained.match('/api/items/10')).toEqual({ id: '10' });
    expect(compileRoute('api/flag/{on:bool}').match('/api/flag/TRUE')).toEqual({ on: 'TRUE' });
    expect(compileRoute('api/name/{n:alpha:maxlength(3)}').match('/api/name/abcd')).toBeUndefined();
    expect(compileRoute('api/range/{n:range(1,5)}').match('/api/range/6')).toBeUndefined();
    const guid = compileRoute('api/jobs/{id:guid}');
    expect(guid.match('/api/jobs/0f8fad5b-d9cb-469f-a165-70867728950e')).toBeDefined();
    expect(guid.match('/api/jobs/not-a-guid')).toBeUndefined();
  });

  it('supports regex constraints with escaped braces', () => {
    const route = compileRoute('api/codes/{code:regex(^\\d{{3}}$)}');
    expect(route.match('/api/codes/123')).toEqual({ code: '123' });
    expect(route.match('/api/codes/1234')).toBeUndefined();
  });

  it('supports parameters inside a segment', () => {
    expect(compileRoute('api/files/{name}.{ext}').match('/api/files/report.final.pdf')).toEqual({
      name: 'report.final',
      ext: 'pdf',
    });
  });

  it('tries literals before parameters and parameters before catch-alls', () => {
    const routes = ['api/{*rest}', 'api/orders/{id}', 'api/orders/latest', 'api/orders/{id:int}'].map(compileRoute);
    expect(routes.sort(byPrecedence).map((route) => route.template)).toEqual([
      'api/orders/latest',
      'api/orders/{id:int}',
      'api/orders/{id}',
      'api/{*rest}',
    ]);
  });
});
