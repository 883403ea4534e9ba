// Package httpapi owns Debrief's HTTP surface: the Fiber app, every route
// (routes.go), thin handlers that bind, call one service method, convert and
// respond, authentication, CSRF, idempotency, and problem+json errors.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/events"
	"github.com/debrief-hq/debrief/internal/idempotency"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/person"
	"github.com/debrief-hq/debrief/internal/question"
	"github.com/debrief-hq/debrief/internal/remind"
	"github.com/debrief-hq/debrief/internal/search"
)

// Services are the domain services the handlers call.
type Services struct {
	Accounts    *account.Service
	Meetings    *meeting.Service
	People      *person.Service
	Notes       *note.Service
	ActionItems *actionitem.Service
	Decisions   *decision.Service
	Questions   *question.Service
	Agenda      *agenda.Service
	Briefs      *agenda.BriefService
	Series      *agenda.SeriesService
	Calendar    *calendar.Service
	Search      *search.Service
	Reminders   *remind.Service
}

// Idempotency stores what a request sent with an Idempotency-Key created,
// and its first response (see package idempotency).
type Idempotency interface {
	Idempotent(ctx context.Context, owner, key string) (*idempotency.Stored, error)
	CompleteIdempotent(ctx context.Context, owner, key, requestHash string, status int, contentType string, body []byte) error
	ForgetIdempotent(ctx context.Context, owner, key string) error
}

// Options are the server's dependencies besides the services.
type Options struct {
	Config      config.Config
	Idempotency Idempotency
	// Ready reports whether the server can serve (the database answers).
	Ready    func(context.Context) error
	Registry *prometheus.Registry
	Log      *slog.Logger
	// Version is reported by /healthz.
	Version string
	// ReadConcurrency bounds how many API reads run at once (0: no
	// bound); the rest wait in arrival order. See readGate.
	ReadConcurrency int
	// Events are what changed, streamed to the owner's open tabs.
	Events *events.Hub
}

type server struct {
	svc  Services
	opts Options
	log  *slog.Logger
	// zones caches loaded time zones by name (a few dozen at most).
	zones sync.Map
}

// SessionCookie is the browser session cookie's name.
const SessionCookie = "debrief_session"

// New builds the Fiber app.
func New(svc Services, opts Options) *fiber.App {
	s := &server{svc: svc, opts: opts, log: opts.Log}
	app := fiber.New(fiber.Config{
		// Handlers may keep strings from the request past the handler (ent
		// queries, logs), so Fiber must not reuse their bytes.
		Immutable: true,
		// The larger of the two limits; bodyLimit holds every route but
		// the calendar import to the smaller.
		BodyLimit:             max(opts.Config.BodyLimit, opts.Config.ImportLimit),
		ErrorHandler:          errorHandler(opts.Log),
		DisableStartupMessage: true,
		AppName:               "debrief",
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           2 * time.Minute,
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		s.log.Error("panic serving request", "method", c.Method(), "path", c.Path(), "panic", e)
	}}))
	app.Use(s.metrics(opts.Registry))
	app.Use(securityHeaders())
	app.Use(checkQuery)
	app.Use(bodyLimit(opts.Config.BodyLimit, importPath))
	if opts.ReadConcurrency > 0 {
		app.Use(readGate(opts.ReadConcurrency))
	}
	s.routes(app)
	return app
}

// contentSecurityPolicy is every response's: scripts, styles, images,
// fonts and connections only from this origin — no inline script, no eval
// — no plugins, no framing. Inline styles are allowed: the note editor
// (CodeMirror) themes itself with style elements.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets what every response carries (helmet's set, with
// framing refused outright), and keeps API and OAuth answers — which hold
// people's data, sessions and CSRF tokens — out of every cache.
func securityHeaders() fiber.Handler {
	h := helmet.New(helmet.Config{XFrameOptions: "DENY", ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy: "same-origin", PermissionPolicy: "camera=(), microphone=(), geolocation=()"})
	return func(c *fiber.Ctx) error {
		if p := c.Path(); strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/oauth/") || strings.HasPrefix(p, "/webhooks/") || strings.HasPrefix(p, "/r/") {
			c.Set(fiber.HeaderCacheControl, "no-store")
		}
		return h(c)
	}
}

// eventsPath is the event stream's route.
const eventsPath = "/api/v1/events"

// importPath is the one route whose body may be up to the import limit.
const importPath = "/api/v1/connections/ics/import"

// bodyLimit refuses bodies over limit on every route but except.
func bodyLimit(limit int, except string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(c.Body()) > limit && c.Path() != except {
			return fiber.ErrRequestEntityTooLarge
		}
		return c.Next()
	}
}

// checkQuery refuses query strings that are not valid UTF-8 or contain NUL:
// they can only be mistakes or probes, and PostgreSQL cannot compare them.
func checkQuery(c *fiber.Ctx) error {
	var bad string
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if bad == "" && (!utf8.Valid(v) || strings.IndexByte(string(v), 0) >= 0) {
			bad = string(k)
		}
	})
	if bad != "" {
		var f apperr.Fields
		f.Add(clip(bad), "must be UTF-8 text without NUL characters")
		return f.Err()
	}
	return c.Next()
}

