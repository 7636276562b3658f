// Package static embeds the stylesheets, vendored CSS and images served
// under /static.
package static

import "embed"

// Files holds everything under /static.
//
//go:embed css img js vendor
var Files embed.FS
