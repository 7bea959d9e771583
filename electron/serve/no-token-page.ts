/**
 * The page a browser gets when it opens the web host without a valid token (a bookmark
 * without `?token=`, a cleared cookie, an old URL): how to get in, instead of raw JSON.
 */
export function noTokenPage(reason: 'missing' | 'wrong'): string {
  const why = reason === 'missing'
    ? 'This address needs the access token that <code>ontocat serve</code> prints.'
    : 'The access token in this address is not the one of this catalog.';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Ontocat: open the app with its link</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#222}code{background:#f2f2f2;padding:0 .25em}</style></head>
<body>
<main>
<h1>Open Ontocat with its link</h1>
<p>${why}</p>
<ul>
<li>Open the URL printed by <code>ontocat serve</code> (the line <code>Open: http://…/?token=…</code>), or</li>
<li>run <code>ontocat serve --open</code> to open it in your browser.</li>
</ul>
<p>The token is kept per catalog in <code>.ontocat.token</code> in its storage root, so the link stays valid when the server restarts.</p>
</main>
</body>
</html>
`;
}
