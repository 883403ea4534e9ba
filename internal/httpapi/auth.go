package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/config"
)

func (s *server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok", "version": s.opts.Version})
}

func (s *server) readyz(c *fiber.Ctx) error {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(c.UserContext()); err != nil {
			s.log.Warn("not ready", "err", err)
			return &apperr.Error{Kind: apperr.KindUnavailable, Message: "the database does not answer", Err: err}
		}
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

func (s *server) setSessionCookie(c *fiber.Ctx, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: value, Path: "/", Expires: expires,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: c.Protocol() == "https" || s.opts.Config.SecureCookies(),
	})
}

// authOptions tells a client what the server offers before sign-in:
// whether anyone may sign up, and whether Google Calendar can be connected.
func (s *server) authOptions(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"signup": s.opts.Config.Signup, "google": s.opts.Config.GoogleClientID != ""})
}

func (s *server) signup(c *fiber.Ctx) error {
	if s.opts.Config.Signup == config.SignupClosed {
		return apperr.Forbidden("sign-up is closed on this server; ask its admin to run `debrief user create`")
	}
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Name     string `json:"name"`
		TimeZone string `json:"time_zone"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, creds, err := s.svc.Accounts.Signup(c.UserContext(), account.SignupInput{
		Email: req.Email, Password: req.Password, Name: req.Name, TimeZone: req.TimeZone,
	}, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, creds.SessionToken, creds.ExpiresAt)
	return c.Status(fiber.StatusCreated).JSON(apiAuth{User: toAPIUser(u), CSRFToken: creds.CSRFToken, ExpiresAt: creds.ExpiresAt})
}

func (s *server) login(c *fiber.Ctx) error {
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, creds, err := s.svc.Accounts.Login(c.UserContext(), req.Email, req.Password, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, creds.SessionToken, creds.ExpiresAt)
	return c.JSON(apiAuth{User: toAPIUser(u), CSRFToken: creds.CSRFToken, ExpiresAt: creds.ExpiresAt})
}

// logout ends the cookie's session. It needs the CSRF token too, so another
// site cannot sign people out.
func (s *server) logout(c *fiber.Ctx) error {
	if cookie := c.Cookies(SessionCookie); cookie != "" {
		if !s.svc.Accounts.CheckCSRF(cookie, c.Get("X-CSRF-Token")) {
			return apperr.Forbidden("missing or wrong X-CSRF-Token header")
		}
		if err := s.svc.Accounts.Logout(c.UserContext(), cookie); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, "", time.Unix(0, 0))
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *server) me(c *fiber.Ctx) error {
	p := principal(c)
	out := apiMe{apiUser: toAPIUser(p.User)}
	if p.SessionToken != "" {
		t := s.svc.Accounts.CSRFToken(p.SessionToken)
		out.CSRFToken = &t
	}
	return c.JSON(out)
}

func (s *server) updateMe(c *fiber.Ctx) error {
	var req struct {
		Name     *string `json:"name"`
		TimeZone *string `json:"time_zone"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := s.svc.Accounts.UpdateMe(c.UserContext(), principal(c).User.ID, account.UpdateInput{Name: req.Name, TimeZone: req.TimeZone})
	if err != nil {
		return err
	}
	return c.JSON(toAPIUser(u))
}

func (s *server) listTokens(c *fiber.Ctx) error {
	q := newQuery(c, time.UTC)
	page := q.page()
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Accounts.ListTokens(c.UserContext(), principal(c).User.ID, page)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIToken))
}

func (s *server) createToken(c *fiber.Ctx) error {
	var req struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, secret, err := s.svc.Accounts.CreateToken(c.UserContext(), principal(c).User.ID, req.Name)
	if err != nil {
		return err
	}
	out := toAPIToken(t)
	out.Token = secret
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (s *server) deleteToken(c *fiber.Ctx) error {
	id, err := pathID(c, "token")
	if err != nil {
		return err
	}
	if err := s.svc.Accounts.DeleteToken(c.UserContext(), principal(c).User.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type apiUser struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPIUser(u account.User) apiUser {
	return apiUser{ID: u.ID, Email: u.Email, Name: u.Name, TimeZone: u.TimeZone, CreatedAt: u.CreatedAt}
}

type apiAuth struct {
	User      apiUser   `json:"user"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
}

type apiMe struct {
	apiUser
	// CSRFToken is present when the request came with the session cookie, so a
	// reloaded page can recover it.
	CSRFToken *string `json:"csrf_token,omitempty"`
}

type apiToken struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Token      string     `json:"token,omitempty"`
}

func toAPIToken(t account.Token) apiToken {
	return apiToken{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt}
}
