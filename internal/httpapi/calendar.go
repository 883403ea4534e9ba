package httpapi

import (
	"mime"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
)

// importICS imports an uploaded iCalendar file.
func (s *server) importICS(c *fiber.Ctx) error {
	ct, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if ct != "text/calendar" && ct != "text/plain" && ct != "application/octet-stream" {
		return &apperr.Error{Kind: apperr.KindUnsupportedMedia,
			Message: "send the file as text/calendar (Content-Type: " + clip(c.Get(fiber.HeaderContentType)) + ")"}
	}
	w, err := s.window(c)
	if err != nil {
		return err
	}
	u := principal(c).User
	res, err := s.svc.Calendar.ImportICS(c.UserContext(), calendar.User{ID: u.ID, Email: u.Email, TimeZone: u.TimeZone}, c.Body(), w)
	if err != nil {
		return err
	}
	return c.JSON(apiImportResult{apiSummary: toAPISummary(res.Summary), Skipped: res.Skipped, Errors: mapAll(res.Errors, toAPIProblem)})
}

// window reads the optional from/to dates of an expansion window.
func (s *server) window(c *fiber.Ctx) (calendar.Window, error) {
	loc := s.userLoc(c)
	var f apperr.Fields
	date := func(name string) *time.Time {
		v := strings.TrimSpace(c.Query(name))
		if v == "" {
			return nil
		}
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			f.Add(name, "%q is not a date such as 2026-03-01", clip(v))
			return nil
		}
		return &d
	}
	from, to := date("from"), date("to")
	if err := f.Err(); err != nil {
		return calendar.Window{}, err
	}
	return s.svc.Calendar.Window(from, to)
}

type apiCalendar struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"`
	Selected bool   `json:"selected"`
}

type apiConnection struct {
	ID           string        `json:"id"`
	Provider     string        `json:"provider"`
	Name         string        `json:"name"`
	URL          *string       `json:"url"`
	Status       string        `json:"status"`
	LastError    *string       `json:"last_error"`
	LastSyncedAt *time.Time    `json:"last_synced_at"`
	NextSyncAt   *time.Time    `json:"next_sync_at"`
	CreatedAt    time.Time     `json:"created_at"`
	Calendars    []apiCalendar `json:"calendars"`
}

func toAPIConnection(c calendar.Connection) apiConnection {
	out := apiConnection{ID: c.ID, Provider: c.Provider, Name: c.Name, Status: c.Status, LastSyncedAt: c.LastSyncedAt,
		NextSyncAt: c.NextSyncAt, CreatedAt: c.CreatedAt, Calendars: []apiCalendar{}}
	if c.FeedURL != "" {
		out.URL = &c.FeedURL
	}
	if c.LastError != "" {
		out.LastError = &c.LastError
	}
	for _, cl := range c.Calendars {
		out.Calendars = append(out.Calendars, apiCalendar{ID: cl.ID, Name: cl.Name, TimeZone: cl.TimeZone, Selected: cl.Selected})
	}
	return out
}

func (s *server) listConnections(c *fiber.Ctx) error {
	q := newQuery(c, time.UTC)
	page := q.page()
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Calendar.List(c.UserContext(), principal(c).User.ID, page)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIConnection))
}

