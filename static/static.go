// Package static embeds the CSS, JavaScript and htmx served under /static/. The
// Makefile copies htmx.min.js in from npm; a test asserts it is embedded.
package static

import "embed"

// FS holds the static files.
//
//go:embed *.css *.js *.svg
var FS embed.FS