func (s *server) metrics(reg *prometheus.Registry) fiber.Handler {
	if reg == nil {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "debrief_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"method", "route", "status"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "debrief_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"method", "route"})
	reg.MustRegister(requests, duration)
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = toProblem(err).Status
		}
		route := c.Route().Path
		if status == fiber.StatusNotFound && route == "/" && c.Path() != "/" {
			route = "unmatched"
		}
		requests.WithLabelValues(c.Method(), route, strconv.Itoa(status)).Inc()
		duration.WithLabelValues(c.Method(), route).Observe(time.Since(start).Seconds())
		return err
	}
}

const principalKey = "principal"

func principal(c *fiber.Ctx) account.Principal {
	p, _ := c.Locals(principalKey).(account.Principal)
	return p
}

// userLoc is the signed-in user's time zone, for dates without a zone.
// Zones are cached: time.LoadLocation reads the zone database every call.
func (s *server) userLoc(c *fiber.Ctx) *time.Location {
	tz := principal(c).User.TimeZone
	if loc, ok := s.zones.Load(tz); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	s.zones.Store(tz, loc)
	return loc
}

func isWrite(method string) bool {
	return method != fiber.MethodGet && method != fiber.MethodHead && method != fiber.MethodOptions
}

// authenticate accepts a bearer token or the session cookie; cookie-based
// writes must also carry the session's CSRF token.
func (s *server) authenticate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var p account.Principal
	var err error
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return apperr.Unauthenticated("the Authorization header must be `Bearer <token>`")
		}
		p, err = s.svc.Accounts.AuthenticateToken(ctx, strings.TrimSpace(token))
	} else if cookie := c.Cookies(SessionCookie); cookie != "" {
		p, err = s.svc.Accounts.AuthenticateSession(ctx, cookie)
		if err == nil && isWrite(c.Method()) && !s.svc.Accounts.CheckCSRF(cookie, c.Get("X-CSRF-Token")) {
			return apperr.Forbidden("missing or wrong X-CSRF-Token header: send the csrf_token from sign-in (or GET /api/v1/me) with every write")
		}
	} else {
		return apperr.Unauthenticated("sign in, or send `Authorization: Bearer <token>`")
	}
	if err != nil {
		return err
	}
	c.Locals(principalKey, p)
	return c.Next()
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// signInLimiter rate-limits sign-in and sign-up per client address and
// account, against password guessing.
func (s *server) signInLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        s.opts.Config.LoginRate,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			var body struct {
				Email string `json:"email"`
			}
			// A malformed body keys on the address alone; the handler
			// reports the problem.
			_ = json.Unmarshal(c.Body(), &body)
			return c.Path() + "|" + c.IP() + "|" + account.NormalizeEmail(body.Email)
		},
		LimitReached: func(c *fiber.Ctx) error {
			return apperr.RateLimited("too many sign-in attempts; wait a minute and try again")
		},
	})
}

// failedSignInLimiter limits failed sign-ins per client address across
// accounts: one password tried against many accounts (spraying) is
// stopped, while people who sign in do not count against it.
func (s *server) failedSignInLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:                    s.opts.Config.LoginRate,
		Expiration:             time.Minute,
		SkipSuccessfulRequests: true,
		KeyGenerator:           func(c *fiber.Ctx) string { return "failed-login|" + c.IP() },
		LimitReached: func(c *fiber.Ctx) error {
			return apperr.RateLimited("too many failed sign-ins from this address; wait a minute and try again")
		},
	})
}

// answerErrors writes a handler's error as its response at once, so that
// the middleware before it sees the status (a limiter counting failures
// would otherwise see the 200 a response starts with).
func answerErrors(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return c.App().ErrorHandler(c, err)
	}
	return nil
}

// signupLimiter limits sign-ups per client address an hour: making
// accounts in bulk, or probing which addresses have one, is slow.
func (s *server) signupLimiter() fiber.Handler {
	if s.opts.Config.SignupRate == 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return limiter.New(limiter.Config{
		Max:          s.opts.Config.SignupRate,
		Expiration:   time.Hour,
		KeyGenerator: func(c *fiber.Ctx) string { return "signup|" + c.IP() },
		LimitReached: func(c *fiber.Ctx) error {
			return apperr.RateLimited("too many sign-ups from this address; try again in an hour")
		},
	})
}

// readGate lets at most n GET requests run at once and queues the rest in
// arrival order. On SQLite every read needs one of a few connections, and
// database/sql hands a freed connection to a random waiter, so under load
// a few unlucky requests wait many turns; a FIFO queue in front keeps the
// slowest requests close to the typical ones.
func readGate(n int) fiber.Handler {
	slots := make(chan struct{}, n)
	return func(c *fiber.Ctx) error {
		// An event stream stays open for a minute, reading nothing.
		if c.Method() != fiber.MethodGet || c.Path() == eventsPath {
			return c.Next()
		}
		select {
		case slots <- struct{}{}:
		case <-c.Context().Done():
			return fiber.ErrServiceUnavailable
		}
		defer func() { <-slots }()
		return c.Next()
	}
}
