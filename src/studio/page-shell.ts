/**
 * The studio's HTML: the page's fixed structure (labelled form, gallery, key
 * dialog) so it reads and lays out before any script runs; the browser
 * modules (web/) fill in the choices and the requests. Every module is
 * preloaded so the browser fetches them at once instead of import by import.
 */
export function pageShell(moduleNames: readonly string[], entryModule: string): string {
  const preloads = moduleNames.map((name) => `<link rel="modulepreload" href="${name}">`).join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Sora studio</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="studio.css">
    ${preloads}
    <script type="module" src="${entryModule}"></script>
  </head>
  <body>
    <header class="top">
      <h1>Sora studio</h1>
      <p class="tagline">Prompts in, videos out — through this app's own API.</p>
    </header>
    <main>
      <section class="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">New video</h2>
        <form id="create-form" novalidate>
          <label for="prompt">Prompt</label>
          <textarea id="prompt" name="prompt" rows="3" required placeholder="A paper boat sailing down a rainy street"></textarea>
          <div class="choices">
            <div class="field" id="api-field" hidden>
              <label for="api">Model API</label>
              <select id="api" name="api"></select>
            </div>
            <div class="field">
              <label for="size">Size</label>
              <select id="size" name="size"></select>
            </div>
            <div class="field">
              <label for="seconds">Length (seconds)</label>
              <select id="seconds" name="seconds"></select>
            </div>
            <div class="field">
              <label for="variants">Variants</label>
              <select id="variants" name="variants"></select>
            </div>
          </div>
          <div class="field">
            <label for="media" id="media-label">Image or video (optional)</label>
            <input type="file" id="media" name="media" aria-describedby="media-help">
            <p class="help" id="media-help"></p>
            <div id="media-preview" class="preview"></div>
          </div>
          <div class="actions">
            <button type="submit" id="create">Generate</button>
          </div>
          <div id="form-error" class="error" role="alert"></div>
        </form>
      </section>
      <section class="panel" aria-labelledby="gallery-heading">
        <div class="row">
          <h2 id="gallery-heading">Requests</h2>
          <button type="button" id="refresh" class="secondary">Refresh</button>
        </div>
        <p id="gallery-status" class="help" role="status"></p>
        <ul id="gallery" class="gallery"></ul>
        <button type="button" id="more" class="secondary" hidden>Show older requests</button>
      </section>
    </main>
    <dialog id="key-dialog" aria-labelledby="key-heading">
      <form method="dialog" id="key-form">
        <h2 id="key-heading">Function key</h2>
        <p id="key-reason">The API asks for a function key. It is kept in this tab only and sent with each API call.</p>
        <label for="key">Key</label>
        <input type="password" id="key" name="key" autocomplete="off" required>
        <div class="actions">
          <button type="submit" value="save">Use key</button>
          <button type="submit" value="cancel" class="secondary" formnovalidate>Cancel</button>
        </div>
      </form>
    </dialog>
    <noscript><p class="error">The studio needs JavaScript; the HTTP API works without it (see the README).</p></noscript>
  </body>
</html>
`;
}
