"""The web app: one page and a small script, served at `/` (no front-end toolchain: plain HTML, CSS and an ES module
that calls the same REST and SSE API as every other client, with the same access tokens)."""
