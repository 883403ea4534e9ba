package httpapi

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// client serves the browser client: a file of the bundle where the path
// names one (assets have content-hashed names, cached for a year), and the
// app's index.html for any other path, whose route the client reads
// (/meetings/{id}, /search, …). index.html is never cached, so a new
// version is picked up on the next load.
func (s *server) client(files fs.FS) fiber.Handler {
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic("web: the client bundle has no index.html: " + err.Error()) // fixed at build time
	}
	return func(c *fiber.Ctx) error {
		name := strings.TrimPrefix(path.Clean(c.Path()), "/")
		if name != "" && name != "index.html" {
			if b, err := fs.ReadFile(files, name); err == nil {
				if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
					c.Set(fiber.HeaderContentType, ct)
				}
				if strings.HasPrefix(name, "assets/") {
					c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
				} else {
					c.Set(fiber.HeaderCacheControl, "no-cache")
				}
				return c.Send(b)
			}
			if strings.HasPrefix(name, "assets/") || path.Ext(name) != "" {
				return fiber.ErrNotFound // a file that is not there: not the app
			}
		}
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.Send(index)
	}
}
