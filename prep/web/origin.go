package web

import (
	"fmt"
	"net/http"
)

// originCheck refuses cross-origin POSTs. The standard library's
// CrossOriginProtection reads Sec-Fetch-Site (or compares Origin with
// Host for browsers without it); on top of that, when PublicURL is set a
// present Origin must be PublicURL's, because behind a reverse proxy the
// Host header may not be the name people use.
type originCheck struct {
	cop    *http.CrossOriginProtection
	public string // scheme://host of PublicURL, or ""
}

func newOriginCheck(publicOrigin string) (*originCheck, error) {
	c := &originCheck{cop: http.NewCrossOriginProtection(), public: publicOrigin}
	if publicOrigin != "" {
		// A proxy that rewrites Host would otherwise make browsers
		// without Sec-Fetch-Site look cross-origin.
		if err := c.cop.AddTrustedOrigin(publicOrigin); err != nil {
			return nil, fmt.Errorf("web: public URL origin %q: %w", publicOrigin, err)
		}
	}
	return c, nil
}

// check returns errCrossOrigin for a request a browser sent from another
// site. Mail providers' one-click unsubscribe POSTs (RFC 8058) come from
// their servers without Origin or Sec-Fetch-Site and pass.
func (c *originCheck) check(r *http.Request) error {
	if err := c.cop.Check(r); err != nil {
		return fmt.Errorf("%w: %v", errCrossOrigin, err)
	}
	origin := r.Header.Get("Origin")
	// "null" is what browsers send for a same-origin form post under
	// Referrer-Policy: no-referrer (Fetch, "append a request Origin
	// header"); it passed the check above only with Sec-Fetch-Site:
	// same-origin.
	if c.public == "" || origin == "" || origin == "null" {
		return nil
	}
	if origin != c.public {
		return fmt.Errorf("%w: Origin %q is not the public URL's %q", errCrossOrigin, origin, c.public)
	}
	return nil
}

// sameOrigin guards a POST handler with the origin check.
func (s *server) sameOrigin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.origin.check(r); err != nil {
			s.fail(w, r, err)
			return
		}
		next(w, r)
	}
}