func (s *server) addICS(c *fiber.Ctx) error {
	var req struct {
		URL  string `json:"url"`
		Name string `json:"name"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	conn, err := s.svc.Calendar.AddICS(c.UserContext(), principal(c).User.ID, req.URL, req.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toAPIConnection(conn))
}

func (s *server) getConnection(c *fiber.Ctx) error {
	id, err := pathID(c, "connection")
	if err != nil {
		return err
	}
	conn, err := s.svc.Calendar.Get(c.UserContext(), principal(c).User.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(toAPIConnection(conn))
}

func (s *server) updateConnection(c *fiber.Ctx) error {
	id, err := pathID(c, "connection")
	if err != nil {
		return err
	}
	var req struct {
		Name      *string `json:"name"`
		Calendars []struct {
			ID       string `json:"id"`
			Selected *bool  `json:"selected"`
		} `json:"calendars"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	selected := map[string]bool{}
	var f apperr.Fields
	for i, cl := range req.Calendars {
		if !validID(cl.ID) || cl.Selected == nil {
			f.Add("calendars", "entry %d needs the id of one of the connection's calendars and selected: true or false", i)
			continue
		}
		selected[cl.ID] = *cl.Selected
	}
	if err := f.Err(); err != nil {
		return err
	}
	conn, err := s.svc.Calendar.Update(c.UserContext(), principal(c).User.ID, id, req.Name, selected)
	if err != nil {
		return err
	}
	return c.JSON(toAPIConnection(conn))
}

func (s *server) deleteConnection(c *fiber.Ctx) error {
	id, err := pathID(c, "connection")
	if err != nil {
		return err
	}
	if err := s.svc.Calendar.Delete(c.UserContext(), principal(c).User.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// syncConnection queues a sync (202), or with ?wait=true runs it and
// answers with what it did.
func (s *server) syncConnection(c *fiber.Ctx) error {
	id, err := pathID(c, "connection")
	if err != nil {
		return err
	}
	owner := principal(c).User.ID
	switch c.Query("wait") {
	case "true", "1":
		res, err := s.svc.Calendar.SyncNow(c.UserContext(), owner, id)
		if err != nil {
			return err
		}
		return c.JSON(apiSyncResult{apiSummary: toAPISummary(res.Summary), Errors: mapAll(res.Errors, toAPIProblem)})
	case "", "false", "0":
		if err := s.svc.Calendar.RequestSync(c.UserContext(), owner, id); err != nil {
			return err
		}
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"status": "queued"})
	}
	var f apperr.Fields
	f.Add("wait", "must be true or false")
	return f.Err()
}

const oauthCookie = "debrief_oauth"

// googleAuthorize sends the person to Google's consent page, with the
// flow's state sealed in a cookie only the callback path receives.
func (s *server) googleAuthorize(c *fiber.Ctx) error {
	redirect, cookie, err := s.svc.Calendar.GoogleAuthorize(c.UserContext(), principal(c).User.ID)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: oauthCookie, Value: cookie, Path: "/oauth/google", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: c.Protocol() == "https" || s.opts.Config.SecureCookies(), MaxAge: int(calendar.OAuthCookieTTL.Seconds())})
	return c.Redirect(redirect, fiber.StatusFound)
}

// googleCallback is where Google sends the person back: the connection is
// saved and its first sync queued, and the browser goes to the app.
func (s *server) googleCallback(c *fiber.Ctx) error {
	conn, err := s.svc.Calendar.GoogleCallback(c.UserContext(), c.Cookies(oauthCookie), c.Query("state"), c.Query("code"), c.Query("error"))
	c.Cookie(&fiber.Cookie{Name: oauthCookie, Value: "", Path: "/oauth/google", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: c.Protocol() == "https" || s.opts.Config.SecureCookies(), MaxAge: -1})
	if err != nil {
		return err
	}
	return c.Redirect("/?connected="+conn.ID, fiber.StatusSeeOther)
}

// googleWebhook receives Google's push notifications: a known channel with
// its token queues a sync of its connection.
func (s *server) googleWebhook(c *fiber.Ctx) error {
	err := s.svc.Calendar.Notify(c.UserContext(), c.Get("X-Goog-Channel-ID"), c.Get("X-Goog-Channel-Token"),
		c.Get("X-Goog-Resource-ID"), c.Get("X-Goog-Resource-State"))
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type apiSummary struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Cancelled int `json:"cancelled"`
	Unchanged int `json:"unchanged"`
}

func toAPISummary(s calendar.Summary) apiSummary {
	return apiSummary{Created: s.Created, Updated: s.Updated, Cancelled: s.Cancelled, Unchanged: s.Unchanged}
}

type apiProblem struct {
	Line    int    `json:"line,omitempty"`
	UID     string `json:"uid,omitempty"`
	Reason  string `json:"reason"`
	Skipped bool   `json:"skipped"`
}

func toAPIProblem(p calendar.Problem) apiProblem {
	return apiProblem{Line: p.Line, UID: p.UID, Reason: p.Reason, Skipped: p.Skipped}
}

type apiImportResult struct {
	apiSummary
	Skipped int          `json:"skipped"`
	Errors  []apiProblem `json:"errors"`
}

type apiSyncResult struct {
	apiSummary
	Errors []apiProblem `json:"errors"`
}
