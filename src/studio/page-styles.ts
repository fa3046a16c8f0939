/**
 * The studio's styles. Colours keep at least WCAG AA contrast (4.5:1 for
 * text) on their backgrounds, focus is always visible, and below 720 px the
 * layout is one column so the page works on a phone.
 */
export const PAGE_STYLES = `
:root {
  color-scheme: light;
  --ink: #1b1f24; --muted: #4a5361; --paper: #f6f7f9; --card: #ffffff; --line: #d0d5dd;
  --accent: #1f4fd1; --accent-ink: #ffffff; --danger: #a4161a; --ok: #1d6b35; --focus: #b35c00;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--paper); color: var(--ink); }
.top { padding: 1rem 1.25rem 0.25rem; }
.top h1 { margin: 0; font-size: 1.5rem; }
.tagline { margin: 0.25rem 0 0; color: var(--muted); }
main { display: grid; grid-template-columns: minmax(18rem, 26rem) minmax(0, 1fr); gap: 1.25rem; padding: 1rem 1.25rem 2rem; align-items: start; }
@media (max-width: 720px) { main { grid-template-columns: minmax(0, 1fr); padding: 0.75rem; } }
.panel { min-width: 0; background: var(--card); border: 1px solid var(--line); border-radius: 0.5rem; padding: 1rem; }
.panel h2 { margin: 0 0 0.75rem; font-size: 1.15rem; }
.row { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; }
label { display: block; font-weight: 600; margin: 0.5rem 0 0.25rem; }
textarea, select, input[type=text], input[type=password] { width: 100%; font: inherit; color: inherit; padding: 0.5rem; border: 1px solid #8a94a3; border-radius: 0.35rem; background: #fff; }
input[type=file] { font: inherit; max-width: 100%; }
.choices { display: grid; grid-template-columns: repeat(auto-fit, minmax(7.5rem, 1fr)); gap: 0 0.75rem; }
.help { color: var(--muted); font-size: 0.9rem; margin: 0.25rem 0; }
.preview img, .preview video { max-width: 100%; max-height: 12rem; border-radius: 0.35rem; margin-top: 0.5rem; display: block; }
.actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.75rem; }
button, .button { font: inherit; font-weight: 600; border-radius: 0.35rem; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); padding: 0.45rem 0.9rem; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
button:disabled { opacity: 0.6; cursor: progress; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.error { color: var(--danger); }
.error:empty { display: none; }
.error ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
.gallery { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; align-items: start; }
.card { border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.75rem; background: #fff; display: flex; flex-direction: column; gap: 0.5rem; min-width: 0; }
.card h3 { font-size: 1rem; margin: 0; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: 0.875rem; margin: 0; }
.badge { display: inline-block; font-size: 0.8rem; font-weight: 700; padding: 0.1rem 0.5rem; border-radius: 1rem; background: #e7ebf3; color: var(--ink); }
.badge.succeeded { background: #dcefe2; color: var(--ok); }
.badge.failed, .badge.timed_out { background: #f7dedf; color: var(--danger); }
.badge.cancelled { background: #eceef1; color: var(--muted); }
progress { width: 100%; height: 0.75rem; accent-color: var(--accent); }
.variant video { width: 100%; border-radius: 0.35rem; background: #000; display: block; }
.variant .actions { margin-top: 0.35rem; }
.remix { border-top: 1px solid var(--line); padding-top: 0.5rem; }
.remix summary { cursor: pointer; font-weight: 600; color: var(--accent); }
dialog { border: 1px solid var(--line); border-radius: 0.5rem; max-width: 26rem; width: calc(100% - 2rem); }
dialog::backdrop { background: rgb(0 0 0 / 0.4); }
`;
